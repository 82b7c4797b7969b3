package dev.emailchannel.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * The agent event as the body of the HTTP call, written straight from the event's records into the connection: the
 * files go out as base64 decoded again from the mail as they are written, so neither a large attachment nor its JSON
 * copy is ever held in memory. The body is
 * written once beforehand into a counter (and the signature's digest, when calls are signed), which gives the
 * Content-Length and the signature without keeping the bytes; the same records then write the same bytes to the wire.
 * A body of at most {@link #KEEP_MAX} bytes (a mail without large files: most of them) is kept from that first write
 * and sent as it is, rather than made from the records a second time.
 */
final class AgentEventBody extends AbstractHttpEntity {

    /** The largest body kept from its first write (per call in flight: {@code AGENT_CONCURRENCY} of them at most). */
    static final int KEEP_MAX = 256 * 1024;

    private final ObjectMapper json;
    private final Object event;
    private final long length;
    private final byte[] kept; // null: written from the records each time

    private AgentEventBody(ObjectMapper json, Object event, long length, byte[] kept) {
        super(ContentType.APPLICATION_JSON, null);
        this.json = json;
        this.event = event;
        this.length = length;
        this.kept = kept;
    }

    /**
     * @param digest where the body is written once to learn its length: the signature's digest stream, or a null
     *               stream when calls are not signed
     */
    static AgentEventBody of(ObjectMapper json, Object event, OutputStream digest) throws IOException {
        Counting counter = new Counting(digest);
        json.writeValue(counter, event);
        return new AgentEventBody(json, event, counter.count, counter.kept());
    }

    /** Whether the body is sent from the bytes of its first write (for tests). */
    boolean isKept() {
        return kept != null;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        if (kept != null) {
            out.write(kept);
            out.flush();
            return;
        }
        json.writeValue(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the connection is closed by its owner, not by Jackson
            }
        }, event);
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    /** Only for a caller that wants the bytes (the HTTP client writes with {@link #writeTo}). */
    @Override
    public InputStream getContent() throws IOException {
        if (kept != null) {
            return new ByteArrayInputStream(kept);
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream((int) Math.min(length, Integer.MAX_VALUE - 8));
        writeTo(copy);
        return new ByteArrayInputStream(copy.toByteArray());
    }

    @Override
    public void close() {
        // nothing held
    }

    /**
     * Counts what passes through, and keeps a copy while it is at most {@link #KEEP_MAX} bytes; does not close what it
     * wraps.
     */
    private static final class Counting extends FilterOutputStream {
        long count;
        private ByteArrayOutputStream copy = new ByteArrayOutputStream(8192); // null once too large

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
            if (copy != null) {
                if (count > KEEP_MAX) {
                    copy = null;
                } else {
                    copy.write(b, off, len);
                }
            }
        }

        byte[] kept() {
            return copy == null ? null : copy.toByteArray();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
