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
 */
final class AgentEventBody extends AbstractHttpEntity {

    private final ObjectMapper json;
    private final Object event;
    private final long length;

    private AgentEventBody(ObjectMapper json, Object event, long length) {
        super(ContentType.APPLICATION_JSON, null);
        this.json = json;
        this.event = event;
        this.length = length;
    }

    /**
     * @param digest where the body is written once to learn its length: the signature's digest stream, or a null
     *               stream when calls are not signed
     */
    static AgentEventBody of(ObjectMapper json, Object event, OutputStream digest) throws IOException {
        Counting counter = new Counting(digest);
        json.writeValue(counter, event);
        return new AgentEventBody(json, event, counter.count);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
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
        ByteArrayOutputStream copy = new ByteArrayOutputStream((int) Math.min(length, Integer.MAX_VALUE - 8));
        writeTo(copy);
        return new ByteArrayInputStream(copy.toByteArray());
    }

    @Override
    public void close() {
        // nothing held
    }

    /** Counts what passes through; does not close what it wraps. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
