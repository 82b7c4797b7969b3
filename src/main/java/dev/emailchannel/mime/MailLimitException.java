package dev.emailchannel.mime;

/**
 * The message goes beyond a limit the parser keeps against hostile input (MIME nesting depth, number of parts,
 * size of a header block); the message names the limit. Such a mail is parked, never dropped.
 */
public final class MailLimitException extends UnparseableMailException {

    public MailLimitException(String message) {
        super(message);
    }
}
