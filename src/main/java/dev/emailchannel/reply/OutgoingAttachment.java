package dev.emailchannel.reply;

/** A file the agent sends: decoded bytes, a file name and a MIME type (guessed from the name when null). */
public record OutgoingAttachment(String filename, String contentType, byte[] data, boolean inline, String contentId) {
}
