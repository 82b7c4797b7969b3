package dev.emailchannel.pickup;

import java.time.Instant;
import java.util.Objects;

/**
 * One mail as fetched from the server with {@code BODY.PEEK[]} (so fetching never sets {@code \Seen}).
 *
 * @param uid          the message's UID in the folder (valid together with the folder's UIDVALIDITY)
 * @param raw          the whole RFC 5322 message, byte for byte as the server keeps it
 * @param internalDate the server's INTERNALDATE (arrival time, whole seconds); null when the server sent none
 * @param size         the number of bytes in {@code raw}
 */
public record FetchedMail(long uid, byte[] raw, Instant internalDate, long size) {

    public FetchedMail {
        Objects.requireNonNull(raw, "raw");
    }

    public FetchedMail(long uid, byte[] raw, Instant internalDate) {
        this(uid, raw, internalDate, raw.length);
    }

    @Override
    public String toString() { // never the content
        return "FetchedMail[uid=" + uid + ", size=" + size + ", internalDate=" + internalDate + "]";
    }
}
