package dev.emailchannel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Lenient streaming quoted-printable decoder: {@code =XX} escapes, soft line breaks ({@code =} at the end of a
 * line, with or without CR); a broken escape is passed through as it is. Never throws on bad input.
 */
final class QuotedPrintableInput extends DecodingInput {

    private final PushbackInputStream in;

    QuotedPrintableInput(InputStream in) {
        this(new PushbackInputStream(in, 4));
    }

    private QuotedPrintableInput(PushbackInputStream in) {
        super(in);
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int c = in.read();
            if (c != '=') {
                return c;
            }
            int a = in.read();
            if (a == '\n') {
                continue; // soft break
            }
            if (a == '\r') {
                int b = in.read();
                if (b != '\n' && b >= 0) {
                    in.unread(b);
                }
                continue;
            }
            if (a == ' ' || a == '\t') { // "=  \r\n": soft break with trailing whitespace
                int[] seen = new int[2];
                int n = 0;
                int b = in.read();
                while ((b == ' ' || b == '\t') && n < 2) {
                    seen[n++] = b;
                    b = in.read();
                }
                if (b == '\n' || b < 0) {
                    continue;
                }
                if (b == '\r') {
                    int d = in.read();
                    if (d != '\n' && d >= 0) {
                        in.unread(d);
                    }
                    continue;
                }
                in.unread(b);
                for (int i = n - 1; i >= 0; i--) {
                    in.unread(seen[i]);
                }
                in.unread(a);
                return '=';
            }
            if (a < 0) {
                return '=';
            }
            int b = in.read();
            int hi = EncodedWords.hex((char) a);
            int lo = b < 0 ? -1 : EncodedWords.hex((char) b);
            if (hi >= 0 && lo >= 0) {
                return hi << 4 | lo;
            }
            if (b >= 0) {
                in.unread(b);
            }
            in.unread(a);
            return '=';
        }
    }
}
