package dev.emailchannel.outbound;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.reply.AgentReply;
import dev.emailchannel.reply.OutgoingMail;
import dev.emailchannel.reply.ReplyComposer;
import dev.emailchannel.reply.ReplyTarget;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.session.Transactions;
import dev.emailchannel.status.Tracing;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Emails the agent sends on its own: new emails to customers (one-off or a whole campaign) and a reply in an existing
 * session. Each is composed, written to the durable outbox and stored in its session before anyone tries to send it —
 * all emails of one request in one transaction, so a campaign is queued whole or not at all; the caller then asks the
 * {@code OutboxSender} to send them (or leaves them to the outbox timer).
 */
public final class OutboundMail {

    /** A queued email: its session, sender mailbox, Message-ID and outbox entry. */
    public record Queued(String sessionId, String mailbox, String messageId, long outboxId, String to) {
    }

    /** One new email to write. */
    public record NewEmail(EmailAddress to, String subject, AgentReply content) {
    }

    /** More work for the same transaction (e.g. recording the request's Idempotency-Key with its answer). */
    @FunctionalInterface
    public interface AlsoInTransaction {
        void run(Connection connection, List<Queued> queued) throws SQLException;
    }

    private final Transactions transactions;
    private final SessionStore sessions;
    private final ReplyComposer composer;
    private final Mailboxes mailboxes;
    private final MailboxRotation rotation;
    private final Clock clock;

    public OutboundMail(Transactions transactions, SessionStore sessions, ReplyComposer composer, Mailboxes mailboxes,
            MailboxRotation rotation, Clock clock) {
        this.transactions = transactions;
        this.sessions = sessions;
        this.composer = composer;
        this.mailboxes = mailboxes;
        this.rotation = rotation;
        this.clock = clock;
    }

    /**
     * New emails, each to its customer's sticky mailbox (or the mailbox of their latest session, or the next one in
     * rotation), in their open session or a new OUTBOUND one; queued all together or not at all.
     */
    public List<Queued> send(List<NewEmail> emails, AlsoInTransaction also) {
        Instant now = clock.instant();
        // the sender mailboxes first: a customer keeping a sticky mailbox is harmless should the rest fail
        List<MailboxSettings> senders = new ArrayList<>();
        for (NewEmail e : emails) {
            List<SessionStore.SessionSummary> earlier = sessions.sessions(e.to().address(), null);
            String preferred = earlier.isEmpty() ? null : earlier.get(0).mailbox();
            senders.add(mailboxes.require(rotation.assign(e.to().address(), mailboxes.addresses(), preferred, now))
                    .settings());
        }
        return transactions.run(c -> {
            List<Queued> queued = new ArrayList<>();
            for (int i = 0; i < emails.size(); i++) {
                NewEmail e = emails.get(i);
                MailboxSettings box = senders.get(i);
                SessionRef session = sessions.openOrJoin(c, e.to(), box.address().address(), "OUTBOUND", now);
                queued.add(queue(c, session.id(), box, composer.compose(box, e.to(), e.subject(), e.content()),
                        e.content(), now));
            }
            also.run(c, queued);
            return queued;
        });
    }

    /** A threaded reply to {@code target} from {@code box} in an existing session. */
    public Queued reply(String sessionId, MailboxSettings box, ReplyTarget target, AgentReply content) {
        Instant now = clock.instant();
        OutgoingMail out = composer.reply(box, target, content);
        return transactions.run(c -> queue(c, sessionId, box, out, content, now));
    }

    private static Queued queue(Connection c, String sessionId, MailboxSettings box, OutgoingMail out,
            AgentReply content, Instant now) throws SQLException {
        String mailbox = box.address().address();
        long outboxId = Outbox.enqueue(c, new Outbox.Draft(sessionId, mailbox, out.messageId(), out.to(),
                out.subject(), out.raw(), null, Tracing.current()), now);
        SessionStore.addMessage(c, out.stored(sessionId, box, content, now));
        return new Queued(sessionId, mailbox, out.messageId(), outboxId, out.to());
    }
}
