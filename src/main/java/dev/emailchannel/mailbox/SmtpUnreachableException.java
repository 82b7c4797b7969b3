package dev.emailchannel.mailbox;

import java.io.IOException;

/** The SMTP server of a mailbox cannot be reached now; an IOException, so callers treat it as transient. */
public final class SmtpUnreachableException extends IOException {

    public SmtpUnreachableException(String message) {
        super(message);
    }
}
