package dev.emailchannel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lenient streaming base64 decoder: skips line breaks and any other character outside the alphabet, stops at
 * padding, and tolerates a truncated last group. Never throws on bad input.
 */
final class Base64Input extends DecodingInput {

    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
        VALUES['-'] = 62; // base64url, seen from some web mailers
        VALUES['_'] = 63;
    }

    private final InputStream in;
    /** Encoded text read ahead from {@code in} in bulk: one call per 8 KB rather than one per character. */
    private final byte[] chunk = new byte[8192];
    private int chunkPos;
    private int chunkEnd;
    private int buffer;
    private int bits;
    private boolean done;

    Base64Input(InputStream in) {
        super(in);
        this.in = in;
    }

    static int value(int c) {
        return c >= 0 && c < 128 ? VALUES[c] : -1;
    }

    /** Number of bytes the base64 text in {@code data[off, off+len)} decodes to, counted without decoding. */
    static long decodedLength(byte[] data, int off, int len) {
        long symbols = 0;
        for (int i = off; i < off + len; i++) {
            int b = data[i];
            if (b == '=') {
                break;
            }
            if (value(b) >= 0) {
                symbols++;
            }
        }
        return symbols * 6 / 8;
    }

    @Override
    public int read() throws IOException {
        while (!done) {
            if (bits >= 8) {
                bits -= 8;
                return (buffer >> bits) & 0xFF;
            }
            int c = nextChar();
            if (c < 0 || c == '=') {
                done = true;
                break;
            }
            int v = value(c);
            if (v >= 0) {
                buffer = ((buffer << 6) | v) & 0xFFFFFF;
                bits += 6;
            }
        }
        return -1;
    }

    private int nextChar() throws IOException {
        if (chunkPos == chunkEnd) {
            int n = in.read(chunk, 0, chunk.length);
            if (n <= 0) {
                return -1;
            }
            chunkPos = 0;
            chunkEnd = n;
        }
        return chunk[chunkPos++] & 0xFF;
    }
}
