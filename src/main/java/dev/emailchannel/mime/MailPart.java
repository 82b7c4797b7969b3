package dev.emailchannel.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * A leaf body part that is a file or an inline image (not the text body).
 *
 * @param filename     decoded and sanitised file name; never null (a name is made up when the part has none)
 * @param contentType  lower-case base type, e.g. {@code image/png}
 * @param encodedSize  size of the part as transferred (before content-transfer decoding), in bytes
 * @param inline       true for {@code Content-Disposition: inline} or a part referenced by Content-ID
 * @param contentId    Content-ID without angle brackets, or null
 * @param content      opens the decoded content; the bytes are read only when asked
 */
public record MailPart(String filename, String contentType, long encodedSize, boolean inline, String contentId,
        Content content) {

    /** Opens the decoded bytes of a part. Each call starts from the beginning. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;

        /**
         * The decoded size when it is known without decoding (counted from the base64 text, or the size of an
         * unencoded part), else -1. Lets a caller skip a large part without reading it.
         */
        default long decodedSize() {
            return -1;
        }
    }
}
