package dev.emailchannel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the hand-written {@code .eml} fixtures under {@code src/test/resources/mime/}. */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/mime/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ParsedMail parse(String name) {
        try {
            return new MailParser().parse(bytes(name));
        } catch (UnparseableMailException e) {
            throw new AssertionError(name + " should parse", e);
        }
    }

    public static byte[] content(MailPart part) {
        try (InputStream in = part.content().open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
