package dev.emailchannel.quote;

/**
 * An answer the customer wrote between quoted lines, with the quote it answers (quote marks removed), so the agent
 * keeps the context while {@link NewContent#text()} holds only the customer's own words.
 */
public record InlineAnswer(String quote, String answer) {
}
