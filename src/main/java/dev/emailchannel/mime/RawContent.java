package dev.emailchannel.mime;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Locale;

/**
 * The content of a leaf part as a slice of the raw message: nothing is copied or decoded until {@link #open()},
 * which decodes the transfer encoding while streaming.
 */
final class RawContent implements MailPart.Content {

    private final byte[] data;
    private final int offset;
    private final int length;
    private final String transferEncoding;
    private long decodedSize = -2; // not counted yet

    RawContent(byte[] data, int offset, int length, String transferEncoding) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.transferEncoding = transferEncoding == null ? "7bit" : transferEncoding.toLowerCase(Locale.ROOT);
    }

    @Override
    public InputStream open() {
        return decoding(new ByteArrayInputStream(data, offset, length), transferEncoding);
    }

    @Override
    public long decodedSize() {
        if (decodedSize == -2) { // counting base64 symbols scans the part once; remember the result
            decodedSize = switch (transferEncoding) {
                case "base64" -> Base64Input.decodedLength(data, offset, length);
                case "quoted-printable", "x-uuencode", "uuencode", "x-uue" -> -1;
                default -> length;
            };
        }
        return decodedSize;
    }

    static InputStream decoding(InputStream in, String transferEncoding) {
        return switch (transferEncoding) {
            case "base64" -> new Base64Input(in);
            case "quoted-printable" -> new QuotedPrintableInput(in);
            case "x-uuencode", "uuencode", "x-uue" -> uuDecoding(in);
            default -> in; // 7bit, 8bit, binary and unknown encodings are passed on as they are
        };
    }

    private static InputStream uuDecoding(InputStream in) {
        try {
            return UuEncoded.decode(in);
        } catch (java.io.IOException e) {
            return in; // cannot happen for "uuencode": Jakarta Mail knows it; keep the bytes as they are
        }
    }

    static boolean isKnown(String transferEncoding) {
        return switch (transferEncoding) {
            case "base64", "quoted-printable", "7bit", "8bit", "binary", "x-uuencode", "uuencode", "x-uue" -> true;
            default -> false;
        };
    }
}
