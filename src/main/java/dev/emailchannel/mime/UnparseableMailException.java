package dev.emailchannel.mime;

/** The raw bytes could not be understood as an email at all; the message is parked, never dropped. */
public class UnparseableMailException extends Exception {

    public UnparseableMailException(String message) {
        super(message);
    }

    public UnparseableMailException(String message, Throwable cause) {
        super(message, cause);
    }
}
