package dev.emailchannel.api;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain SMTP server for tests that accepts any sign-in and refuses every recipient for good
 * ({@code 550 5.1.1}): the channel must record a permanent failure, not retry.
 */
final class RejectingSmtpServer implements AutoCloseable {

    private final ServerSocket server;
    final List<String> recipients = new CopyOnWriteArrayList<>();
    final AtomicInteger dataCommands = new AtomicInteger();

    RejectingSmtpServer() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(this::serve, "rejecting-smtp");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> session(s), "rejecting-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (Exception e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            write(out, "220 fake.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    write(out, "250-fake.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
                } else if (upper.startsWith("HELO")) {
                    write(out, "250 fake.test");
                } else if (upper.equals("AUTH PLAIN")) {
                    write(out, "334 ");
                    in.readLine();
                    write(out, "235 2.7.0 ok");
                } else if (upper.startsWith("AUTH PLAIN ")) {
                    write(out, "235 2.7.0 ok");
                } else if (upper.startsWith("AUTH LOGIN")) {
                    if (upper.equals("AUTH LOGIN")) {
                        write(out, "334 VXNlcm5hbWU6");
                        in.readLine();
                    }
                    write(out, "334 UGFzc3dvcmQ6");
                    in.readLine();
                    write(out, "235 2.7.0 ok");
                } else if (upper.startsWith("MAIL FROM")) {
                    write(out, "250 2.1.0 ok");
                } else if (upper.startsWith("RCPT TO")) {
                    recipients.add(line.substring(8).trim());
                    write(out, "550 5.1.1 Recipient address rejected: mailbox unavailable");
                } else if (upper.startsWith("DATA")) {
                    dataCommands.incrementAndGet();
                    write(out, "554 5.5.1 no valid recipients");
                } else if (upper.startsWith("QUIT")) {
                    write(out, "221 2.0.0 bye");
                    return;
                } else {
                    write(out, "250 ok");
                }
            }
        } catch (Exception e) {
            // the client went away
        }
    }

    private static void write(OutputStream out, String reply) throws Exception {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
