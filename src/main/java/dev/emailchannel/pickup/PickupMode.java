package dev.emailchannel.pickup;

/** How a connected mailbox learns of new mail. */
public enum PickupMode {
    /** IMAP IDLE (RFC 2177): the server pushes {@code EXISTS}; the check interval stays as the safety poll. */
    IDLE,
    /** A check every check interval (IDLE off, or the server does not offer it). */
    POLL
}
