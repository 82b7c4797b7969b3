package dev.emailchannel.session;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw bytes of the mails this process stored last, kept for the dispatcher, which usually claims a mail moments
 * after the pickup stored it and would otherwise read it back from the database. (On the embedded H2 file, reading a
 * BLOB in a query also registers a temporary copy of it in H2's LOB maps, written with the next chunk: 6 % of the
 * dispatch threads' CPU in a profile of a 300-mail backlog.) A stored mail's bytes never change, so a kept copy is
 * never stale; a mail taken once is forgotten (a retry reads the database), and the oldest are forgotten first when
 * the bound is reached, e.g. the mails another instance dispatched. Only mails of at most {@code maxMailBytes} are
 * kept, and {@code maxBytes} in all. Thread-safe.
 */
final class RecentRaw {

    private final long maxBytes;
    private final int maxMailBytes;
    private final LinkedHashMap<Long, byte[]> mails = new LinkedHashMap<>();
    private long bytes;

    RecentRaw(long maxBytes, int maxMailBytes) {
        this.maxBytes = maxBytes;
        this.maxMailBytes = maxMailBytes;
    }

    /** Keeps a copy of the mail stored as row {@code id}, unless it is larger than one mail may be. */
    void put(long id, byte[] buffer, int offset, int length) {
        if (length > maxMailBytes || length > maxBytes) {
            return;
        }
        byte[] copy = Arrays.copyOfRange(buffer, offset, offset + length);
        synchronized (mails) {
            byte[] before = mails.put(id, copy);
            bytes += copy.length - (before == null ? 0 : before.length);
            Iterator<Map.Entry<Long, byte[]>> oldest = mails.entrySet().iterator();
            while (bytes > maxBytes && oldest.hasNext()) {
                bytes -= oldest.next().getValue().length;
                oldest.remove();
            }
        }
    }

    /** The kept bytes of row {@code id}, forgotten now; null when none are kept. */
    byte[] take(long id) {
        synchronized (mails) {
            byte[] raw = mails.remove(id);
            if (raw != null) {
                bytes -= raw.length;
            }
            return raw;
        }
    }

    /** How many bytes are kept now. */
    long bytes() {
        synchronized (mails) {
            return bytes;
        }
    }
}
