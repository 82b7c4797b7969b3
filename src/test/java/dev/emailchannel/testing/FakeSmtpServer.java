package dev.emailchannel.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain SMTP server for tests (no TLS, any sign-in accepted) whose answers a test sets: refuse every recipient for
 * good ({@code 550 5.1.1}), answer a whole mail with a provider's limit ({@code 550 5.4.5 Daily user sending limit
 * exceeded}), or accept it; and, to play a slow server, hold the answer to a mail until the test lets it go. It
 * records the recipients, the DATA commands and the mails it accepted.
 */
public final class FakeSmtpServer implements AutoCloseable {

    public static final String ACCEPT = "250 2.0.0 Ok: queued";
    public static final String DAILY_LIMIT = "550 5.4.5 Daily user sending limit exceeded";
    /** Not an answer: the server takes the whole mail (listed by {@link #taken()}) and drops the connection. */
    public static final String TAKE_AND_DROP = "take and drop";

    private final ServerSocket server;
    private final List<String> recipients = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> taken = new CopyOnWriteArrayList<>();
    private final AtomicInteger discarded = new AtomicInteger();
    private final AtomicInteger dataCommands = new AtomicInteger();
    private final AtomicInteger holding = new AtomicInteger();
    private volatile String recipientReply = "250 2.1.5 Ok";
    private volatile List<String> mailReplies = List.of(ACCEPT);
    private final AtomicInteger mailsAnswered = new AtomicInteger();
    private volatile CountDownLatch hold;

    public FakeSmtpServer() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(this::serve, "fake-smtp");
        t.setDaemon(true);
        t.start();
    }

    /** Refuses every recipient for good: the channel must record a permanent failure, not retry. */
    public static FakeSmtpServer rejectingRecipients() throws Exception {
        FakeSmtpServer s = new FakeSmtpServer();
        s.recipientReply = "550 5.1.1 Recipient address rejected: mailbox unavailable";
        return s;
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * The answers to the next mails, once each one's content is received (e.g. {@link #ACCEPT}, {@link #DAILY_LIMIT}),
     * in turn; the last one answers every mail after them.
     */
    public FakeSmtpServer answerMails(String... replies) {
        mailReplies = List.of(replies);
        mailsAnswered.set(0);
        return this;
    }

    /** From now on, the answer to a mail waits until {@link #release()}: a slow server. */
    public FakeSmtpServer holdAnswers() {
        hold = new CountDownLatch(1);
        return this;
    }

    public void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Mails received whole whose answer is being held. */
    public int holding() {
        return holding.get();
    }

    public List<String> recipients() {
        return List.copyOf(recipients);
    }

    public int dataCommands() {
        return dataCommands.get();
    }

    /** The mails received whole (up to the {@code .} line), whatever the answer was, as received. */
    public List<String> taken() {
        return List.copyOf(taken);
    }

    /** Mails whose connection ended before their {@code .} line (dropped, as a server drops them). */
    public int discarded() {
        return discarded.get();
    }

    /** The mails answered with 250, as received. */
    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> session(s), "fake-smtp-session");
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
                    StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            write(out, "220 fake.test ESMTP");
            boolean recipientAccepted = false;
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
                    recipientAccepted = false;
                    write(out, "250 2.1.0 ok");
                } else if (upper.startsWith("RCPT TO")) {
                    recipients.add(line.substring(8).trim());
                    String reply = recipientReply;
                    recipientAccepted |= reply.startsWith("2");
                    write(out, reply);
                } else if (upper.startsWith("DATA")) {
                    dataCommands.incrementAndGet();
                    if (!recipientAccepted) {
                        write(out, "554 5.5.1 no valid recipients");
                        continue;
                    }
                    write(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder mail = new StringBuilder();
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        mail.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
                    }
                    if (line == null) {
                        discarded.incrementAndGet(); // the client went away before the end: a server drops the mail
                        return;
                    }
                    taken.add(mail.toString());
                    awaitRelease();
                    List<String> replies = mailReplies;
                    String reply = replies.get(Math.min(mailsAnswered.getAndIncrement(), replies.size() - 1));
                    if (reply.equals(TAKE_AND_DROP)) {
                        return;
                    }
                    if (reply.startsWith("2")) {
                        accepted.add(mail.toString());
                    }
                    write(out, reply);
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

    private void awaitRelease() throws InterruptedException {
        CountDownLatch h = hold;
        if (h == null) {
            return;
        }
        holding.incrementAndGet();
        try {
            h.await(5, TimeUnit.MINUTES);
        } finally {
            holding.decrementAndGet();
        }
    }

    private static void write(OutputStream out, String reply) throws Exception {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        release();
        server.close();
    }
}
