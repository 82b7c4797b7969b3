package dev.emailchannel.mailbox;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** One mailbox as a Camel endpoint: consumer = pickup of new mail, producer = SMTP send from this mailbox. */
@UriEndpoint(firstVersion = "0.1.0", scheme = MailboxComponent.SCHEME, title = "Mailbox", syntax = "mailbox:id",
        category = Category.MAIL)
public final class MailboxEndpoint extends DefaultEndpoint {

    private final Mailbox mailbox;

    @UriParam(description = "Seconds between inbox checks (CHECK_INTERVAL)", defaultValue = "15")
    private int checkInterval = 15;

    MailboxEndpoint(String uri, MailboxComponent component, Mailbox mailbox) {
        super(uri, component);
        this.mailbox = mailbox;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    public int getCheckInterval() {
        return checkInterval;
    }

    public void setCheckInterval(int checkInterval) {
        this.checkInterval = checkInterval;
    }

    @Override
    public Producer createProducer() {
        return new MailboxProducer(this, ((MailboxComponent) getComponent()).closer());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new MailboxConsumer(this, processor, (MailboxComponent) getComponent());
    }
}
