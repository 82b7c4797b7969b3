package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.AuthenticationFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Camel route that reads over IMAP and sends over SMTP, signed in with XOAUTH2 through
 * {@link XOAuth2Authenticator}, against GreenMail (which accepts XOAUTH2 when the bearer token is the
 * user's password). Plain {@code imap}/{@code smtp} on dynamic local ports: TLS is not the subject.
 *
 * <p>That XOAUTH2 is the mechanism actually used is read from Angus Mail's protocol trace (JUL, the
 * AUTH lines themselves are suppressed by Angus Mail, which is also checked: the token never shows).
 */
class XOAuth2MailRouteTest {

    private static final String MAILBOX = "agent@acme.test";
    private static final String ACCESS_TOKEN = "ya29.greenmail-access-token";
    private static final String REFRESH_TOKEN = "1//greenmail-refresh";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(MAILBOX, MAILBOX, ACCESS_TOKEN))
            .withPerMethodLifecycle(true);

    /** Strong reference: JUL keeps loggers weakly. */
    private static final Logger ANGUS = Logger.getLogger("org.eclipse.angus.mail");

    private final List<String> trace = new CopyOnWriteArrayList<>();
    private final Handler traceHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            trace.add(record.getLoggerName() + ": " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private FakeTokenEndpoint tokenEndpoint;
    private CamelContext camel;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        tokenEndpoint = new FakeTokenEndpoint(REFRESH_TOKEN);
        ANGUS.setLevel(Level.FINEST);
        ANGUS.setUseParentHandlers(false);
        traceHandler.setLevel(Level.ALL);
        ANGUS.addHandler(traceHandler);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        tokenEndpoint.close();
        ANGUS.removeHandler(traceHandler);
        ANGUS.setLevel(null);
        ANGUS.setUseParentHandlers(true);
    }

    @Test
    void should_read_and_send_mail_signed_in_with_xoauth2() throws Exception {
        tokenEndpoint.fixedAccessToken(ACCESS_TOKEN);
        startCamel();

        camel.createProducerTemplate().sendBodyAndHeaders(smtpUri(), "Hello over XOAUTH2",
                Map.of("From", MAILBOX, "To", MAILBOX, "Subject", "oauth test"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        assertThat(received.get(0)).contains("Hello over XOAUTH2");
        assertThat(tokenEndpoint.calls()).isEqualTo(1); // one provider for the mailbox: IMAP and SMTP share its token
        assertThat(tokenEndpoint.lastRequest().form()).containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", REFRESH_TOKEN);

        assertThat(trace).anyMatch(line -> line.contains("AUTHENTICATE XOAUTH2 command trace suppressed"));
        assertThat(trace).anyMatch(line -> line.contains("AUTH XOAUTH2 command trace suppressed"));
        assertThat(trace).noneMatch(line -> line.contains("LOGIN command trace suppressed")
                || line.contains("PLAIN command trace suppressed"));
        String sasl = Base64.getEncoder().encodeToString(("user=" + MAILBOX + "\001auth=Bearer " + ACCESS_TOKEN
                + "\001\001").getBytes(StandardCharsets.UTF_8));
        assertThat(trace).noneMatch(line -> line.contains(ACCESS_TOKEN) || line.contains(sasl));
    }

    @Test
    void should_keep_presenting_the_cached_token_when_nothing_invalidates_it() throws Exception {
        tokenEndpoint.fixedAccessToken("ya29.wrong-token");
        startCamel();

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> tokenEndpoint.calls() == 1);
        assertThat(trace).filteredOn(line -> line.contains("AUTHENTICATE XOAUTH2 command trace suppressed"))
                .asInstanceOf(InstanceOfAssertFactories.LIST).hasSizeGreaterThan(2); // several polls, one token
    }

    /**
     * Documents camel-mail 4.18: {@code MailConfiguration.createJavaMailProperties} asks the
     * authenticator for the user name when the consumer is created, which fetches a token; so a
     * failing token endpoint already fails the route's start, with our secret-free message.
     */
    @Test
    void should_fail_the_route_start_when_no_token_can_be_obtained() {
        tokenEndpoint.failWith(400, "{\"error\":\"invalid_grant\"}");

        assertThatThrownBy(() -> startCamel())
                .hasRootCauseInstanceOf(OAuthException.class)
                .rootCause().hasMessage(MAILBOX + ": OAuth token refresh failed: invalid_grant (HTTP 400 from "
                        + tokenEndpoint.uri() + ")");
    }

    private void startCamel() throws Exception {
        OAuthTokenProvider provider = OAuthTokenProvider.builder(tokenEndpoint.credentials(MAILBOX, REFRESH_TOKEN))
                .build();
        XOAuth2Authenticator imapAuth = new XOAuth2Authenticator(provider);
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("auth", imapAuth);
        camel.getRegistry().bind("auth2", new XOAuth2Authenticator(provider));
        String imapUri = "imap://127.0.0.1:" + greenMail.getImap().getPort()
                + "?authenticator=#auth&initialDelay=0&delay=200&" + XOAuth2MailProperties.uriQuery("imap");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(imapUri).routeId("inbound").process(e -> received.add(e.getMessage().getBody(String.class)));
            }
        });
        camel.start();
    }

    private String smtpUri() {
        return "smtp://127.0.0.1:" + greenMail.getSmtp().getPort() + "?authenticator=#auth2&"
                + XOAuth2MailProperties.uriQuery("smtp");
    }

    private static String stackText(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
