package dev.emailchannel.inbound;

import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.session.StoredMessage;
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
 * stores the email in the session. Done once per email: a retry reuses the session and the stored row fixed in the
 * delivery ledger at the first attempt.
 */
public final class SessionProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SessionProcessor.class);

    private final SessionStore sessions;
    private final AttachmentPolicy attachmentPolicy;
    private final DeliveryLedger ledger;
    private final Clock clock;

    public SessionProcessor(SessionStore sessions, AttachmentPolicy attachmentPolicy, DeliveryLedger ledger,
            Clock clock) {
        this.sessions = sessions;
        this.attachmentPolicy = attachmentPolicy;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        ParsedMail mail = exchange.getVariable(InboundVariables.MAIL, ParsedMail.class);
        NewContent content = exchange.getVariable(InboundVariables.CONTENT, NewContent.class);
        DeliveryLedger.Delivery delivery = exchange.getVariable(InboundVariables.DELIVERY,
                DeliveryLedger.Delivery.class);
        Instant now = clock.instant();

        SessionRef session;
        boolean firstAttempt = delivery.messageRow() == null;
        if (firstAttempt) {
            session = sessions.openOrJoin(mail.from(), mailbox, "INBOUND", now);
        } else {
            session = new SessionRef(delivery.sessionId(), Boolean.TRUE.equals(delivery.sessionNew()), mailbox);
        }
        exchange.setVariable(InboundVariables.SESSION, session);

        AttachmentSelection files = attachmentPolicy.select(mail, content,
                sessions.receivedFileHashes(session.id(), firstAttempt ? -1 : delivery.messageRow())::contains);
        exchange.setVariable(InboundVariables.ATTACHMENTS, files);
        files.skipped().forEach(s -> LOG.info("{}: attachment {} ({} bytes) of {} not passed to the agent: {}",
                mailbox, s.filename(), s.size(), ReceiveMailProcessor.describe(mail.messageId()), s.reason()));

        if (firstAttempt) {
            String autoReply = exchange.getVariable(InboundVariables.AUTO_REPLY, String.class);
            long row = sessions.addMessage(new StoredMessage(0, session.id(), "IN", mailbox,
                    mail.messageId(), mail.inReplyTo(), String.join(" ", mail.references()), mail.from().address(),
                    mail.from().name(), join(mail.replyTo()), join(mail.to()), mail.subject(), content.text(),
                    autoReply, now, attachments(files)));
            ledger.stored(mailbox, delivery.messageKey(), session.id(), session.isNew(), row, now);
        }
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
