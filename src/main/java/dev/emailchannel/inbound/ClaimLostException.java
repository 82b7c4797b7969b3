package dev.emailchannel.inbound;

import dev.emailchannel.session.Inbox;

/**
 * This dispatcher's claim on a mail ran out and another dispatcher has it now (e.g. a very long agent call during a
 * database outage): nothing more is recorded here, so the mail is answered once, by the other.
 */
public final class ClaimLostException extends Exception {

    public ClaimLostException(Inbox.Claim claim) {
        super("the claim on inbound mail " + claim.id() + " was lost to another dispatcher", null, false, false);
    }
}
