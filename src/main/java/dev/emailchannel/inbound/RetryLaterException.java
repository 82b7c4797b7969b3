package dev.emailchannel.inbound;

/** The mail failed before and its backoff has not run out: it stays unread and is left for a later poll. */
public class RetryLaterException extends Exception {

    public RetryLaterException(String message) {
        super(message, null, false, false);
    }
}
