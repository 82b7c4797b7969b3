package dev.emailchannel.pickup;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One mail as fetched from the server with {@code BODY.PEEK[]} (so fetching never sets {@code \Seen}), left where it
 * arrived: in the IMAP response's own array, not copied out of it (a 13.7 MB mail was held twice while it was copied).
 *
 * @param uid          the message's UID in the folder (valid together with the folder's UIDVALIDITY)
 * @param buffer       the array holding the whole RFC 5322 message, byte for byte as the server keeps it
 * @param offset       where the message starts in {@code buffer}
 * @param length       the number of bytes of the message
 * @param internalDate the server's INTERNALDATE (arrival time, whole seconds); null when the server sent none
 */
public record FetchedMail(long uid, byte[] buffer, int offset, int length, Instant internalDate) {

    public FetchedMail {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, length, buffer.length);
    }

    public FetchedMail(long uid, byte[] raw, Instant internalDate) {
        this(uid, raw, 0, raw.length, internalDate);
    }

    /** The number of bytes of the message. */
    public long size() {
        return length;
    }

    /** The message in an array of its own: {@code buffer} when it holds nothing else, else a copy. */
    public byte[] raw() {
        return offset == 0 && length == buffer.length ? buffer : Arrays.copyOfRange(buffer, offset, offset + length);
    }

    @Override
    public String toString() { // never the content
        return "FetchedMail[uid=" + uid + ", size=" + length + ", internalDate=" + internalDate + "]";
    }
}
