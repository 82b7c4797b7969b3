package dev.emailchannel.inbound;

import dev.emailchannel.mime.MailParser;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.mime.UnparseableMailException;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.quote.NewContentExtractor;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.trust.SenderAuthentication;
import dev.emailchannel.trust.SenderAuthenticator;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First step of dispatch: reads the claimed mail's raw bytes from the inbox, parses them, reads what a trusted server
 * found out about the sender (SPF, DKIM, DMARC), asks the auto-reply guard about the mail and extracts what the
 * customer newly wrote. A mail that cannot be parsed, has no usable sender, or holds what the session store cannot
 * keep (an overlong sender address, a NUL character) fails on its own (it is parked after a few tries).
 */
public final class ParseMailProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ParseMailProcessor.class);

    private final Inbox inbox;
    private final MailParser parser;
    private final AutoReplyGuard guard;
    private final NewContentExtractor extractor;
    private final SenderAuthenticator senders;
    private final Set<String> ownAddressKeys;

    /** @param ownAddressKeys lower-cased addresses of the channel's mailboxes (mail from them is not answered) */
    public ParseMailProcessor(Inbox inbox, MailParser parser, AutoReplyGuard guard, NewContentExtractor extractor,
            SenderAuthenticator senders, Set<String> ownAddressKeys) {
        this.inbox = inbox;
        this.parser = parser;
        this.guard = guard;
        this.extractor = extractor;
        this.senders = senders;
        this.ownAddressKeys = Set.copyOf(ownAddressKeys);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Inbox.Claim claim = exchange.getVariable(InboundVariables.CLAIM, Inbox.Claim.class);
        String mailbox = claim.mail().mailbox();
        ParsedMail mail;
        try {
            mail = parser.parse(inbox.raw(claim.id()));
        } catch (UnparseableMailException e) {
            throw new RejectedMailException(e.getMessage(), e);
        }
        if (!mail.problems().isEmpty()) {
            LOG.info("{}: {} parsed with problems: {}", mailbox, StoreInboundProcessor.describe(mail.messageId()),
                    String.join("; ", mail.problems()));
        }
        if (mail.from() == null) {
            throw new RejectedMailException("the message has no usable From address", null);
        }
        exchange.setVariable(InboundVariables.MAIL, mail);
        SenderAuthentication sender = senders.authenticate(mail.headers().values("Authentication-Results"),
                mail.from().address());
        exchange.setVariable(InboundVariables.AUTHENTICATION, sender);
        if (sender.failed()) {
            LOG.warn("{}: {} claims to be from {}, but a trusted server reports DMARC {}: it gets a session of its "
                    + "own, marked unverified", mailbox, StoreInboundProcessor.describe(mail.messageId()),
                    mail.from().address(), sender.dmarc());
        }
        guard.reasonNotToAnswer(mail, ownAddressKeys)
                .ifPresent(reason -> exchange.setVariable(InboundVariables.AUTO_REPLY, reason));
        NewContent content = extractor.extract(mail);
        Optional<String> unstorable = StorableMail.problem(mail, content.text());
        if (unstorable.isPresent()) {
            throw new RejectedMailException(unstorable.get(), null);
        }
        exchange.setVariable(InboundVariables.CONTENT, content);
    }
}
