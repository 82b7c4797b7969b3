package dev.emailchannel.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.inbound.AutoReplyGuard;
import dev.emailchannel.quote.NewContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the parser over every message of Apache mime4j's test corpus (the {@code apache-mime4j-core} tests jar on
 * the test classpath) and over thousands of mutations of it: nothing but {@link UnparseableMailException} may
 * escape, and whatever parses can be used by the rest of the pipeline without exceptions.
 */
class MailParserRobustnessTest {

    private static final long SEED = 20261124L;
    private static final int MUTATIONS_PER_MESSAGE = 30;
    private static final String[] FIXTURES = {"thunderbird-attachments.eml", "gmail-inline-image.eml",
        "outlook-inline-image.eml", "apple-inline-image.eml", "exchange-out-of-office.eml", "gmail-vacation.eml",
        "postfix-dsn.eml", "list-mail.eml", "iso-2022-jp.eml", "koi8-r.eml", "windows-1252.eml",
        "rfc2231-filenames.eml", "format-flowed.eml", "broken-boundary.eml", "forwarded-as-attachment.eml",
        "missing-headers.eml"};

    private static final Map<String, byte[]> CORPUS = new LinkedHashMap<>();
    /** mime4j's decoded bodies ({@code <message>_decoded_1_2.bin} ...), the reference for our part decoding. */
    private static final Map<String, byte[]> DECODED = new LinkedHashMap<>();

    private final MailParser parser = new MailParser();

    @BeforeAll
    static void loadCorpus() throws IOException {
        URL known = MailParserRobustnessTest.class.getResource("/testmsgs/base64-encoded-text.msg");
        assertThat(known).as("apache-mime4j-core tests jar on the test classpath").isNotNull();
        JarURLConnection connection = (JarURLConnection) known.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                boolean message = name.endsWith(".msg");
                boolean decoded = name.contains("_decoded_") && (name.endsWith(".bin") || name.endsWith(".txt"));
                if (!entry.isDirectory() && (message || decoded)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        (message ? CORPUS : DECODED).put(name, in.readAllBytes());
                    }
                }
            }
        }
    }

    @Test
    void should_parse_every_message_of_the_mime4j_corpus_or_reject_it_cleanly() {
        int parsed = 0;
        List<String> rejected = new ArrayList<>();
        int withProblems = 0;
        for (Map.Entry<String, byte[]> e : CORPUS.entrySet()) {
            ParsedMail mail = parseOrNull(e.getKey(), e.getValue(), rejected);
            if (mail != null) {
                parsed++;
                withProblems += mail.problems().isEmpty() ? 0 : 1;
                exercise(e.getKey(), mail);
                boolean reportedEmpty = mail.problems().stream().anyMatch(p -> p.contains("without content"));
                assertThat(hasContent(mail) || reportedEmpty || !hasBody(e.getValue()))
                        .as("%s has a body but nothing was kept of it (problems %s)", e.getKey(), mail.problems())
                        .isTrue();
            }
        }
        System.out.printf("mime4j corpus: %d message files, %d parsed (%d with problems), %d rejected %s%n",
                CORPUS.size(), parsed, withProblems, rejected.size(), rejected);
        assertThat(CORPUS).hasSizeGreaterThanOrEqualTo(80);
        assertThat(parsed + rejected.size()).isEqualTo(CORPUS.size());
    }

    @Test
    void should_decode_files_byte_for_byte_like_mime4j() throws Exception {
        // multi-frag.msg: the GIF's closing boundary is deliberately broken, so both parsers keep different junk
        // sig-uu.msg: its x-uuencode part is decoded here, mime4j hands on the encoded text; uu-junk.msg and
        // uu-zeegee.msg: the uuencoded files in their text become parts here, mime4j leaves them in the text
        Set<String> knownDifferent = Set.of("mimetools-testmsgs/multi-frag.msg 3d-eye.gif",
                "mimetools-testmsgs/sig-uu.msg signature");
        int compared = 0;
        for (Map.Entry<String, byte[]> e : CORPUS.entrySet()) {
            String prefix = e.getKey().substring(0, e.getKey().length() - ".msg".length()) + "_decoded_";
            List<byte[]> reference = DECODED.entrySet().stream().filter(d -> d.getKey().startsWith(prefix))
                    .map(Map.Entry::getValue).toList();
            for (MailPart part : parser.parse(e.getValue()).parts()) {
                byte[] ours = Fixtures.content(part);
                String label = e.getKey() + " " + part.filename();
                if (!knownDifferent.contains(label) && !e.getKey().startsWith("mimetools-testmsgs/uu-")) {
                    assertThat(reference).as(label).anySatisfy(r -> assertThat(r).isEqualTo(ours));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(50);
    }

    @Test
    void should_survive_truncation_boundary_damage_byte_flips_and_header_garbage() {
        Map<String, byte[]> inputs = new LinkedHashMap<>(CORPUS);
        for (String fixture : FIXTURES) {
            inputs.put(fixture, Fixtures.bytes(fixture));
        }
        Random random = new Random(SEED);
        int cases = 0;
        List<String> rejected = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            for (int i = 0; i < MUTATIONS_PER_MESSAGE; i++) {
                Mutation mutation = Mutation.values()[i % Mutation.values().length];
                byte[] mutated = mutation.apply(e.getValue(), random);
                String label = e.getKey() + " / " + mutation + " #" + i;
                ParsedMail mail = parseOrNull(label, mutated, rejected);
                if (mail != null) {
                    exercise(label, mail);
                }
                cases++;
            }
        }
        System.out.printf("mutations: %d cases, %d rejected as unparseable%n", cases, rejected.size());
        assertThat(cases).isGreaterThanOrEqualTo(2500);
    }

    @Test
    void should_keep_the_text_when_the_boundary_parameter_is_lost() throws UnparseableMailException {
        int checked = 0;
        for (String fixture : FIXTURES) {
            byte[] original = Fixtures.bytes(fixture);
            ParsedMail before = parser.parse(original);
            if (before.plainText() == null || before.plainText().isBlank() || !contains(original, "boundary=")) {
                continue;
            }
            ParsedMail after = parser.parse(replace(original, "boundary=", "boundarx="));
            String snippet = before.plainText().strip().lines().findFirst().orElseThrow();
            assertThat(String.valueOf(after.plainText()) + after.html()).as(fixture).contains(snippet);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // generous: shared CI machines; quadratic behaviour would take minutes
    void should_parse_hostile_messages_in_linear_time() throws UnparseableMailException {
        StringBuilder dashes = new StringBuilder("From: a@b.test\nContent-Type: multipart/mixed\n\n");
        for (int i = 0; i < 200_000; i++) {
            dashes.append("--line").append(i).append('\n');
        }
        String words = "From: a@b.test\nSubject: " + "=?utf-8?q?abc ".repeat(50_000) + "\n\nbody";
        String nested = "From: a@b.test\n" + "Content-Type: multipart/mixed; boundary=b\n\n--b\n".repeat(10_000);
        String parts = "From: a@b.test\nContent-Type: multipart/mixed; boundary=b\n\n"
                + "--b\nContent-Type: image/png\n\nx\n".repeat(100_000) + "--b--\n";

        for (String hostile : List.of(dashes.toString(), words)) {
            ParsedMail mail = parser.parse(hostile.getBytes(StandardCharsets.UTF_8));
            assertThat(mail).isNotNull();
        }
        for (String overLimit : List.of(nested, parts)) { // refused quickly, naming the limit (the mail is parked)
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(overLimit.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(MailLimitException.class).hasMessageContaining("limit");
        }
    }

    private ParsedMail parseOrNull(String label, byte[] raw, List<String> rejected) {
        try {
            return parser.parse(raw);
        } catch (UnparseableMailException e) {
            assertThat(e.getMessage()).as(label).isNotBlank();
            rejected.add(label);
            return null;
        } catch (Throwable t) {
            throw new AssertionError(label + ": parse threw " + t, t);
        }
    }

    /** Uses the result the way the pipeline does: reads every part, runs the guard and the policy. */
    private static void exercise(String label, ParsedMail mail) {
        try {
            assertThat(mail.subject()).isNotNull();
            for (MailPart part : mail.parts()) {
                assertThat(part.filename()).isNotBlank().doesNotContain("/", "\\");
                assertThat(part.contentType()).contains("/");
                try (InputStream in = part.content().open()) {
                    long n = in.transferTo(java.io.OutputStream.nullOutputStream());
                    if (part.content().decodedSize() >= 0) {
                        assertThat(n).as("decoded size of %s", part.filename()).isEqualTo(part.content().decodedSize());
                    }
                }
            }
            new AutoReplyGuard().reasonNotToAnswer(mail, Set.of("support@acme.test"));
            NewContent content = new NewContent(String.valueOf(mail.plainText()), "", mail.html(), mail.html(), List.of());
            new AttachmentPolicy(0).select(mail, content, sha -> false);
            new AttachmentPolicy(100).select(mail, content, sha -> true);
            for (ParsedMail inner : mail.attachedMessages()) {
                exercise(label + " > attached", inner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(label, e);
        } catch (RuntimeException | AssertionError e) {
            fail(label + ": " + e, e);
        }
    }

    private static boolean hasContent(ParsedMail mail) {
        return mail.plainText() != null && !mail.plainText().isBlank() || mail.html() != null && !mail.html().isBlank()
                || !mail.parts().isEmpty() || !mail.attachedMessages().isEmpty();
    }

    /** True when something other than whitespace follows the header block. */
    private static boolean hasBody(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        int blank = s.indexOf("\n\n");
        return blank >= 0 && !s.substring(blank).isBlank();
    }

    private static boolean contains(byte[] data, String what) {
        return new String(data, StandardCharsets.ISO_8859_1).contains(what);
    }

    private static byte[] replace(byte[] data, String what, String with) {
        return new String(data, StandardCharsets.ISO_8859_1).replace(what, with).getBytes(StandardCharsets.ISO_8859_1);
    }

    private enum Mutation {
        TRUNCATE {
            @Override
            byte[] apply(byte[] raw, Random r) {
                return Arrays.copyOf(raw, r.nextInt(raw.length + 1));
            }
        },
        REMOVE_BOUNDARY_LINES {
            @Override
            byte[] apply(byte[] raw, Random r) {
                String s = new String(raw, StandardCharsets.ISO_8859_1);
                return s.replaceAll("(?m)^--.*\\r?\\n?", "").getBytes(StandardCharsets.ISO_8859_1);
            }
        },
        DAMAGE_BOUNDARY_PARAMETER {
            @Override
            byte[] apply(byte[] raw, Random r) {
                String s = new String(raw, StandardCharsets.ISO_8859_1);
                String[] damage = {"boundarx=", "boundary=\"", "boundary=;", "boundary=\"\"", "boundary*0="};
                return s.replaceFirst("(?i)boundary=", damage[r.nextInt(damage.length)])
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
        },
        FLIP_BYTES {
            @Override
            byte[] apply(byte[] raw, Random r) {
                byte[] copy = raw.clone();
                for (int i = 0, n = 1 + r.nextInt(20); i < n && copy.length > 0; i++) {
                    copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
                }
                return copy;
            }
        },
        HEADER_GARBAGE {
            @Override
            byte[] apply(byte[] raw, Random r) {
                String[] garbage = {"Content-Type: multipart/mixed; boundary=\"", "Content-Type: ;;;==\"",
                    "Content-Transfer-Encoding: base64", "Content-Type: text/plain; charset=\"x-\u00ff\u00fe\"",
                    "Subject: =?utf-8?B?!!!?= =?x?q?=ZZ?=", "From: <<<@@>>>, \"unterminated", "Date: 99 Foo 20",
                    "\u0000\u0001\u0002", "no colon here", "Content-Disposition: attachment; filename*0*=x'';"
                        + " filename*9=\"", "Content-Type: message/rfc822", " folded continuation without field"};
                String line = garbage[r.nextInt(garbage.length)] + "\r\n";
                int at = r.nextBoolean() ? 0 : lineStart(raw, r.nextInt(Math.max(1, Math.min(raw.length, 400))));
                byte[] insert = line.getBytes(StandardCharsets.ISO_8859_1);
                byte[] out = new byte[raw.length + insert.length];
                System.arraycopy(raw, 0, out, 0, at);
                System.arraycopy(insert, 0, out, at, insert.length);
                System.arraycopy(raw, at, out, at + insert.length, raw.length - at);
                return out;
            }
        },
        DELETE_RANGE {
            @Override
            byte[] apply(byte[] raw, Random r) {
                if (raw.length < 2) {
                    return raw;
                }
                int from = r.nextInt(raw.length);
                int to = Math.min(raw.length, from + 1 + r.nextInt(200));
                byte[] out = new byte[raw.length - (to - from)];
                System.arraycopy(raw, 0, out, 0, from);
                System.arraycopy(raw, to, out, from, raw.length - to);
                return out;
            }
        },
        DEEP_NESTING {
            @Override
            byte[] apply(byte[] raw, Random r) {
                StringBuilder s = new StringBuilder("From: x@y.test\r\n");
                int depth = 10 + r.nextInt(200);
                for (int i = 0; i < depth; i++) {
                    s.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i)
                            .append("\r\n");
                }
                return (s + "\r\n" + new String(raw, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            }
        },
        LINE_ENDINGS {
            @Override
            byte[] apply(byte[] raw, Random r) {
                String s = new String(raw, StandardCharsets.ISO_8859_1);
                String[] endings = {"\n", "\r", "\r\n", "\r\r\n"};
                return s.replaceAll("\r?\n", endings[r.nextInt(endings.length)]).getBytes(StandardCharsets.ISO_8859_1);
            }
        };

        abstract byte[] apply(byte[] raw, Random r);

        static int lineStart(byte[] raw, int pos) {
            int p = Math.min(pos, raw.length);
            while (p > 0 && raw[p - 1] != '\n') {
                p--;
            }
            return p;
        }
    }
}
