package dev.emailchannel.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.emailchannel.api.RecentLogAppender;
import dev.emailchannel.config.ChannelSettingsParser;
import dev.emailchannel.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The production {@code logback.xml}: a secret planted in every form and every part of a log event never reaches an
 * appender: the console output (captured) and the API's log buffer show it masked.
 */
class LogbackMaskingTest {

    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String PASSWORD = "pw+" + ID + " /%&x";
    private static final String AGENT_TOKEN = "agent-token-" + ID;
    private static final String ACCESS_TOKEN = "ya29.access-" + ID + "-token";
    private static final String ROTATED = "M.C5-rotated-refresh-" + ID;
    private static final String DB_PASSWORD = "db-pw-" + ID;
    private static final String AGENT_URL_TOKEN = "url-token-" + ID;

    private static PrintStream realOut;
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();

    @BeforeAll
    static void productionConfigurationWithCapturedConsole() throws Exception {
        realOut = System.out;
        System.setOut(new PrintStream(CONSOLE, true, StandardCharsets.UTF_8));
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());

        Map<Setting, String> env = Map.of(Setting.EMAIL_PASSWORD, "other-pw-" + ID + "," + PASSWORD,
                Setting.AGENT_TOKEN, AGENT_TOKEN,
                Setting.DATABASE_URL, "jdbc:postgresql://app:" + DB_PASSWORD + "@db.acme.test/channel",
                Setting.AGENT_URL, "https://agent.acme.test/in?access_token=" + AGENT_URL_TOKEN);
        LogSecrets.register(ChannelSettingsParser.secretValues(env::get));
        LogSecrets.remember("oauth-access:support@acme.test", ACCESS_TOKEN);
        LogSecrets.remember("oauth-refresh:support@acme.test", ROTATED);
    }

    @AfterAll
    static void restore() {
        System.setOut(realOut);
        LogSecrets.clear();
    }

    private static List<String> plantedForms() {
        List<String> forms = new ArrayList<>();
        for (String s : List.of(PASSWORD, AGENT_TOKEN, ACCESS_TOKEN, ROTATED, DB_PASSWORD, AGENT_URL_TOKEN)) {
            forms.add(s);
            forms.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
            forms.add(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        }
        return forms;
    }

    @Test
    void no_appender_receives_a_planted_secret() throws Exception {
        org.slf4j.Logger log = LoggerFactory.getLogger("dev.emailchannel.Planted");
        String sasl = Base64.getEncoder().encodeToString(("user=support@acme.test\u0001auth=Bearer " + ACCESS_TOKEN
                + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
        for (String form : plantedForms()) {
            log.info("message {} and argument {}", form, form);
        }
        log.warn("SMTP: C: AUTH XOAUTH2 {}", sasl);
        log.warn("IMAP: AUTHENTICATE PLAIN {}", Base64.getEncoder().encodeToString(("\u0000support@acme.test\u0000"
                + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        log.info("Connecting to jdbc:postgresql://app:{}@db.acme.test/channel and https://agent.acme.test/in?"
                + "access_token={}", DB_PASSWORD, AGENT_URL_TOKEN);
        // an agent's 4xx answer echoing the request, logged as the channel logs a refused mail
        log.warn("support@acme.test: <m1@x> parked: agent refused the email with HTTP 401: {\"error\": \"bad token\","
                + " \"got\": \"Bearer {}\", \"refresh\": \"{}\"}", AGENT_TOKEN, ROTATED);
        log.error("exception with the secret in message and cause", new IllegalStateException("token " + ACCESS_TOKEN,
                new RuntimeException("password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8))));
        Thread named = new Thread(() -> log.info("from a thread named after the secret"), "worker-" + AGENT_TOKEN);
        named.start();
        named.join();

        String console = CONSOLE.toString(StandardCharsets.UTF_8);
        List<String> buffered = RecentLogAppender.recent(RecentLogAppender.capacity());
        assertThat(console).contains("message ********", "exception with the secret", "Caused by:",
                "AUTH XOAUTH2", "parked", "[worker-********]");
        assertThat(String.join("\n", buffered)).contains("message ********", "AUTH XOAUTH2");
        for (String form : plantedForms()) {
            assertThat(console).as("console").doesNotContain(form);
            assertThat(buffered).as("API log buffer").noneMatch(line -> line.contains(form));
        }
        assertThat(console).doesNotContain(ID); // every secret above carries the ID; no form of any survived
    }

    @Test
    void every_configured_appender_masks() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                appenders.add(it.next());
            }
        }
        assertThat(appenders).isNotEmpty();
        for (Appender<ILoggingEvent> appender : appenders) {
            if (appender instanceof OutputStreamAppender<ILoggingEvent> out) {
                assertThat(out.getEncoder()).as(appender.getName()).isInstanceOf(LayoutWrappingEncoder.class);
                assertThat(((LayoutWrappingEncoder<ILoggingEvent>) out.getEncoder()).getLayout()).as(appender.getName())
                        .isInstanceOf(MaskingPatternLayout.class);
            } else {
                assertThat(appender).as(appender.getName()).isInstanceOf(RecentLogAppender.class);
            }
        }
    }
}
