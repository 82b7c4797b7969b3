package dev.emailchannel.attachment;

/**
 * A file that did not go to the agent, and why: {@code too_large}, {@code quoted_history},
 * {@code forwarded_message}, {@code duplicate}.
 */
public record SkippedAttachment(String filename, long size, String reason) {
}
