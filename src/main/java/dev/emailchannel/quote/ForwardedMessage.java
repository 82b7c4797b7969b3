package dev.emailchannel.quote;

/** A mail the customer forwarded, inline or as an attached message; fields may be null when unknown. */
public record ForwardedMessage(String from, String date, String subject, String text) {
}
