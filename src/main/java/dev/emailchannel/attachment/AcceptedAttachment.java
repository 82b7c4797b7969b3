package dev.emailchannel.attachment;

/**
 * A file that goes to the agent with the message. {@code data} re-opens the decoded content ({@code size} bytes) from
 * the mail; {@code sha256} is hex of the decoded content.
 */
public record AcceptedAttachment(String filename, String contentType, long size, boolean inline, String contentId,
        FileContent data, String sha256) {
}
