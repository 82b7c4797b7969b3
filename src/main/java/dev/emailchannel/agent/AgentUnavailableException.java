package dev.emailchannel.agent;

/** The agent did not take the event (5xx, timeout, refused connection): transient, retried for as long as it lasts. */
public class AgentUnavailableException extends Exception {

    public AgentUnavailableException(String message) {
        super(message);
    }
}
