package dev.emailchannel.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.MailboxSettings.SmtpEncryption;
import dev.emailchannel.config.Secret;
import dev.emailchannel.connect.NoDelaySocketFactory;
import dev.emailchannel.connect.SmtpSecurity;
import dev.emailchannel.mime.EmailAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a mailbox secures SMTP: from the settings when they say (465, 587, {@code SMTP_ENCRYPTION}), without asking the
 * server; otherwise from a probe of the server on its unusual port — clear-text greeting: STARTTLS when offered,
 * silence: implicit SSL — remembered once the server answered, and asked again after it could not be reached.
 */
class MailboxTest {

    /** A host that never resolves (RFC 6761): any probe of it fails, so an answer proves no probe was made. */
    static final String NOWHERE = "smtp.invalid";

    final List<ProbeServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() throws IOException {
        for (ProbeServer s : servers) {
            s.close();
        }
    }

    static Mailbox mailbox(String smtpHost, int smtpPort, SmtpEncryption encryption) {
        return Mailbox.of(new MailboxSettings(0, new EmailAddress("support@acme.test", "Acme Support"),
                new Secret("support-pw"), "imap.acme.test", 993, smtpHost, smtpPort, encryption, "Acme Support",
                "INBOX", "text/plain", null), null);
    }

    ProbeServer server(int port, ProbeServer.Behaviour behaviour) throws IOException {
        ProbeServer s = new ProbeServer(port, behaviour);
        servers.add(s);
        return s;
    }

    @Test
    void should_use_implicit_ssl_on_465_without_asking_the_server() throws Exception {
        Mailbox box = mailbox(NOWHERE, 465, SmtpEncryption.AUTO);

        assertThat(box.smtpSecurity()).isEqualTo(SmtpSecurity.SSL);
        Properties p = box.smtpProperties();
        assertThat(p).containsEntry("mail.smtps.ssl.enable", "true")
                .containsEntry("mail.smtps.ssl.checkserveridentity", "true").containsEntry("mail.smtps.auth", "true")
                .containsEntry("mail.smtps.connectiontimeout", "20000").containsEntry("mail.smtps.timeout", "60000");
        assertThat(p.stringPropertyNames()).noneMatch(k -> k.contains("starttls") || k.startsWith("mail.smtp."));
        assertThat(box.imapProperties()).containsEntry("mail.imaps.ssl.enable", "true")
                .containsEntry("mail.imaps.ssl.checkserveridentity", "true");
        // TLS through the JVM's default factory with Nagle's algorithm off underneath
        assertThat(p.get("mail.smtps.ssl.socketFactory")).isInstanceOf(NoDelaySocketFactory.class);
        assertThat(box.imapProperties().get("mail.imaps.ssl.socketFactory")).isInstanceOf(NoDelaySocketFactory.class);
    }

    @Test
    void should_require_starttls_on_587_without_asking_the_server() throws Exception {
        Mailbox box = mailbox(NOWHERE, 587, SmtpEncryption.AUTO);

        assertThat(box.smtpSecurity()).isEqualTo(SmtpSecurity.STARTTLS_REQUIRED);
        assertThat(box.smtpProperties()).containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true").containsEntry("mail.smtp.auth", "true")
                .doesNotContainKey("mail.smtp.ssl.enable");
        // STARTTLS layers TLS through the same factory
        assertThat(box.smtpProperties().get("mail.smtp.ssl.socketFactory")).isInstanceOf(NoDelaySocketFactory.class);
    }

    @ParameterizedTest
    @CsvSource({"2525, SSL, SSL", "465, STARTTLS, STARTTLS_REQUIRED", "2525, STARTTLS, STARTTLS_REQUIRED",
        "587, SSL, SSL"})
    void should_follow_smtp_encryption_whatever_the_port(int port, SmtpEncryption setting, SmtpSecurity expected)
            throws Exception {
        assertThat(mailbox(NOWHERE, port, setting).smtpSecurity()).isEqualTo(expected);
    }

    @Test
    void should_offer_starttls_to_a_server_that_greets_in_clear_text_and_remember_it() throws Exception {
        ProbeServer greeting = server(0, ProbeServer.Behaviour.GREET);
        Mailbox box = mailbox("127.0.0.1", greeting.port(), SmtpEncryption.AUTO);

        assertThat(box.smtpSecurity()).isEqualTo(SmtpSecurity.STARTTLS_WHEN_OFFERED);
        Properties p = box.smtpProperties();
        assertThat(p).containsEntry("mail.smtp.starttls.enable", "true").doesNotContainKey("mail.smtp.starttls.required")
                .doesNotContainKey("mail.smtp.ssl.enable").containsEntry("mail.smtp.ssl.checkserveridentity", "true");
        greeting.close();
        assertThat(box.smtpSecurity()).as("decided once: no second probe").isEqualTo(
                SmtpSecurity.STARTTLS_WHEN_OFFERED);
        assertThat(greeting.connections()).isEqualTo(1);
    }

    @Test
    void should_probe_once_for_many_senders_at_once() throws Exception {
        ProbeServer greeting = server(0, ProbeServer.Behaviour.GREET);
        Mailbox box = mailbox("127.0.0.1", greeting.port(), SmtpEncryption.AUTO);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<SmtpSecurity>> answers = senders.invokeAll(Collections.nCopies(8,
                    box::smtpSecurity));
            for (Future<SmtpSecurity> a : answers) {
                assertThat(a.get()).isEqualTo(SmtpSecurity.STARTTLS_WHEN_OFFERED);
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(greeting.connections()).isEqualTo(1);
    }

    @Test
    void should_use_implicit_ssl_with_a_server_that_waits_silently_for_a_handshake() throws Exception {
        ProbeServer silent = server(0, ProbeServer.Behaviour.SILENT);
        Mailbox box = mailbox("127.0.0.1", silent.port(), SmtpEncryption.AUTO);

        assertThat(box.smtpSecurity()).isEqualTo(SmtpSecurity.SSL);
        assertThat(box.smtpProperties()).containsEntry("mail.smtps.ssl.enable", "true");
        assertThat(box.smtpSecurity()).isEqualTo(SmtpSecurity.SSL);
        assertThat(silent.connections()).isEqualTo(1);
    }

    @Test
    void should_not_remember_anything_while_the_server_is_unreachable_and_ask_again_once_it_is_up()
            throws Exception {
        int port = freePort();
        Mailbox box = mailbox("127.0.0.1", port, SmtpEncryption.AUTO);

        assertThatThrownBy(box::smtpSecurity).isInstanceOf(SmtpUnreachableException.class)
                .hasMessage("SMTP server 127.0.0.1:" + port + " cannot be reached to find out its encryption");
        assertThatThrownBy(box::smtpProperties).as("nothing guessed, least of all clear text")
                .isInstanceOf(SmtpUnreachableException.class);

        ProbeServer greeting = server(port, ProbeServer.Behaviour.GREET);
        assertThat(box.smtpSecurity()).isEqualTo(SmtpSecurity.STARTTLS_WHEN_OFFERED);
        assertThat(greeting.connections()).isEqualTo(1);
    }

    @Test
    void should_not_conclude_anything_from_a_server_that_hangs_up_without_a_word() throws Exception {
        ProbeServer hangingUp = server(0, ProbeServer.Behaviour.HANG_UP);
        int port = hangingUp.port();
        Mailbox box = mailbox("127.0.0.1", port, SmtpEncryption.AUTO);

        assertThatThrownBy(box::smtpSecurity).isInstanceOf(SmtpUnreachableException.class);

        hangingUp.close();
        server(port, ProbeServer.Behaviour.SILENT);
        assertThat(box.smtpSecurity()).isEqualTo(SmtpSecurity.SSL);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** A socket server on 127.0.0.1 that answers a connection the way one kind of SMTP server does. */
    static final class ProbeServer implements AutoCloseable {

        enum Behaviour {
            /** "220 …" at once, as on port 25 or 587. */
            GREET,
            /** Says nothing: it waits for the client's TLS handshake, as on port 465. */
            SILENT,
            /** Closes the connection without a word. */
            HANG_UP
        }

        private final ServerSocket socket;
        private final Thread acceptor;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        ProbeServer(int port, Behaviour behaviour) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            acceptor = new Thread(() -> serve(behaviour), "probe-server-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Behaviour behaviour) {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    connections.incrementAndGet();
                    switch (behaviour) {
                        case GREET -> {
                            client.getOutputStream().write("220 smtp.acme.test ESMTP\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                            client.getOutputStream().flush();
                            open.add(client);
                        }
                        case SILENT -> open.add(client);
                        case HANG_UP -> client.close();
                        default -> throw new IllegalStateException(behaviour.name());
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
            try {
                // the port is free only once the thread blocked in accept() has left it
                acceptor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
