package dev.emailchannel.inbound;

/**
 * The mail fails on its own (cannot be parsed, the agent refuses it with a 4xx): it is retried a few times and then
 * parked, not retried forever.
 */
public class RejectedMailException extends Exception {

    public RejectedMailException(String message, Throwable cause) {
        super(message, cause);
    }
}
