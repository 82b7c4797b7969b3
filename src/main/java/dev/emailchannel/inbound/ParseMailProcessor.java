package dev.emailchannel.inbound;

import dev.emailchannel.Channel;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.mime.UnparseableMailException;
import dev.emailchannel.quote.NewContent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parses the raw mail, asks the auto-reply guard about it and extracts what the customer newly wrote. */
public final class ParseMailProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ParseMailProcessor.class);

    private final Channel channel;

    public ParseMailProcessor(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        ParsedMail mail;
        try {
            mail = channel.parser().parse(exchange.getVariable(InboundVariables.RAW, byte[].class));
        } catch (UnparseableMailException e) {
            throw new RejectedMailException(e.getMessage(), e);
        }
        if (!mail.problems().isEmpty()) {
            LOG.info("{}: {} parsed with problems: {}", mailbox, ReceiveMailProcessor.describe(mail.messageId()),
                    String.join("; ", mail.problems()));
        }
        if (mail.from() == null) {
            throw new RejectedMailException("the message has no usable From address", null);
        }
        exchange.setVariable(InboundVariables.MAIL, mail);
        channel.guard().reasonNotToAnswer(mail, channel.settings().ownAddressKeys())
                .ifPresent(reason -> exchange.setVariable(InboundVariables.AUTO_REPLY, reason));
        NewContent content = channel.contentExtractor().extract(mail);
        exchange.setVariable(InboundVariables.CONTENT, content);
    }
}
