package dev.emailchannel.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.cluster.MailboxLeadership;
import dev.emailchannel.config.ChannelSettingsParser;
import dev.emailchannel.config.LoadedSettings;
import dev.emailchannel.mailbox.Mailbox;
import dev.emailchannel.mailbox.Mailboxes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;

/**
 * A mailbox this instance takes over gets its pickup route; the pickup reports how it watches (IDLE or POLL) from the
 * engine's threads as soon as it has connected — with many mailboxes on a busy machine, before {@code startRoute}
 * has returned. That report must survive the lifecycle recording the ownership.
 */
class ChannelLifecycleOwnershipTest {

    @Test
    void should_keep_the_pickup_mode_reported_while_the_route_was_starting() throws Exception {
        Map<String, String> env = Map.of("EMAIL_ADDRESS", "support@acme.test", "EMAIL_PASSWORD", "pw",
                "IMAP_SERVER", "imap.acme.test", "SMTP_SERVER", "smtp.acme.test", "AGENT_URL", "http://agent.local/e");
        LoadedSettings loaded = new LoadedSettings(ChannelSettingsParser.parse(s -> env.get(s.name())), List.of());
        Mailboxes mailboxes = Mailboxes.of(loaded.settings(), null);
        Mailbox mailbox = mailboxes.all().get(0);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    routeTemplate(ChannelLifecycle.TEMPLATE).templateParameter("mailbox").templateParameter("address")
                            .templateParameter("checkInterval")
                            .from("direct:pickup-{{mailbox}}").to("log:pickup");
                }
            });
            // stands in for a pickup that connects before startRoute returns (it reports from another thread then)
            camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.RouteStartedEvent started
                            && started.getRoute().getRouteId().startsWith("pickup-")) {
                        mailbox.health().watching("IDLE");
                    }
                }
            });
            camel.start();
            ChannelState state = new ChannelState();
            state.set(ChannelStatus.RUNNING, null);
            ChannelLifecycle lifecycle = new ChannelLifecycle(loaded, mailboxes, state, camel);
            lifecycle.leadership(MailboxLeadership.standalone("solo", lifecycle, new SimpleMeterRegistry()));

            lifecycle.onBecomeOwner("support@acme.test");

            assertThat(camel.getRouteController().getRouteStatus("pickup-" + mailbox.id()).isStarted()).isTrue();
            assertThat(mailbox.health().snapshot().pickupMode()).isEqualTo("IDLE");
            assertThat(mailbox.health().snapshot().owner()).isEqualTo("solo");
        }
    }
}
