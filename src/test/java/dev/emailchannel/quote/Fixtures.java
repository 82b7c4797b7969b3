package dev.emailchannel.quote;

import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.MailHeaders;
import dev.emailchannel.mime.ParsedMail;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

final class Fixtures {

    private Fixtures() {
    }

    static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/quote/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    static ParsedMail mail(String subject, String plain, String html, List<ParsedMail> attached) {
        return new ParsedMail("<m1@example.com>", null, List.of(), EmailAddress.of("jane@example.com"), List.of(),
                List.of(EmailAddress.of("support@acme.test")), List.of(), subject, Instant.parse("2025-03-03T10:00:00Z"),
                new MailHeaders(List.of()), plain, html, List.of(), attached, List.of());
    }

    static ParsedMail mail(String subject, String plain, String html) {
        return mail(subject, plain, html, List.of());
    }
}
