package dev.emailchannel.testing;

import dev.emailchannel.demo.DemoCertificates;
import java.io.BufferedInputStream;
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
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS-terminating tap in front of a real IMAP server's plain port (GreenMail in tests): the client speaks IMAPS to
 * the tap (with the {@link TestTls} certificate), the tap forwards every byte to the server and records the client's
 * command lines, so a test can count what the client really sent (e.g. how often a UID was fetched). It can also
 * make the server look different in ways a real server can be: without the IDLE capability ({@link #hideCapability}),
 * silent with the TCP connection still up ({@link #freeze}), gone ({@link #dropConnections}), or refusing a command
 * ({@link #refuse}).
 */
public final class ImapTap implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

    private final ServerSocket server;
    private final int targetPort;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Socket> frozen = ConcurrentHashMap.newKeySet();
    private volatile String hidden;
    private volatile Refusal refusal;
    private volatile boolean closed;

    private ImapTap(int targetPort) throws Exception {
        this.targetPort = targetPort;
        DemoCertificates.Stores stores = TestTls.install();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(stores.keyStore())) {
            ks.load(in, DemoCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, DemoCertificates.PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        this.server = ctx.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "imap-tap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A tap on a free port in front of {@code 127.0.0.1:plainImapPort}. */
    public static ImapTap inFrontOf(int plainImapPort) throws Exception {
        return new ImapTap(plainImapPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every command line the clients sent, in order (the LOGIN line included: test passwords only). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    public long count(Predicate<String> command) {
        return commands.stream().filter(command).count();
    }

    /** From now on the server's CAPABILITY lists leave this capability out (e.g. "IDLE"). */
    public void hideCapability(String capability) {
        hidden = capability;
    }

    /**
     * From now on a command matching {@code command} is not passed on: the tap answers it {@code NO} with this text,
     * as a server refusing it would (e.g. a keyword over its limit).
     */
    public void refuse(Predicate<String> command, String text) {
        refusal = new Refusal(command, text);
    }

    /** Commands the tap answers {@code NO} itself, with this text. */
    private record Refusal(Predicate<String> command, String text) {
    }

    /** The connections open now stop forwarding in both directions but stay open: a server that went silent. */
    public void freeze() {
        frozen.addAll(sockets);
    }

    /** Closes every connection open now (the server vanished); new connections work. */
    public void dropConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    public int openConnections() {
        sockets.removeIf(Socket::isClosed);
        return sockets.size() / 2;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        dropConnections();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, true, client);
                pump(upstream, client, false, client);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("imap tap: " + e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient, Socket client) {
        Thread t = new Thread(() -> {
            try (InputStream in = new BufferedInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
                byte[] line;
                while ((line = readLine(in)) != null) {
                    String text = new String(line, StandardCharsets.ISO_8859_1).stripTrailing();
                    Refusal refuse = fromClient ? refusal : null;
                    if (refuse != null && refuse.command().test(text)) {
                        commands.add(text);
                        String answer = text.split(" ", 2)[0] + " NO " + refuse.text() + "\r\n";
                        synchronized (client) { // the server's lines go to the client on the other pump's thread
                            client.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                            client.getOutputStream().flush();
                        }
                        continue;
                    }
                    if (fromClient) {
                        commands.add(text);
                    } else if (hidden != null && (text.startsWith("* CAPABILITY") || text.contains("[CAPABILITY"))) {
                        line = (text.replace(" " + hidden, "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    }
                    // a server line and its literal reach the client with no refusal between them; the client's side
                    // locks only its own upstream (its APPEND literal follows a go-ahead that must not wait for it)
                    synchronized (fromClient ? to : client) {
                        forward(from, out, line);
                        Matcher literal = LITERAL.matcher(text);
                        if (literal.find()) {
                            forward(from, out, in.readNBytes(Integer.parseInt(literal.group(1))));
                        }
                    }
                }
            } catch (IOException e) {
                // a side closed: close the other one too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "imap-tap-" + (fromClient ? "client" : "server"));
        t.setDaemon(true);
        t.start();
    }

    private void forward(Socket from, OutputStream out, byte[] bytes) throws IOException {
        if (frozen.contains(from)) {
            return; // swallowed: nobody answers
        }
        out.write(bytes);
        out.flush();
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            if (c == '\n') {
                return b.toByteArray();
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
