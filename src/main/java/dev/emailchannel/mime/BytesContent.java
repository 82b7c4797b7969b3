package dev.emailchannel.mime;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** Content already decoded in memory (a file taken out of a TNEF container). */
record BytesContent(byte[] bytes) implements MailPart.Content {

    @Override
    public InputStream open() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public long decodedSize() {
        return bytes.length;
    }
}
