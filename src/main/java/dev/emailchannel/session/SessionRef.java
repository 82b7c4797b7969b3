package dev.emailchannel.session;

/** The session an email belongs to; {@code isNew} is true when this email opened it. */
public record SessionRef(String id, boolean isNew, String mailbox) {
}
