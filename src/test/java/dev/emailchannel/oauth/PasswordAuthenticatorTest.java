package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A password with URI-hostile characters signs in through the bean, not through the endpoint URI. */
class PasswordAuthenticatorTest {

    private static final String MAILBOX = "support@acme.test";
    private static final String PASSWORD = "p+a#s%s,w\\o rd&=?";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, MAILBOX, PASSWORD));

    @Test
    void should_sign_in_to_imap_and_smtp_with_a_password_that_is_not_in_the_uri() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        CamelContext camel = new DefaultCamelContext();
        try {
            camel.getRegistry().bind("auth", new PasswordAuthenticator(MAILBOX, PASSWORD));
            String imapUri = "imap://127.0.0.1:" + greenMail.getImap().getPort()
                    + "?authenticator=#auth&initialDelay=0&delay=200";
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(imapUri).process(e -> received.add(e.getMessage().getBody(String.class)));
                }
            });
            camel.start();

            String smtpUri = "smtp://127.0.0.1:" + greenMail.getSmtp().getPort() + "?authenticator=#auth";
            camel.createProducerTemplate().sendBodyAndHeaders(smtpUri, "password sign-in",
                    Map.of("From", MAILBOX, "To", MAILBOX, "Subject", "pw"));

            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            assertThat(received.get(0)).contains("password sign-in");
            assertThat(camel.getEndpoints()).allSatisfy(ep -> assertThat(ep.getEndpointUri()).doesNotContain(PASSWORD));
        } finally {
            camel.stop();
        }
    }
}
