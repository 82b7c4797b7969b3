package dev.emailchannel.inbound;

import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.session.StoredMessage;
import dev.emailchannel.trust.SenderAuthentication;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the customer's session (one open session per address), chooses the attachments that go to the agent, and
 * stores the email in the session. Done once per email: a retry reuses the session and the stored message fixed in
 * the inbox at the first try, so the agent is told the same {@code session.new} every time.
 */
public final class SessionProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SessionProcessor.class);

    private final Inbox inbox;
    private final SessionStore sessions;
    private final AttachmentPolicy attachmentPolicy;
    private final Clock clock;

    public SessionProcessor(Inbox inbox, SessionStore sessions, AttachmentPolicy attachmentPolicy, Clock clock) {
        this.inbox = inbox;
        this.sessions = sessions;
        this.attachmentPolicy = attachmentPolicy;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Inbox.Claim claim = exchange.getVariable(InboundVariables.CLAIM, Inbox.Claim.class);
        String mailbox = claim.mail().mailbox();
        ParsedMail mail = exchange.getVariable(InboundVariables.MAIL, ParsedMail.class);
        NewContent content = exchange.getVariable(InboundVariables.CONTENT, NewContent.class);
        Instant now = clock.instant();

        Long storedRow = claim.mail().messageRow();
        SenderAuthentication sender = exchange.getVariable(InboundVariables.AUTHENTICATION,
                SenderAuthentication.class);
        SessionRef session;
        AttachmentSelection files;
        if (storedRow != null) {
            session = new SessionRef(claim.mail().sessionId(), Boolean.TRUE.equals(claim.mail().sessionNew()), mailbox);
            files = attachmentPolicy.select(mail, content, sessions.receivedFiles(session.id(), storedRow));
        } else {
            // the first try: session and message in one transaction with the claim's check. A sender a trusted server
            // could not verify gets a session of its own: a possible forger never sees, nor joins, the conversation
            String autoReply = exchange.getVariable(InboundVariables.AUTO_REPLY, String.class);
            AttachmentSelection[] chosen = new AttachmentSelection[1];
            session = inbox.storeInSession(claim, sessions, mail.from(), sender != null && sender.failed(), now,
                    (s, received) -> {
                        chosen[0] = attachmentPolicy.select(mail, content, received);
                        return new StoredMessage(0, s.id(), "IN", mailbox, mail.messageId(), mail.inReplyTo(),
                                String.join(" ", mail.references()), mail.from().address(), mail.from().name(),
                                join(mail.replyTo()), join(mail.to()), mail.subject(), content.text(), autoReply, now,
                                attachments(chosen[0]));
                    }).orElseThrow(() -> new ClaimLostException(claim));
            files = chosen[0];
        }
        exchange.setVariable(InboundVariables.SESSION, session);
        exchange.setVariable(InboundVariables.ATTACHMENTS, files);
        files.skipped().forEach(s -> LOG.info("{}: attachment {} ({} bytes) of {} not passed to the agent: {}",
                mailbox, s.filename(), s.size(), StoreInboundProcessor.describe(mail.messageId()), s.reason()));
    }

    private static List<StoredMessage.StoredAttachment> attachments(AttachmentSelection files) {
        List<StoredMessage.StoredAttachment> out = new ArrayList<>();
        files.accepted().forEach(a -> out.add(new StoredMessage.StoredAttachment(a.filename(), a.contentType(),
                a.size(), a.sha256(), null)));
        files.skipped().forEach(s -> out.add(new StoredMessage.StoredAttachment(s.filename(), null, s.size(), null,
                s.reason())));
        return out;
    }

    static String join(List<EmailAddress> addresses) {
        return addresses.isEmpty() ? null
                : addresses.stream().map(EmailAddress::address).collect(Collectors.joining(", "));
    }
}
