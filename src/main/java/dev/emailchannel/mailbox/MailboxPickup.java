package dev.emailchannel.mailbox;

import dev.emailchannel.status.Problems;
import java.time.Clock;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pickup of one mailbox: camel-mail's IMAP consumer on the mailbox's folder, unread mail only, never marking a
 * mail read before its exchange completed ({@code peek}), configured from the {@link Mailbox} (server, SSL, sign-in)
 * instead of registry beans. Each poll's outcome goes to the mailbox's health.
 */
final class MailboxPickup implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxPickup.class);

    private final Mailbox mailbox;
    private final Clock clock;

    private MailboxPickup(Mailbox mailbox, Clock clock) {
        this.mailbox = mailbox;
        this.clock = clock;
    }

    static Consumer consumer(MailboxEndpoint endpoint, Processor processor) throws Exception {
        Mailbox mailbox = endpoint.mailbox();
        String uri = "imaps://" + mailbox.settings().imapHost() + ":" + mailbox.settings().imapPort();
        MailComponent imaps = endpoint.getCamelContext().getComponent("imaps", MailComponent.class);
        MailConfiguration config = new MailConfiguration(endpoint.getCamelContext());
        config.configure(new java.net.URI(uri));
        config.setAuthenticator(mailbox.authenticator());
        config.setAdditionalJavaMailProperties(mailbox.imapProperties());
        config.setFolderName(mailbox.settings().folder());
        config.setUnseen(true);
        config.setPeek(true);
        config.setMapMailMessage(false);
        MailEndpoint imap = new MailEndpoint(uri, imaps, config);
        imap.setCamelContext(endpoint.getCamelContext());
        imap.setDelay(endpoint.getCheckInterval() * 1000L);
        imap.setInitialDelay(500);
        imap.setMaxMessagesPerPoll(100);
        imap.setPollStrategy(new MailboxPickup(mailbox, Clock.systemUTC()));
        imap.start();
        return imap.createConsumer(processor);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        mailbox.health().pickedUp(clock.instant());
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String problem = Problems.describe(cause);
        LOG.warn("{}: IMAP poll failed: {}", mailbox.address(), problem);
        mailbox.signInFailed(cause);
        mailbox.health().failed("IMAP: " + problem, null);
        return false;
    }
}
