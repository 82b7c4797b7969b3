package dev.emailchannel.testing;

import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.inbound.AutoReplyGuard;
import dev.emailchannel.inbound.InboundMails;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.inbound.ParseMailProcessor;
import dev.emailchannel.inbound.SessionProcessor;
import dev.emailchannel.mailbox.Mailbox;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.MailParser;
import dev.emailchannel.quote.NewContentExtractor;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.ChannelState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the inbound processors work on, all real and cheap: an in-memory H2 database (inbox, sessions, outbox), a
 * meter registry, a fixed clock, the channel state and a started Camel context for plain exchanges. A test stores a
 * raw mail in the inbox and claims it as the dispatcher does, then runs a processor on an exchange carrying the
 * variables the dispatch route would have set by then ({@link #afterSession}: the real parse and session steps).
 * Register it on a test's field ({@code @RegisterExtension}) and it is closed after each test.
 */
public final class DispatchFixture implements AutoCloseable, AfterEachCallback {

    public static final String CONNECTION = "email";
    public static final String BOX = "support@acme.test";
    public static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    public static final Duration LEASE = Duration.ofSeconds(30);

    private final TestDatabases.TestDatabase db;
    private final Inbox inbox;
    private final SessionStore sessions;
    private final Outbox outbox;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ChannelMetrics metrics = new ChannelMetrics(meters);
    private final ChannelState state = new ChannelState();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Mailboxes mailboxes;
    private final CamelContext camel = new DefaultCamelContext();

    private DispatchFixture() {
        db = TestDatabases.open("h2");
        inbox = new Inbox(db.dataSource());
        sessions = new SessionStore(db.dataSource(), CONNECTION, Duration.ofDays(7));
        outbox = new Outbox(db.dataSource());
        mailboxes = new Mailboxes(List.of(Mailbox.of(mailboxSettings(), null)));
        camel.start();
    }

    public static DispatchFixture open() {
        return new DispatchFixture();
    }

    /** The support mailbox: password sign-in, SMTP on 587 (STARTTLS), display name "Acme Support". */
    public static MailboxSettings mailboxSettings() {
        return new MailboxSettings(0, new EmailAddress(BOX, "Acme Support"), new Secret("support-pw"),
                "imap.acme.test", 993, "smtp.acme.test", 587, MailboxSettings.SmtpEncryption.AUTO, "Acme Support",
                "INBOX", "text/plain", null);
    }

    /** A plain-text mail (CRLF line ends) with the given header lines before the body. */
    public static byte[] mail(String headers, String body) {
        String text = headers.strip() + "\n" + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n" + body;
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A mail from Jane to the support mailbox, "Order 1234", with this Message-ID. */
    public static byte[] janeAsks(String messageId, String body) {
        return mail("From: Jane Doe <jane@example.com>\nTo: support@acme.test\nSubject: Order 1234\n"
                + "Date: Tue, 1 Dec 2026 09:59:00 +0000\nMessage-ID: " + messageId, body);
    }

    /** A fixture file from {@code src/test/resources}, e.g. {@code /mime/gmail-vacation.eml}. */
    public static byte[] resource(String path) {
        try (InputStream in = DispatchFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores the raw mail in the inbox (as pickup does, received a minute ago) and claims it (as dispatch does). */
    public Inbox.Claim claim(byte[] raw) {
        return claim(raw, NOW.minusSeconds(60));
    }

    /** The same, with the mail's arrival on the server (IMAP INTERNALDATE), or null when the server gave none. */
    public Inbox.Claim claim(byte[] raw, Instant receivedAt) {
        Inbox.NewMail mail = InboundMails.of(CONNECTION, BOX, raw, null, null, receivedAt);
        long id = inbox.store(List.of(mail), NOW).get(0).id();
        Inbox.Claim claim = claimNext();
        if (claim.id() != id) {
            throw new AssertionError("claimed mail " + claim.id() + " instead of the one just stored, " + id);
        }
        return claim;
    }

    /** The next mail due (a retry once its backoff has passed: claims ahead of the fixed clock). */
    public Inbox.Claim claimNext() {
        return inbox.claimNext(List.of(BOX), "test", NOW.plus(Duration.ofDays(1)), LEASE).orElseThrow(
                () -> new AssertionError("no mail to claim"));
    }

    /** Lets the claim run out and has another dispatcher take the mail: {@code claim} is now a lost claim. */
    public Inbox.Claim takeOver(Inbox.Claim claim) {
        Instant later = NOW.plus(Duration.ofDays(2));
        return inbox.claimNext(List.of(BOX), "other", later, LEASE).filter(c -> c.id() == claim.id())
                .orElseThrow(() -> new AssertionError("mail " + claim.id() + " could not be taken over"));
    }

    /** A plain exchange on the fixture's Camel context. */
    public Exchange exchange() {
        return new DefaultExchange(camel);
    }

    /** A plain exchange carrying the claimed mail, as the {@code inbox:} consumer hands it to the dispatch route. */
    public Exchange exchange(Inbox.Claim claim) {
        Exchange exchange = exchange();
        exchange.setVariable(InboundVariables.CLAIM, claim);
        return exchange;
    }

    /** The exchange after the route's parse and session steps (the real processors), as the agent call sees it. */
    public Exchange afterSession(Inbox.Claim claim) throws Exception {
        Exchange exchange = exchange(claim);
        parseMail().process(exchange);
        sessionLookup(new AttachmentPolicy(10_485_760)).process(exchange);
        return exchange;
    }

    public ParseMailProcessor parseMail() {
        return parseMail(dev.emailchannel.trust.TrustedAuthservIds.NONE);
    }

    /** The parse step trusting the Authentication-Results of these servers. */
    public ParseMailProcessor parseMail(dev.emailchannel.trust.TrustedAuthservIds trusted) {
        return new ParseMailProcessor(inbox, new MailParser(), new AutoReplyGuard(), new NewContentExtractor(),
                new dev.emailchannel.trust.SenderAuthenticator(trusted), mailboxes.ownAddressKeys());
    }

    public SessionProcessor sessionLookup(AttachmentPolicy policy) {
        return new SessionProcessor(inbox, sessions, policy, clock);
    }

    /** Runs a processor on the exchange; returns what it threw, or null. */
    public static Exception failure(Processor processor, Exchange exchange) {
        try {
            processor.process(exchange);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /** The inbox row of a mail as it is now. */
    public Inbox.Mail row(long id) {
        return inbox.find(id).orElseThrow();
    }

    /** A counter of the channel's meters for the support mailbox; 0 when it was never incremented. */
    public double count(String meter) {
        Counter c = meters.find(meter).tag("mailbox", BOX).counter();
        return c == null ? 0 : c.count();
    }

    /** How many agent calls were timed with this outcome. */
    public long agentCalls(String outcome) {
        Timer t = meters.find("email.channel.agent.call").tag("mailbox", BOX).tag("outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    public long timed(String meter) {
        Timer t = meters.find(meter).tag("mailbox", BOX).timer();
        return t == null ? 0 : t.count();
    }

    public Inbox inbox() {
        return inbox;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public Outbox outbox() {
        return outbox;
    }

    public ChannelMetrics metrics() {
        return metrics;
    }

    public ChannelState state() {
        return state;
    }

    public Clock clock() {
        return clock;
    }

    public Mailboxes mailboxes() {
        return mailboxes;
    }

    public CamelContext camel() {
        return camel;
    }

    public TestDatabases.TestDatabase database() {
        return db;
    }

    @Override
    public void afterEach(ExtensionContext test) {
        close();
    }

    @Override
    public void close() {
        camel.stop();
        db.close();
    }
}
