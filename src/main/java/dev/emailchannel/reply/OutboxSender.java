package dev.emailchannel.reply;

import dev.emailchannel.mailbox.HandOver;
import dev.emailchannel.mailbox.Mailbox;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.Problems;
import dev.emailchannel.status.Tracing;
import jakarta.mail.Session;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued emails through the {@code direct:smtp-send} route. A sender claims an entry with a lease it renews
 * while the send lasts, so no other sender (thread or instance) sends it meanwhile; once the server accepted the mail
 * only the bookkeeping is left, and it is retried until the database takes it, never the send. A failed send is
 * retried with backoff, deferred longer on a provider's limit (and the mailbox's other mail waits with it), or failed
 * for good on a 5xx. Never throws: a mail that cannot be sent now stays in the outbox.
 */
public final class OutboxSender implements AutoCloseable {

    /**
     * How long a claim holds without renewal: after a crash, the replies the dead sender held wait this long. The
     * hand-over mark, not the lease, keeps a mail from going out twice: a sender whose lease ran out cannot mark it,
     * and one that finds it marked holds it in doubt.
     */
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RENEW_EVERY = Duration.ofSeconds(10);
    private static final Duration BOOKKEEPING_RETRY = Duration.ofSeconds(2);
    private static final Duration BOOKKEEPING_PATIENCE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final Session PARSE_SESSION = Session.getInstance(new Properties());

    private final Outbox outbox;
    private final Mailboxes mailboxes;
    private final ProducerTemplate producer;
    private final ChannelMetrics metrics;
    private final String instance;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor leases;

    public OutboxSender(Outbox outbox, Mailboxes mailboxes, ProducerTemplate producer, ChannelMetrics metrics,
            String instance, Clock clock) {
        this.outbox = outbox;
        this.mailboxes = mailboxes;
        this.producer = producer;
        this.metrics = metrics;
        this.instance = instance;
        this.clock = clock;
        this.leases = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "outbox-lease");
            t.setDaemon(true);
            return t;
        });
        leases.setRemoveOnCancelPolicy(true);
        leases.setKeepAliveTime(30, TimeUnit.SECONDS);
        leases.allowCoreThreadTimeOut(true);
    }

    /**
     * Ends the lease renewals; called when the application stops. (Not a Camel service on purpose: routes that call
     * this bean would stop it with themselves.)
     */
    @Override
    public void close() {
        leases.shutdownNow();
    }

    /** Sends every due entry; called on a timer. Returns how many were sent. */
    public int sendDue() {
        if (mailboxes.all().isEmpty()) {
            return 0; // invalid settings: nothing can be sent until they are fixed
        }
        int sent = 0;
        for (long id : outbox.due(clock.instant(), 100)) {
            if (send(id)) {
                sent++;
            }
        }
        return sent;
    }

    /** Sends one entry now if it is due, its mailbox may send, and nobody else is sending it. */
    public boolean send(Long id) {
        if (id == null || id == 0) {
            return false;
        }
        Instant now = clock.instant();
        var claimed = outbox.claim(id, instance, now, LEASE);
        if (claimed.isEmpty()) {
            return false;
        }
        Outbox.Claim claim = claimed.get();
        Outbox.Entry entry = claim.entry();
        if (claim.handedOverAt() != null) {
            holdInDoubt(claim, "the sender stopped while the mail server was taking this mail (at "
                    + claim.handedOverAt() + ") and never got the answer");
            return false;
        }
        Mailbox box = mailboxes.byAddress(entry.mailbox()).orElse(null);
        if (box == null) {
            outbox.failed(claim, Outbox.Failure.PERMANENT, entry.mailbox() + " is no longer a mailbox of this "
                    + "connection", now);
            LOG.error("{}: outbox entry {} cannot be sent: the mailbox is no longer configured", entry.mailbox(), id);
            return false;
        }
        Instant paused = box.health().sendingPausedUntil();
        if (paused != null && paused.isAfter(now)) {
            outbox.deferTo(claim, paused, "waiting for the provider's sending limit of " + entry.mailbox());
            return false;
        }
        ScheduledFuture<?> renewal = leases.scheduleWithFixedDelay(() -> renew(claim), RENEW_EVERY.toMillis(),
                RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        AtomicBoolean handedOver = new AtomicBoolean();
        try {
            ChannelMimeMessage message = new ChannelMimeMessage(PARSE_SESSION, new ByteArrayInputStream(claim.raw()));
            Exchange result = producer.send("direct:smtp-send", ex -> {
                ex.setVariable("mailboxId", box.id());
                ex.setVariable(HandOver.VARIABLE, (HandOver) () -> {
                    if (!outbox.handingOver(claim, clock.instant())) {
                        throw new IllegalStateException("the claim on outbox entry " + claim.id() + " ran out");
                    }
                    handedOver.set(true);
                });
                if (claim.traceParent() != null) {
                    ex.getIn().setHeader(Tracing.TRACEPARENT, claim.traceParent()); // the reply's trace continues
                }
                ex.getIn().setBody(message);
            });
            if (result.getException() != null) {
                throw result.getException();
            }
        } catch (Exception e) {
            renewal.cancel(false);
            if (handedOver.get() && !SmtpFailures.serverAnswered(e)) {
                // the whole mail went to the server, and its answer never came: it may have taken the mail
                holdInDoubt(claim, "the connection failed while the mail server was taking this mail ("
                        + Problems.describe(e) + ")");
            } else {
                failed(claim, box, e);
            }
            return false;
        }
        renewal.cancel(false);
        metrics.replySent(entry.mailbox());
        recordSent(claim);
        return true;
    }

    /**
     * The server may have the mail already: sending it again could give the customer two copies, so it is held until
     * an operator looked (the recipient, the mailbox's sent mail) and releases or cancels it.
     */
    private void holdInDoubt(Outbox.Claim claim, String what) {
        Outbox.Entry entry = claim.entry();
        String reason = "in doubt: " + what + "; it may have been delivered. Release it to send it again, or cancel it";
        try {
            outbox.holdInDoubt(claim, reason);
            metrics.replyHeld(entry.mailbox());
            LOG.warn("{}: {} (outbox {}) is held, {} (POST /api/outbox/{}/release or /cancel)", entry.mailbox(),
                    entry.messageId(), claim.id(), reason, claim.id());
        } catch (RuntimeException e) {
            LOG.error("{}: {} (outbox {}) may have been sent and could not be held: {}", entry.mailbox(),
                    entry.messageId(), claim.id(), Problems.describe(e));
        }
    }

    private void renew(Outbox.Claim claim) {
        try {
            outbox.renew(claim, clock.instant().plus(LEASE));
        } catch (RuntimeException e) {
            LOG.warn("Cannot renew the claim on outbox entry {}: {}", claim.id(), Problems.describe(e));
        }
    }

    /** The server has the mail: record it, retrying the bookkeeping (never the send) until the database takes it. */
    private void recordSent(Outbox.Claim claim) {
        Outbox.Entry entry = claim.entry();
        Instant giveUp = clock.instant().plus(BOOKKEEPING_PATIENCE);
        while (true) {
            try {
                if (!outbox.sent(claim, clock.instant())) {
                    LOG.warn("{}: sent {} (outbox {}), but the claim had run out meanwhile", entry.mailbox(),
                            entry.messageId(), claim.id());
                }
                LOG.info("{}: sent {} (outbox {})", entry.mailbox(), entry.messageId(), claim.id());
                return;
            } catch (RuntimeException e) {
                if (clock.instant().isAfter(giveUp)) {
                    LOG.error("{}: sent {} (outbox {}) but could not record it for {} min: {}", entry.mailbox(),
                            entry.messageId(), claim.id(), BOOKKEEPING_PATIENCE.toMinutes(), Problems.describe(e));
                    return;
                }
                LOG.warn("{}: sent {} (outbox {}); recording it failed, trying again: {}", entry.mailbox(),
                        entry.messageId(), claim.id(), Problems.describe(e));
                renew(claim);
                try {
                    Thread.sleep(BOOKKEEPING_RETRY.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void failed(Outbox.Claim claim, Mailbox box, Exception e) {
        Outbox.Entry entry = claim.entry();
        metrics.replyFailed(entry.mailbox());
        Outbox.Failure kind = SmtpFailures.classify(e);
        String reason = Problems.describe(e);
        Instant now = clock.instant();
        Outbox.Entry after;
        try {
            after = outbox.failed(claim, kind, reason, now).orElse(entry);
        } catch (RuntimeException storeFailure) {
            LOG.error("{}: sending {} failed ({}) and the failure could not be recorded: {}", entry.mailbox(),
                    entry.messageId(), reason, Problems.describe(storeFailure));
            return;
        }
        switch (kind) {
            case PERMANENT -> LOG.error("{}: sending {} failed for good: {} (POST /api/outbox/{}/retry tries again)",
                    entry.mailbox(), entry.messageId(), reason, claim.id());
            case PROVIDER_LIMIT -> {
                box.health().pauseSending(after.nextAttemptAt());
                LOG.warn("{}: the provider limits sending ({}); {} and the mailbox's other mail wait until {}",
                        entry.mailbox(), reason, entry.messageId(), after.nextAttemptAt());
            }
            default -> LOG.warn("{}: sending {} failed, will retry at {}: {}", entry.mailbox(), entry.messageId(),
                    after.nextAttemptAt(), reason);
        }
    }
}
