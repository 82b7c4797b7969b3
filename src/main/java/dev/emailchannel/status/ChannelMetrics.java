package dev.emailchannel.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channel's own meters, per mailbox, scraped at {@code /observe/metrics} (Prometheus names in brackets):
 * mails fetched ({@code email_channel_mails_fetched_total}), delivered to the agent ({@code …_mails_delivered_total}),
 * parked ({@code …_mails_parked_total}), auto-replies not answered ({@code …_auto_replies_total}), agent call latency
 * by outcome ({@code email_channel_agent_call_seconds}), replies sent and failed ({@code …_replies_sent_total},
 * {@code …_replies_failed_total}) and pickup latency, from the mail's arrival on the server to its pickup
 * ({@code email_channel_pickup_latency_seconds}).
 */
public final class ChannelMetrics {

    private static final String MAILBOX = "mailbox";

    private final MeterRegistry registry;
    /**
     * The meters made so far, by name, mailbox (and outcome): a builder registered on every count (a meter id with its
     * sorted tags, looked up in the registry) was 1.3 % of the dispatch workers' CPU in the backlog benchmark.
     */
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

    private record MeterKey(String name, String mailbox, String outcome) {
    }

    public ChannelMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void fetched(String mailbox) {
        counter("email.channel.mails.fetched", "Mails picked up from the mailbox", mailbox).increment();
    }

    public void delivered(String mailbox) {
        counter("email.channel.mails.delivered", "Mails the agent accepted", mailbox).increment();
    }

    public void parked(String mailbox) {
        counter("email.channel.mails.parked", "Mails parked after failing on their own", mailbox).increment();
    }

    public void autoReplySkipped(String mailbox) {
        counter("email.channel.auto.replies", "Auto-replies, bounces and own mail stored but not answered", mailbox)
                .increment();
    }

    public void replySent(String mailbox) {
        counter("email.channel.replies.sent", "Mails the SMTP server accepted", mailbox).increment();
    }

    public void replyHeld(String mailbox) {
        counter("email.channel.replies.held",
                "Replies held by the mail loop guard or in doubt after a send (GET /api/outbox?state=held)", mailbox)
                .increment();
    }

    public void replyFailed(String mailbox) {
        counter("email.channel.replies.failed", "Failed SMTP sends (retried or failed for good)", mailbox)
                .increment();
    }

    /** @param outcome {@code accepted}, {@code refused}, {@code unavailable} or {@code error} */
    public void agentCall(String mailbox, Duration took, String outcome) {
        timers.computeIfAbsent(new MeterKey("email.channel.agent.call", mailbox, outcome), k -> Timer.builder(k.name())
                .description("Agent call latency").tag(MAILBOX, mailbox).tag("outcome", outcome)
                .publishPercentileHistogram().register(registry)).record(took);
    }

    /** The pickup's IDLE connection was lost and opened again. */
    public void idleReconnect(String mailbox) {
        counter("email.channel.idle.reconnects", "IDLE connections lost and opened again", mailbox).increment();
    }

    /** IDLE is on but the mailbox is polled (the server does not offer it, or it failed). */
    public void pollFallback(String mailbox) {
        counter("email.channel.poll.fallbacks", "Mailboxes polled although IMAP_IDLE is on", mailbox).increment();
    }

    public void pickupLatency(String mailbox, Duration latency) {
        timers.computeIfAbsent(new MeterKey("email.channel.pickup.latency", mailbox, null), k -> Timer.builder(k.name())
                .description("From the mail's arrival on the IMAP server to its pickup by the channel")
                .tag(MAILBOX, mailbox).publishPercentileHistogram().register(registry))
                .record(latency.isNegative() ? Duration.ZERO : latency);
    }

    private Counter counter(String name, String description, String mailbox) {
        return counters.computeIfAbsent(new MeterKey(name, mailbox, null),
                k -> Counter.builder(name).description(description).tag(MAILBOX, mailbox).register(registry));
    }
}
