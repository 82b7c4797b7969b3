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
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Emails the agent sends on its own: a new email to a customer (one-off or campaign) and a reply in an existing
 * session. Each is composed, written to the durable outbox and stored in its session before anyone tries to send it;
 * the caller then asks the {@code OutboxSender} to send it (or leaves it to the outbox timer).
 */
public final class OutboundMail {

    /** A queued email: its session, sender mailbox, Message-ID and outbox entry. */
    public record Queued(String sessionId, String mailbox, String messageId, long outboxId, String to) {
    }

    private final SessionStore sessions;
    private final Outbox outbox;
    private final ReplyComposer composer;
    private final Mailboxes mailboxes;
    private final MailboxRotation rotation;
    private final Clock clock;

    public OutboundMail(SessionStore sessions, Outbox outbox, ReplyComposer composer, Mailboxes mailboxes,
            MailboxRotation rotation, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.composer = composer;
        this.mailboxes = mailboxes;
        this.rotation = rotation;
        this.clock = clock;
    }

    /**
     * A new email to {@code to}: the customer's sticky mailbox (or the mailbox of their latest session, or the next
     * one in rotation), their open session or a new OUTBOUND one.
     */
    public Queued send(EmailAddress to, String subject, AgentReply content) {
        Instant now = clock.instant();
        List<SessionStore.SessionSummary> earlier = sessions.sessions(to.address(), null);
        String preferred = earlier.isEmpty() ? null : earlier.get(0).mailbox();
        String mailbox = rotation.assign(to.address(), mailboxes.addresses(), preferred, now);
        MailboxSettings box = mailboxes.require(mailbox).settings();
        SessionRef session = sessions.openOrJoin(to, mailbox, "OUTBOUND", now);
        OutgoingMail out = composer.compose(box, to, subject, content);
        return queue(session.id(), box, out, content, now);
    }

    /** A threaded reply to {@code target} from {@code box} in an existing session. */
    public Queued reply(String sessionId, MailboxSettings box, ReplyTarget target, AgentReply content) {
        Instant now = clock.instant();
        OutgoingMail out = composer.reply(box, target, content);
        return queue(sessionId, box, out, content, now);
    }

    private Queued queue(String sessionId, MailboxSettings box, OutgoingMail out, AgentReply content, Instant now) {
        String mailbox = box.address().address();
        long outboxId = outbox.enqueue(new Outbox.Draft(sessionId, mailbox, out.messageId(), out.raw()), now);
        sessions.addMessage(out.stored(sessionId, box, content, now));
        return new Queued(sessionId, mailbox, out.messageId(), outboxId, out.to());
    }
}
