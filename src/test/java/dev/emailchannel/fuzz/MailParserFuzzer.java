package dev.emailchannel.fuzz;

import dev.emailchannel.mime.MailParser;
import dev.emailchannel.mime.MailPart;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.mime.UnparseableMailException;
import dev.emailchannel.quote.NewContentExtractor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Jazzer fuzz target (libFuzzer convention: {@code fuzzerTestOneInput}): any bytes as a raw email through
 * {@link MailParser#parse} and, when it parses, through {@link NewContentExtractor} and every part's content, as the
 * inbound pipeline does. Run by {@code bench/fuzz.sh}; replayed on the saved findings by {@link FuzzFindingsTest}.
 *
 * <p>A finding is any exception that is not the parser's deliberate refusal: {@code parse} wraps an internal
 * RuntimeException or StackOverflowError into {@link UnparseableMailException} (so a bug parks the mail instead of
 * crashing the consumer); such a wrapped crash is reported here, because it means a mail was refused by a bug.
 */
public final class MailParserFuzzer {

    private static final MailParser PARSER = new MailParser();
    private static final NewContentExtractor EXTRACTOR = new NewContentExtractor();

    private MailParserFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) throws IOException {
        ParsedMail mail;
        try {
            mail = PARSER.parse(data);
        } catch (UnparseableMailException e) {
            if (e.getCause() != null) {
                throw new IllegalStateException("the parser crashed (the mail would be parked): " + e.getCause(),
                        e.getCause());
            }
            return; // a deliberate refusal ("empty message")
        }
        EXTRACTOR.extract(mail);
        for (MailPart part : mail.parts()) {
            try (InputStream in = part.content().open()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
    }
}
