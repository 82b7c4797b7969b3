package dev.emailchannel.inbound;

import dev.emailchannel.agent.AgentSetupException;
import dev.emailchannel.agent.AgentUnavailableException;
import dev.emailchannel.session.Inbox;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;

/**
 * What a failed dispatch means (SPEC §4 "Dispatch"): the agent or the database unavailable (transient), the agent's
 * own set-up wrong, or the mail failing on its own — and when to try again.
 */
public final class Failures {

    /** Transient and set-up failures are retried at most this far apart, for as long as they last. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A {@code Retry-After} longer than this is cut to it. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private Failures() {
    }

    /** @return empty when the failure is a lost claim: another dispatcher has the mail, nothing is to be recorded */
    public static Optional<Inbox.Failure> classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClaimLostException) {
                return Optional.empty();
            }
            if (t instanceof RejectedMailException) {
                return Optional.of(Inbox.Failure.MAIL);
            }
            if (t instanceof AgentSetupException || t instanceof ResolveEndpointFailedException
                    || t instanceof NoSuchEndpointException) {
                return Optional.of(Inbox.Failure.AGENT_SETUP);
            }
            if (t instanceof SQLException sql) {
                // class 22 (data exception): the database refuses this mail's content (too long, a NUL character)
                return Optional.of(sql.getSQLState() != null && sql.getSQLState().startsWith("22")
                        ? Inbox.Failure.MAIL : Inbox.Failure.TRANSIENT);
            }
            if (t instanceof AgentUnavailableException || t instanceof IOException) {
                return Optional.of(Inbox.Failure.TRANSIENT);
            }
        }
        // anything unforeseen is treated as this mail's problem: a few tries, then parked, never blocking others
        return Optional.of(Inbox.Failure.MAIL);
    }

    /**
     * The wait before the next try: exponential from 2 s, at most a minute for transient and set-up failures (the
     * agent's {@code Retry-After} wins when it says longer, up to an hour).
     *
     * @param tries the tries so far, this one included
     */
    public static Duration backoff(Inbox.Failure kind, int tries, Throwable failure) {
        Duration base = Duration.ofSeconds(1L << Math.min(Math.max(tries, 1), 6));
        if (base.compareTo(MAX_BACKOFF) > 0) {
            base = MAX_BACKOFF;
        }
        if (kind == Inbox.Failure.TRANSIENT) {
            Optional<Duration> asked = retryAfter(failure);
            if (asked.isPresent() && asked.get().compareTo(base) > 0) {
                return asked.get().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked.get();
            }
        }
        return base;
    }

    private static Optional<Duration> retryAfter(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AgentUnavailableException u) {
                return u.retryAfter();
            }
        }
        return Optional.empty();
    }
}
