package dev.emailchannel.mailbox;

import dev.emailchannel.oauth.OAuthException;
import dev.emailchannel.status.Problems;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Signs in to every mailbox over IMAP and SMTP, all in parallel (a bounded pool) and with timeouts, before the channel
 * starts picking up mail, and records each result in the mailbox's health. Pickup connects on its own schedule, so
 * without this check a wrong password would surface as log noise instead of a clear ERROR naming the account and the
 * protocol.
 */
public final class SignInCheck {

    /** At most this many sign-ins at once: providers limit parallel connections, and threads cost memory. */
    static final int MAX_PARALLEL = 16;

    /**
     * An IMAP sign-in of the check: connects, signs in and checks that the folder exists; throws what went wrong
     * ({@link FolderNotFoundException} for a missing folder).
     */
    @FunctionalInterface
    public interface ImapSignIn {
        void signIn(Mailbox mailbox) throws Exception;
    }

    private SignInCheck() {
    }

    /**
     * @param imap         the IMAP sign-in ({@link MailboxComponent#signIn}: through the pickup engine, which may keep
     *                     the connection for the mailbox's pickup)
     * @param imapSignedIn told (on a check thread) of each mailbox whose IMAP sign-in worked, as soon as it did, while
     *                     its SMTP sign-in may still be under way: its pickup need not wait for the SMTP server, which
     *                     often answers slowest
     * @return one message per failed sign-in, e.g. {@code sales@acme.test: SMTP sign-in failed: 535 …}; empty when
     *         all succeeded
     */
    public static List<String> check(List<Mailbox> mailboxes, ImapSignIn imap, Consumer<Mailbox> imapSignedIn) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, Math.max(1, mailboxes.size() * 2)),
                r -> {
                    Thread t = new Thread(r, "sign-in-check");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<CompletableFuture<String>> imapChecks = new ArrayList<>();
            List<CompletableFuture<String>> smtp = new ArrayList<>();
            for (Mailbox m : mailboxes) {
                imapChecks.add(CompletableFuture.supplyAsync(() -> {
                    String problem = imap(m, imap);
                    if (problem == null) {
                        imapSignedIn.accept(m);
                    }
                    return problem;
                }, pool));
                smtp.add(CompletableFuture.supplyAsync(() -> smtp(m), pool));
            }
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < mailboxes.size(); i++) {
                String imapProblem = imapChecks.get(i).join();
                String smtpProblem = smtp.get(i).join();
                List<String> mine = new ArrayList<>();
                if (imapProblem != null) {
                    mine.add(imapProblem);
                }
                if (smtpProblem != null) {
                    mine.add(smtpProblem);
                }
                mailboxes.get(i).health().signedIn(imapProblem == null, smtpProblem == null,
                        mine.isEmpty() ? null : String.join("; ", mine));
                problems.addAll(mine);
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

    static String imap(Mailbox m, ImapSignIn imap) {
        try {
            imap.signIn(m);
            return null;
        } catch (FolderNotFoundException e) {
            return m.address() + ": IMAP folder \"" + m.settings().folder() + "\" does not exist";
        } catch (OAuthException e) {
            return e.getMessage();
        } catch (Exception e) {
            m.signInFailed(e);
            return m.address() + ": IMAP sign-in failed: " + Problems.describe(e);
        }
    }

    static String smtp(Mailbox m) {
        try (Transport transport = Session.getInstance(m.smtpProperties()).getTransport(m.smtpSecurity().protocol())) {
            PasswordAuthentication auth = m.authenticator().getPasswordAuthentication();
            transport.connect(m.settings().smtpHost(), m.settings().smtpPort(), auth.getUserName(), auth.getPassword());
            return null;
        } catch (OAuthException e) {
            return e.getMessage();
        } catch (Exception e) {
            m.signInFailed(e);
            return m.address() + ": SMTP sign-in failed: " + Problems.describe(e);
        }
    }
}
