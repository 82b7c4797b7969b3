package dev.emailchannel.pickup;

/** A mailbox could not be signed in to, checked or stored; the message names the mailbox, the protocol and the cause. */
public class PickupException extends Exception {

    public PickupException(String message, Throwable cause) {
        super(message, cause);
    }
}
