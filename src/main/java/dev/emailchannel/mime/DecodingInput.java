package dev.emailchannel.mime;

import java.io.IOException;
import java.io.InputStream;

/** A stream that decodes a content-transfer encoding byte by byte ({@link #read()}); bulk reads build on it. */
abstract class DecodingInput extends InputStream {

    private final InputStream source;

    DecodingInput(InputStream source) {
        this.source = source;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            int c = read();
            if (c < 0) {
                break;
            }
            b[off + n++] = (byte) c;
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
