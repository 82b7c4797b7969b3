package dev.emailchannel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.junit.jupiter.api.Assumptions;

/**
 * Real Dovecot + Postfix on 127.0.0.1 for integration tests (the {@code *IT} tier), driven by the scripts in
 * {@code src/test/mailservers/}.
 *
 * <p>{@link #get()} (passwords) and {@link #oauth()} (passwords and XOAUTH2 tokens checked by a fake introspection
 * endpoint) each start one instance lazily, once per JVM, with free ports chosen at run time and a fresh temp
 * {@code ROOT}; a shutdown hook (plus a watchdog process, should the JVM be killed) stops them.
 *
 * <p>When {@code /usr/sbin/dovecot} or {@code /usr/sbin/postfix} is missing, the calling test is skipped through a JUnit
 * assumption — unless the environment has {@code CI=true}: then it fails, because CI must run this tier.
 *
 * <p>Ports: {@link #imapPort()} (plain IMAP, STARTTLS offered), {@link #imapsPort()}, {@link #smtpPort()} (no auth, for
 * delivering test mail, relays for 127.0.0.0/8), {@link #submissionPort()} (587-style, STARTTLS required, then AUTH),
 * {@link #smtpsPort()} (465-style, implicit TLS, AUTH). The server certificate has SAN {@code localhost} and
 * {@code 127.0.0.1} and is trusted only through {@link #trustStore()} (PKCS12, password {@value #TRUST_STORE_PASSWORD}).
 * All helpers verify certificates and host names; none trusts everything.
 */
public final class RealMailServers {

    public static final String HOST = "127.0.0.1";
    public static final String DOMAIN = "example.test";
    public static final String TRUST_STORE_PASSWORD = "changeit";

    public static final String ALICE = "alice@example.test";
    public static final String BOB = "bob@example.test";
    public static final String CAROL = "carol@example.test";
    /** The user whose password contains {@code + # % , \}. */
    public static final String DAVE = "dave@example.test";

    /** A mailbox of the test servers: address (also the login), password, and the OAuth token the fake accepts. */
    public record User(String address, String password, String token) {
        @Override
        public String toString() { // never print secrets
            return "User[" + address + "]";
        }
    }

    public static final User ALICE_USER = new User(ALICE, "alice-secret", "alice-token");
    public static final User BOB_USER = new User(BOB, "bob-secret", "bob-token");
    public static final User CAROL_USER = new User(CAROL, "carol-secret", "carol-token");
    public static final User DAVE_USER = new User(DAVE, "p+w#d%1,x\\y", "dave-token");
    public static final List<User> USERS = List.of(ALICE_USER, BOB_USER, CAROL_USER, DAVE_USER);

    /** A message in a mailbox, read without changing its flags. */
    public record StoredMessage(long uid, Set<String> flags, String messageId, String subject, String from,
                                List<String> to, byte[] raw) {
        public boolean seen() {
            return flags.contains("\\Seen");
        }

        public boolean hasFlag(String flag) {
            return flags.contains(flag);
        }

        /** The raw message as text (UTF-8; enough for assertions on headers and plain bodies). */
        public String rawText() {
            return new String(raw, StandardCharsets.UTF_8);
        }

        /** The first text/plain part, decoded. */
        public String text() {
            try {
                return firstText(new MimeMessage(null, new java.io.ByteArrayInputStream(raw)));
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("cannot parse stored message " + uid, e);
            }
        }

        @Override
        public String toString() {
            return "StoredMessage[uid=" + uid + ", flags=" + flags + ", messageId=" + messageId + ", subject=" + subject + "]";
        }
    }

    // overridable only to test the skip/fail logic (e.g. -Drealmail.dovecot=/nonexistent)
    private static final Path DOVECOT = Paths.get(System.getProperty("realmail.dovecot", "/usr/sbin/dovecot"));
    private static final Path POSTFIX = Paths.get(System.getProperty("realmail.postfix", "/usr/sbin/postfix"));
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private static final Object LOCK = new Object();
    private static RealMailServers passwordInstance;
    private static RealMailServers oauthInstance;
    private static RuntimeException passwordFailure;
    private static RuntimeException oauthFailure;

    private final boolean oauth;
    private final Path root;
    private final Path scripts;
    private final Map<String, Integer> ports;
    private final SSLContext sslContext;
    private final Duration startTime;
    private final boolean shared;
    private final List<User> addedUsers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    // ------------------------------------------------------------------------------------------------ instances

    /** The shared password-mode servers (started on first use). Skips the test when the binaries are missing. */
    public static RealMailServers get() {
        return instance(false);
    }

    /** The shared OAuth-mode servers (separate ROOT and ports): XOAUTH2/OAUTHBEARER with {@link User#token()}, and passwords. */
    public static RealMailServers oauth() {
        return instance(true);
    }

    /** Whether Dovecot and Postfix are installed here. */
    public static boolean available() {
        return Files.isExecutable(DOVECOT) && Files.isExecutable(POSTFIX);
    }

    private static RealMailServers instance(boolean oauth) {
        requireBinaries();
        synchronized (LOCK) {
            RealMailServers existing = oauth ? oauthInstance : passwordInstance;
            if (existing != null) {
                return existing;
            }
            RuntimeException failed = oauth ? oauthFailure : passwordFailure;
            if (failed != null) { // do not retry a start that failed for every test class
                throw new IllegalStateException("real mail servers failed to start earlier in this JVM", failed);
            }
            try {
                RealMailServers started = start(oauth, Map.of());
                if (oauth) {
                    oauthInstance = started;
                } else {
                    passwordInstance = started;
                }
                return started;
            } catch (RuntimeException e) {
                if (oauth) {
                    oauthFailure = e;
                } else {
                    passwordFailure = e;
                }
                throw e;
            }
        }
    }

    private static void requireBinaries() {
        if (available()) {
            return;
        }
        String message = "Real mail server tier needs Dovecot and Postfix (" + DOVECOT + ", " + POSTFIX + ") — install: "
                + "apt-get install --no-install-recommends dovecot-core dovecot-imapd dovecot-lmtpd postfix (see .ci/run)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + message);
        }
        Assumptions.abort(message);
    }

    /**
     * Servers of the caller's own (password mode, fresh ROOT and ports), not shared with other tests; {@code setupEnv}
     * adds variables for setup.sh, e.g. {@code MAX_CONNECTIONS} for benchmarks. Stop them with {@link #close()}.
     */
    public static RealMailServers startPrivate(Map<String, String> setupEnv) {
        requireBinaries();
        return start(false, setupEnv);
    }

    private static RealMailServers start(boolean oauth, Map<String, String> setupEnv) {
        Path scripts = findScripts();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) { // a chosen free port may be taken before the servers bind it
            Path root = null;
            try {
                root = newRoot();
                return new RealMailServers(oauth, root, scripts, setupEnv);
            } catch (RuntimeException e) {
                last = e;
                if (root != null) {
                    deleteTree(root);
                }
            }
        }
        throw last;
    }

    private RealMailServers(boolean oauth, Path root, Path scripts, Map<String, String> setupEnv) {
        this.oauth = oauth;
        this.shared = setupEnv.isEmpty();
        this.root = root;
        this.scripts = scripts;
        long t0 = System.nanoTime();
        List<String> names = new ArrayList<>(List.of("IMAP_PORT", "IMAPS_PORT", "LMTP_PORT", "SMTP_PORT", "SUBMISSION_PORT", "SMTPS_PORT"));
        if (oauth) {
            names.add("OAUTH_PORT");
        }
        int[] free = freePorts(names.size());
        Map<String, Integer> p = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            p.put(names.get(i), free[i]);
        }
        this.ports = Collections.unmodifiableMap(p);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROOT", root.toString());
        ports.forEach((k, v) -> env.put(k, Integer.toString(v)));
        env.put("OAUTH", oauth ? "1" : "0");
        env.put("WATCH_PID", Long.toString(ProcessHandle.current().pid()));
        env.putAll(setupEnv);
        runScript("setup.sh", env);
        long tSetup = System.nanoTime();
        Thread hook = new Thread(this::stop, "real-mail-servers-stop-" + root.getFileName());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runScript("start.sh", env);
        } catch (RuntimeException e) {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
            throw e;
        }
        try {
            this.sslContext = sslContextFrom(trustStore(), TRUST_STORE_PASSWORD);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load trust store " + trustStore(), e);
        }
        this.startTime = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("RealMailServers (" + (oauth ? "oauth" : "password") + ") started in " + startTime.toMillis()
                + " ms (setup.sh " + (tSetup - t0) / 1_000_000 + " ms), ROOT " + root + ", ports " + ports);
    }

    /** Stops the servers and removes ROOT (kept when the environment has {@code REAL_MAIL_KEEP=1}). Idempotent. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            runScript("stop.sh", Map.of("ROOT", root.toString()));
        } catch (RuntimeException e) {
            System.err.println("RealMailServers: " + e.getMessage());
        }
        if (!"1".equals(System.getenv("REAL_MAIL_KEEP"))) {
            deleteTree(root);
        }
    }

    /** Stops servers made by {@link #startPrivate}; the shared ones stop when the JVM ends. */
    public void close() {
        if (shared) {
            throw new IllegalStateException("the shared real mail servers stop when the JVM ends");
        }
        stop();
    }

    // ------------------------------------------------------------------------------------------------ server faults

    /**
     * PIDs of Dovecot's imap processes serving this user: one per IMAP connection (found by the process title,
     * {@code dovecot/imap [user ip command]}, which setup.sh turns on with {@code verbose_proctitle}).
     */
    public List<Long> imapProcesses(String address) {
        long master = Long.parseLong(readQuietly(root.resolve("dovecot/run/master.pid")).strip());
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(master).ifPresent(m -> m.children().forEach(child -> {
            try {
                String title = Files.readString(Path.of("/proc", Long.toString(child.pid()), "cmdline")).replace('\0', ' ');
                if (title.contains("imap [" + address + " ")) {
                    pids.add(child.pid());
                }
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }));
        return pids;
    }

    /** Sends a signal to a process of these servers, e.g. {@code KILL} (a crashed process) or {@code STOP} (a hung one). */
    public void signal(long pid, String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops Dovecot, keeps it down for {@code down}, starts it again (Postfix keeps running): every IMAP connection is
     * closed, as in a provider's server restart. Returns when the IMAP ports answer again.
     */
    public void restartDovecot(Duration down) {
        runScript("restart-dovecot.sh", Map.of("ROOT", root.toString(), "DOWN_SECONDS",
                String.format(java.util.Locale.ROOT, "%.3f", down.toMillis() / 1000.0)));
    }

    /** The resident memory of Dovecot's master and all its processes together, in MB. */
    public double dovecotRssMb() {
        long master = Long.parseLong(readQuietly(root.resolve("dovecot/run/master.pid")).strip());
        return ProcessHandle.of(master).map(m -> java.util.stream.Stream.concat(Stream.of(m), m.descendants())
                .mapToLong(p -> {
                    try {
                        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                            if (line.startsWith("VmRSS:")) {
                                return Long.parseLong(line.replaceAll("\\D", ""));
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        // ended meanwhile
                    }
                    return 0;
                }).sum() / 1024.0).orElse(0.0);
    }

    /**
     * Adds mailboxes (password login) to Dovecot's user file; Dovecot reads the file again on the next login, and
     * Postfix delivers to them through Dovecot. A user added before is not added again; the reading helpers sign in as
     * added users too.
     */
    public synchronized void addUsers(List<User> users) {
        Path file = root.resolve("dovecot/users");
        try {
            String[] first = Files.readAllLines(file).get(0).split(":");
            String uid = first[2];
            String gid = first[3];
            StringBuilder lines = new StringBuilder();
            List<User> fresh = users.stream().filter(u -> addedUsers.stream()
                    .noneMatch(a -> a.address().equalsIgnoreCase(u.address()))).toList(); // added once per servers
            for (User u : fresh) {
                String local = u.address().substring(0, u.address().indexOf('@'));
                lines.append(u.address()).append(":{PLAIN}").append(u.password()).append(':').append(uid).append(':')
                        .append(gid).append("::").append(root.resolve("mail/" + DOMAIN + "/" + local)).append('\n');
            }
            Files.writeString(file, lines, java.nio.file.StandardOpenOption.APPEND);
            addedUsers.addAll(fresh); // so that messages(), count(), clear() … sign in as them too
            if (!fresh.isEmpty()) {
                sleep(1100); // Dovecot looks at the file at most once a second: a login in this second may miss them
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot add users to " + file, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public String host() {
        return HOST;
    }

    public boolean oauthMode() {
        return oauth;
    }

    public int imapPort() {
        return ports.get("IMAP_PORT");
    }

    public int imapsPort() {
        return ports.get("IMAPS_PORT");
    }

    /** Plain SMTP without authentication (relay allowed from 127.0.0.0/8): for delivering test mail. */
    public int smtpPort() {
        return ports.get("SMTP_PORT");
    }

    /** 587-style submission: STARTTLS required, then AUTH. */
    public int submissionPort() {
        return ports.get("SUBMISSION_PORT");
    }

    /** 465-style submission: implicit TLS, AUTH. */
    public int smtpsPort() {
        return ports.get("SMTPS_PORT");
    }

    public int lmtpPort() {
        return ports.get("LMTP_PORT");
    }

    /** Port of the fake token-introspection endpoint; only in OAuth mode. */
    public int oauthPort() {
        if (!oauth) {
            throw new IllegalStateException("no OAuth endpoint in password mode: use RealMailServers.oauth()");
        }
        return ports.get("OAUTH_PORT");
    }

    /** All ports by their script variable name (IMAP_PORT, IMAPS_PORT, LMTP_PORT, SMTP_PORT, SUBMISSION_PORT, SMTPS_PORT[, OAUTH_PORT]). */
    public Map<String, Integer> ports() {
        return ports;
    }

    public Path root() {
        return root;
    }

    /** PKCS12 trust store holding the server certificate; password {@link #trustStorePassword()}. */
    public Path trustStore() {
        return root.resolve("tls/truststore.p12");
    }

    public String trustStorePassword() {
        return TRUST_STORE_PASSWORD;
    }

    /** The server certificate (PEM). */
    public Path certificate() {
        return root.resolve("tls/cert.pem");
    }

    /** JVM options that make a child JVM trust these servers (for {@code JAVA_TOOL_OPTIONS}). */
    public String trustStoreJvmOptions() {
        return "-Djavax.net.ssl.trustStore=" + trustStore() + " -Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD
                + " -Djavax.net.ssl.trustStoreType=PKCS12";
    }

    public Path logDirectory() {
        return root.resolve("log");
    }

    /** How many IMAP sign-ins of this user Dovecot has logged so far ({@code imap-login: Login: user=<…>}). */
    public long imapLogins(String address) {
        try (java.util.stream.Stream<String> lines = Files.lines(logDirectory().resolve("dovecot.log"))) {
            return lines.filter(l -> l.contains("imap-login") && l.contains("Login: user=<" + address + ">")).count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Dovecot's log", e);
        }
    }

    /** How long setup + start took. */
    public Duration startTime() {
        return startTime;
    }

    public List<User> users() {
        return USERS;
    }

    public User user(String address) {
        return Stream.concat(USERS.stream(), addedUsers.stream()).filter(u -> u.address().equalsIgnoreCase(address))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such test user: " + address));
    }

    public String password(String address) {
        return user(address).password();
    }

    /**
     * The channel's variables for one mailbox here, as a user sets them: IMAPS and the submission port (STARTTLS), by
     * the host names of the test certificate. A new map the caller adds to ({@code AGENT_URL}, {@code CHECK_INTERVAL}…).
     */
    public Map<String, String> channelEnv(String mailbox) {
        return channelEnv(List.of(mailbox));
    }

    /** {@link #channelEnv(String)} for several mailboxes of one channel (commas in passwords escaped). */
    public Map<String, String> channelEnv(List<String> mailboxes) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("EMAIL_ADDRESS", String.join(",", mailboxes));
        env.put("EMAIL_PASSWORD", String.join(",", mailboxes.stream()
                .map(m -> password(m).replace(",", "\\,")).toList()));
        env.put("IMAP_SERVER", "localhost");
        env.put("IMAP_PORT", String.valueOf(imapsPort()));
        env.put("SMTP_SERVER", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(submissionPort()));
        return env;
    }

    /** The access token the fake introspection endpoint accepts for this user (OAuth mode). */
    public String token(String address) {
        return user(address).token();
    }

    /** TLS context trusting exactly the test certificate. */
    public SSLContext sslContext() {
        return sslContext;
    }

    public SSLSocketFactory sslSocketFactory() {
        return sslContext.getSocketFactory();
    }

    /**
     * Jakarta Mail properties for {@code imaps} with strict checking: socket factory from the trust store, server identity
     * checked, no {@code ssl.trust}. Timeouts 10 s.
     */
    public Properties imapsProperties() {
        Properties p = new Properties();
        p.put("mail.store.protocol", "imaps");
        p.put("mail.imaps.host", HOST);
        p.put("mail.imaps.port", Integer.toString(imapsPort()));
        p.put("mail.imaps.ssl.enable", "true");
        p.put("mail.imaps.ssl.socketFactory", sslSocketFactory());
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        p.put("mail.imaps.connectiontimeout", "10000");
        p.put("mail.imaps.timeout", "10000");
        p.put("mail.imaps.peek", "true");
        return p;
    }

    /** Jakarta Mail properties for the submission port: {@code smtp} with STARTTLS required, strict certificate checks. */
    public Properties submissionProperties() {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", HOST);
        p.put("mail.smtp.port", Integer.toString(submissionPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", sslSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        return p;
    }

    /** Jakarta Mail properties for the implicit-TLS port: {@code smtps}, strict certificate checks. */
    public Properties smtpsProperties() {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtps");
        p.put("mail.smtps.host", HOST);
        p.put("mail.smtps.port", Integer.toString(smtpsPort()));
        p.put("mail.smtps.auth", "true");
        p.put("mail.smtps.ssl.enable", "true");
        p.put("mail.smtps.ssl.socketFactory", sslSocketFactory());
        p.put("mail.smtps.ssl.checkserveridentity", "true");
        p.put("mail.smtps.connectiontimeout", "10000");
        p.put("mail.smtps.timeout", "10000");
        return p;
    }

    // ------------------------------------------------------------------------------------------------ delivery

    /**
     * Hands a raw RFC 5322 message to Postfix on the no-auth SMTP port, exactly as given (CRLF line ends are made, dots
     * stuffed). Delivery to the mailbox is asynchronous: use {@link #awaitMessage} or {@link #awaitCount}.
     */
    public void deliver(String envelopeFrom, String to, byte[] rfc5322) {
        deliver(envelopeFrom, List.of(to), rfc5322);
    }

    /** {@link #deliver(String, String, byte[])} with a sender {@code sender@example.org}. */
    public void deliver(String to, byte[] rfc5322) {
        deliver("sender@example.org", List.of(to), rfc5322);
    }

    /** {@link #deliver(String, byte[])} of a message given as text (sent as UTF-8 bytes, 8BITMIME). */
    public void deliver(String to, String rfc5322) {
        deliver(to, rfc5322.getBytes(StandardCharsets.UTF_8));
    }

    public void deliver(String envelopeFrom, List<String> recipients, byte[] rfc5322) {
        transfer(smtpPort(), "EHLO", envelopeFrom, recipients, rfc5322);
    }

    /**
     * Hands a raw message straight to Dovecot over LMTP (no Postfix queue in between): when this returns, the mail is
     * in the mailbox. For measuring what happens after delivery.
     */
    public void deliverLmtp(String envelopeFrom, String to, byte[] rfc5322) {
        transfer(lmtpPort(), "LHLO", envelopeFrom, List.of(to), rfc5322);
    }

    private void transfer(int port, String hello, String envelopeFrom, List<String> recipients, byte[] rfc5322) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 10_000);
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect(in, 220, "greeting");
            command(out, hello + " test.client");
            expect(in, 250, hello);
            command(out, "MAIL FROM:<" + envelopeFrom + ">");
            expect(in, 250, "MAIL FROM");
            for (String rcpt : recipients) {
                command(out, "RCPT TO:<" + rcpt + ">");
                expect(in, 250, "RCPT TO " + rcpt);
            }
            command(out, "DATA");
            expect(in, 354, "DATA");
            out.write(dotStuffed(rfc5322));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(in, 250, "end of DATA"); // LMTP: one reply per recipient; SMTP: one in all
            for (int i = 1; hello.equals("LHLO") && i < recipients.size(); i++) {
                expect(in, 250, "end of DATA");
            }
            command(out, "QUIT");
        } catch (IOException e) {
            throw new IllegalStateException("cannot deliver to " + recipients + " on " + HOST + ":" + port, e);
        }
    }

    /**
     * Sends a simple text/plain mail (UTF-8) over the no-auth SMTP port and returns its Message-ID (with angle brackets).
     * Delivery is asynchronous: {@link #awaitMessage(String, String, Duration)} waits for it.
     */
    public String deliverText(String from, String to, String subject, String body) {
        String messageId = "<" + UUID.randomUUID() + "@sender.example.org>";
        deliver(addressOnly(from), List.of(to), textMail(from, to, subject, body, messageId));
        return messageId;
    }

    /** {@link #deliverText} straight into the mailbox over LMTP ({@link #deliverLmtp}); returns the Message-ID. */
    public String deliverTextLmtp(String from, String to, String subject, String body) {
        String messageId = "<" + UUID.randomUUID() + "@sender.example.org>";
        deliverLmtp(addressOnly(from), to, textMail(from, to, subject, body, messageId));
        return messageId;
    }

    private static byte[] textMail(String from, String to, String subject, String body, String messageId) {
        String mail = "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + encodeHeader(subject) + "\r\n"
                + "Date: " + new jakarta.mail.internet.MailDateFormat().format(new java.util.Date()) + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body.replace("\r\n", "\n").replace("\n", "\r\n") + (body.endsWith("\n") ? "" : "\r\n");
        return mail.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Opens an IMAPS store for the user (password login), strict certificate checks. Close it when done. */
    public Store openStore(String address) throws MessagingException {
        Session session = Session.getInstance(imapsProperties());
        Store store = session.getStore("imaps");
        store.connect(HOST, imapsPort(), address, password(address));
        return store;
    }

    /** All messages in the user's INBOX, oldest first, with their flags; reading them does not set {@code \Seen}. */
    public List<StoredMessage> messages(String address) {
        return withInbox(address, Folder.READ_ONLY, inbox -> {
            Message[] msgs = inbox.getMessages();
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.FLAGS);
            fp.add(FetchProfile.Item.ENVELOPE);
            fp.add(UIDFolder.FetchProfileItem.UID);
            inbox.fetch(msgs, fp);
            List<StoredMessage> result = new ArrayList<>();
            UIDFolder uids = (UIDFolder) inbox;
            for (Message m : msgs) {
                Set<String> flags = flagNames(m.getFlags()); // before the body is read
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                m.writeTo(raw); // peek=true: BODY.PEEK[], flags untouched
                MimeMessage mm = (MimeMessage) m;
                List<String> to = new ArrayList<>();
                Address[] rcpts = m.getRecipients(Message.RecipientType.TO);
                if (rcpts != null) {
                    for (Address a : rcpts) {
                        to.add(a.toString());
                    }
                }
                Address[] from = m.getFrom();
                result.add(new StoredMessage(uids.getUID(m), flags, mm.getMessageID(), m.getSubject(),
                        from == null || from.length == 0 ? null : from[0].toString(), List.copyOf(to), raw.toByteArray()));
            }
            return result;
        });
    }

    /** The INBOX message with this Message-ID (angle brackets included), if any. */
    public java.util.Optional<StoredMessage> message(String address, String messageId) {
        return messages(address).stream().filter(m -> messageId.equals(m.messageId())).findFirst();
    }

    public int count(String address) {
        return withInbox(address, Folder.READ_ONLY, Folder::getMessageCount);
    }

    public int unseenCount(String address) {
        return withInbox(address, Folder.READ_ONLY, Folder::getUnreadMessageCount);
    }

    /** Empties the user's mailbox: every message in every folder is expunged, folders other than INBOX/Sent/Trash removed. */
    public void clear(String address) {
        try (Store store = openStore(address)) {
            Folder[] folders = store.getDefaultFolder().list("*");
            Arrays.sort(folders, Comparator.comparing(Folder::getFullName).reversed()); // children before parents
            for (Folder f : folders) {
                String name = f.getFullName();
                if ((f.getType() & Folder.HOLDS_MESSAGES) != 0) {
                    f.open(Folder.READ_WRITE);
                    Message[] all = f.getMessages();
                    if (all.length > 0) {
                        f.setFlags(all, new Flags(Flags.Flag.DELETED), true);
                    }
                    f.close(true);
                }
                if (!name.equalsIgnoreCase("INBOX") && !name.equals("Sent") && !name.equals("Trash")) {
                    f.delete(true);
                }
            }
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot clear mailbox " + address, e);
        }
    }

    /** Waits until the user's INBOX holds at least {@code count} messages; returns them. */
    public List<StoredMessage> awaitCount(String address, int count, Duration timeout) {
        return awaitMessages(address, l -> l.size() >= count, timeout, "at least " + count + " messages");
    }

    /** Waits until a message with this Message-ID is in the user's INBOX. */
    public StoredMessage awaitMessage(String address, String messageId, Duration timeout) {
        return awaitMessage(address, m -> messageId.equals(m.messageId()), timeout);
    }

    /** Waits until a message matching the predicate is in the user's INBOX. */
    public StoredMessage awaitMessage(String address, Predicate<StoredMessage> match, Duration timeout) {
        return awaitMessages(address, l -> l.stream().anyMatch(match), timeout, "a matching message")
                .stream().filter(match).findFirst().orElseThrow();
    }

    private List<StoredMessage> awaitMessages(String address, Predicate<List<StoredMessage>> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<StoredMessage> now = messages(address);
            if (done.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " in " + address + "'s INBOX; it has " + now);
            }
            sleep(100);
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    @FunctionalInterface
    private interface FolderWork<T> {
        T apply(Folder folder) throws MessagingException, IOException;
    }

    private <T> T withInbox(String address, int mode, FolderWork<T> work) {
        try (Store store = openStore(address)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(mode);
            try {
                return work.apply(inbox);
            } finally {
                inbox.close(false);
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("IMAP access to " + address + "'s INBOX failed", e);
        }
    }

    private static Set<String> flagNames(Flags flags) {
        Set<String> names = new LinkedHashSet<>();
        for (Flags.Flag f : flags.getSystemFlags()) {
            if (f == Flags.Flag.SEEN) {
                names.add("\\Seen");
            } else if (f == Flags.Flag.ANSWERED) {
                names.add("\\Answered");
            } else if (f == Flags.Flag.DELETED) {
                names.add("\\Deleted");
            } else if (f == Flags.Flag.DRAFT) {
                names.add("\\Draft");
            } else if (f == Flags.Flag.FLAGGED) {
                names.add("\\Flagged");
            } else if (f == Flags.Flag.RECENT) {
                names.add("\\Recent");
            }
        }
        names.addAll(Arrays.asList(flags.getUserFlags()));
        return Collections.unmodifiableSet(names);
    }

    private static String firstText(jakarta.mail.Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            Object c = part.getContent();
            return c instanceof String s ? s : new String(((InputStream) c).readAllBytes(), StandardCharsets.UTF_8);
        }
        if (part.isMimeType("multipart/*")) {
            jakarta.mail.Multipart mp = (jakarta.mail.Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                String t = firstText(mp.getBodyPart(i));
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    private static String encodeHeader(String value) {
        try {
            return MimeUtility.fold(9, MimeUtility.encodeText(value, "UTF-8", null));
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String addressOnly(String from) {
        try {
            return new InternetAddress(from).getAddress();
        } catch (jakarta.mail.internet.AddressException e) {
            return from;
        }
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads a (multi-line) SMTP reply and checks its code. */
    private static void expect(InputStream in, int code, String step) throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("connection closed after " + step + "; got: " + reply);
            }
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        if (!reply.toString().startsWith(Integer.toString(code))) {
            throw new IOException("SMTP " + step + ": expected " + code + ", got: " + reply.toString().trim());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** CRLF line ends, leading dots doubled, final line ended. */
    static byte[] dotStuffed(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        boolean lineStart = true;
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                continue; // the '\n' writes CRLF
            }
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
                lineStart = true;
            } else {
                out.write(b);
                lineStart = false;
            }
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    static SSLContext sslContextFrom(Path trustStore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            ks.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private void runScript(String name, Map<String, String> env) {
        Path log = root.resolve("scripts.log");
        ProcessBuilder pb = new ProcessBuilder("bash", scripts.resolve(name).toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process p = pb.start();
            if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + SCRIPT_TIMEOUT + "; output:\n" + readQuietly(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + p.exitValue() + ") for ROOT " + root + "; output:\n" + readQuietly(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static Path findScripts() {
        String override = System.getenv("MAILSERVERS_DIR");
        if (override != null && !override.isBlank()) {
            return Paths.get(override).toAbsolutePath();
        }
        String basedir = System.getProperty("basedir");
        List<Path> starts = new ArrayList<>();
        if (basedir != null) {
            starts.add(Paths.get(basedir));
        }
        starts.add(Paths.get("").toAbsolutePath());
        for (Path start : starts) {
            for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
                Path candidate = d.resolve("src/test/mailservers");
                if (Files.isRegularFile(candidate.resolve("setup.sh"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cannot find src/test/mailservers/setup.sh from " + starts + " (set MAILSERVERS_DIR)");
    }

    /** A short temp dir (unix socket paths under it must stay short): /tmp when it exists. */
    private static Path newRoot() {
        try {
            Path tmp = Paths.get("/tmp");
            if (!Files.isDirectory(tmp)) {
                tmp = Paths.get(System.getProperty("java.io.tmpdir"));
            }
            return Files.createTempDirectory(tmp, "realmail-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp dir for the mail servers", e);
        }
    }

    /** Distinct free ports on 127.0.0.1 (all held open together, then released). */
    private static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("cannot find free ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // sockets of a dying daemon; best effort
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
