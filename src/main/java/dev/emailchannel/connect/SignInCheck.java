package dev.emailchannel.connect;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.oauth.OAuthException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Signs in to every mailbox over IMAP and SMTP, all in parallel and with timeouts, before the channel starts polling.
 * A mail consumer connects only when it polls, so without this check a wrong password would surface as log noise
 * instead of a clear ERROR naming the account and the protocol.
 */
public final class SignInCheck {

    private final Function<MailboxSettings, String> secrets;

    /** @param secrets the password, or a fresh OAuth access token, of a mailbox */
    public SignInCheck(Function<MailboxSettings, String> secrets) {
        this.secrets = secrets;
    }

    /** @return one message per failed sign-in, e.g. {@code sales@acme.test: SMTP sign-in failed: 535 …}; empty when all succeeded */
    public List<String> check(List<MailboxSettings> mailboxes) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, Math.max(2, mailboxes.size() * 2)),
                r -> {
                    Thread t = new Thread(r, "sign-in-check");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (MailboxSettings m : mailboxes) {
                results.add(CompletableFuture.supplyAsync(() -> imap(m), pool));
                results.add(CompletableFuture.supplyAsync(() -> smtp(m), pool));
            }
            List<String> problems = new ArrayList<>();
            for (CompletableFuture<String> r : results) {
                String problem = r.join();
                if (problem != null) {
                    problems.add(problem);
                }
            }
            return problems;
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    String imap(MailboxSettings m) {
        try {
            Store store = Session.getInstance(MailProtocols.imap(m)).getStore("imaps");
            store.connect(m.imapHost(), m.imapPort(), m.address().address(), secrets.apply(m));
            try {
                if (!store.getFolder(m.folder()).exists()) {
                    return m.address().address() + ": IMAP folder \"" + m.folder() + "\" does not exist";
                }
            } finally {
                store.close();
            }
            return null;
        } catch (OAuthException e) {
            return e.getMessage();
        } catch (Exception e) {
            return m.address().address() + ": IMAP sign-in failed: " + describe(e);
        }
    }

    String smtp(MailboxSettings m) {
        String scheme = MailProtocols.smtpScheme(m);
        try (Transport transport = Session.getInstance(MailProtocols.smtp(m)).getTransport(scheme)) {
            transport.connect(m.smtpHost(), m.smtpPort(), m.address().address(), secrets.apply(m));
            return null;
        } catch (OAuthException e) {
            return e.getMessage();
        } catch (Exception e) {
            return m.address().address() + ": SMTP sign-in failed: " + describe(e);
        }
    }

    /** The server's answer or the network problem, in one line, without stack traces. */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        while (t != null && sb.length() < 300) {
            String msg = t.getMessage();
            if (msg != null && !msg.isBlank() && sb.indexOf(msg.strip()) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(msg.strip().replaceAll("\\s+", " "));
            } else if (msg == null && sb.length() == 0) {
                sb.append(t.getClass().getSimpleName());
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.toString();
    }
}
