package dev.emailchannel.agent;

import java.time.Duration;
import java.util.Optional;

/** The agent did not take the event (5xx, 408, 429, timeout, refused connection): transient, retried for as long as it lasts. */
public class AgentUnavailableException extends Exception {

    private final Duration retryAfter;

    public AgentUnavailableException(String message) {
        this(message, null);
    }

    /** @param retryAfter the agent's {@code Retry-After}, or null */
    public AgentUnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the agent asked to wait before the next try, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
