package dev.emailchannel.quote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.mime.MailParser;
import dev.emailchannel.mime.MailPart;
import dev.emailchannel.mime.ParsedMail;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Realistic mails per client family and language ({@code src/test/resources/eml/<client>/<name>.eml}), each with
 * {@code <name>.expected.txt}: exactly the text the agent must receive. Optional {@code <name>.forwarded.txt}
 * describes the first forwarded mail ({@code from:}, {@code subject:} lines, then {@code text:} and the body).
 * Fixtures whose name contains {@code quote_only} are replies that are nothing but a quote (and perhaps a file): the
 * text is empty. Every fixture carries history, so something must have been removed, and the history reaches the
 * agent as {@link NewContent#quoted()} (except for forwards, which go to {@link NewContent#forwarded()}).
 */
class ClientEmlFixturesTest {

    private final MailParser parser = new MailParser();
    private final NewContentExtractor extractor = new NewContentExtractor();

    static Stream<Arguments> fixtures() throws IOException, URISyntaxException {
        URL root = ClientEmlFixturesTest.class.getResource("/eml");
        assertThat(root).as("eml fixtures on the classpath").isNotNull();
        Path dir = Paths.get(root.toURI());
        List<Path> emls;
        try (Stream<Path> files = Files.walk(dir)) {
            emls = files.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted().toList();
        }
        assertThat(emls).as("eml fixtures").hasSizeGreaterThanOrEqualTo(120);
        return emls.stream().map(p -> Arguments.of(dir.relativize(p).toString().replace('\\', '/'), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void should_give_the_agent_exactly_the_new_text(String name, Path eml) throws Exception {
        Path expectedFile = sidecar(eml, ".expected.txt");
        assertThat(expectedFile).as("expected text of " + name).exists();

        ParsedMail mail = parser.parse(Files.readAllBytes(eml));
        NewContent content = extractor.extract(mail);

        assertThat(mail.problems()).as("MIME problems of " + name).isEmpty();
        assertThat(normalize(content.text())).as("text of " + name).isEqualTo(normalize(read(expectedFile)));
        for (MailPart part : mail.parts()) {
            if (part.inline() && part.contentId() != null) {
                // the inline images of these fixtures belong to what the customer wrote (logo, pasted screenshot)
                assertThat(content.keptHtml()).as("kept HTML of " + name).contains("cid:" + part.contentId());
            }
        }
        assertThat(content.removedText()).as("removed history of " + name).isNotBlank();
        assertThat(content.text()).as("text of " + name).doesNotStartWith(">");
        if (content.forwarded().isEmpty()) {
            assertThat(content.quoted()).as("quoted history of " + name).isNotBlank()
                    .hasSizeLessThanOrEqualTo(NewContent.MAX_QUOTED);
        }
        if (name.contains("inline_answers")) {
            assertThat(content.inlineAnswers()).as("inline answers of " + name).hasSizeGreaterThanOrEqualTo(2);
        }
        Path forwardedFile = sidecar(eml, ".forwarded.txt");
        if (Files.exists(forwardedFile)) {
            Map<String, String> expected = parseForwarded(read(forwardedFile));
            assertThat(content.forwarded()).as("forwarded mails of " + name).isNotEmpty();
            ForwardedMessage f = content.forwarded().get(0);
            if (expected.containsKey("from")) {
                assertThat(f.from()).as("forwarded from of " + name).isEqualTo(expected.get("from"));
            }
            if (expected.containsKey("subject")) {
                assertThat(f.subject()).as("forwarded subject of " + name).isEqualTo(expected.get("subject"));
            }
            if (expected.containsKey("text")) {
                assertThat(normalize(f.text())).as("forwarded text of " + name).isEqualTo(normalize(expected.get("text")));
            }
        } else {
            assertThat(content.forwarded()).as("forwarded mails of " + name).isEmpty();
        }
    }

    /**
     * The text/plain alternative alone (a client or gateway that drops the HTML) must give the same text, or the
     * one in {@code <name>.plain-expected.txt} where the plain part really differs (Outlook's "[cid:…]" image
     * placeholders).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void should_give_the_same_text_from_the_plain_alternative_alone(String name, Path eml) throws Exception {
        ParsedMail mail = parser.parse(Files.readAllBytes(eml));
        Assumptions.assumeTrue(mail.plainText() != null && mail.html() != null, "has both alternatives");
        ParsedMail plainOnly = new ParsedMail(mail.messageId(), mail.inReplyTo(), mail.references(), mail.from(),
                mail.replyTo(), mail.to(), mail.cc(), mail.subject(), mail.date(), mail.headers(), mail.plainText(), null,
                mail.parts(), mail.attachedMessages(), mail.problems());
        Path expectedFile = Files.exists(sidecar(eml, ".plain-expected.txt")) ? sidecar(eml, ".plain-expected.txt")
                : sidecar(eml, ".expected.txt");

        NewContent content = extractor.extract(plainOnly);

        assertThat(normalize(content.text())).as("text of the plain part of " + name).isEqualTo(normalize(read(expectedFile)));
        assertThat(content.removedText()).as("removed history of " + name).isNotBlank();
    }

    private static Path sidecar(Path eml, String suffix) {
        String base = eml.getFileName().toString();
        return eml.resolveSibling(base.substring(0, base.length() - ".eml".length()) + suffix);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Only trailing whitespace is normalised: at the end of each line and at the end of the text. */
    static String normalize(String s) {
        StringBuilder b = new StringBuilder();
        for (String line : s.replace("\r\n", "\n").split("\n", -1)) {
            b.append(line.stripTrailing()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static Map<String, String> parseForwarded(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = s.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.equals("text:")) {
                out.put("text", String.join("\n", List.of(lines).subList(i + 1, lines.length)));
                break;
            }
            int colon = l.indexOf(':');
            if (colon > 0) {
                out.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
            }
        }
        return out;
    }
}
