package dev.emailchannel.inbox;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/** {@code inbox:dispatch}: a consumer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = InboxComponent.SCHEME, title = "Inbox", syntax = "inbox:name",
        consumerOnly = true, category = Category.MAIL)
public final class InboxEndpoint extends DefaultEndpoint {

    InboxEndpoint(String uri, InboxComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("inbox: is a consumer only; mail enters the inbox from its mailbox");
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new InboxConsumer(this, processor, (InboxComponent) getComponent());
    }
}
