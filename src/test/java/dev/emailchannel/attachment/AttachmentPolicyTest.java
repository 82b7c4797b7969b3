package dev.emailchannel.attachment;

import static dev.emailchannel.mime.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.groups.Tuple.tuple;

import dev.emailchannel.mime.MailHeaders;
import dev.emailchannel.mime.MailPart;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AttachmentPolicyTest {

    private static final long TEN_MB = 10 * 1024 * 1024;

    private static NewContent plainOnly(ParsedMail mail) {
        return new NewContent(String.valueOf(mail.plainText()), "", mail.html(), null, List.of());
    }

    /** Splits the HTML where the quote starts, as the quote stripper does. */
    private static NewContent splitAt(ParsedMail mail, String quoteStart) {
        int at = mail.html().indexOf(quoteStart);
        assertThat(at).as("quote marker " + quoteStart).isPositive();
        return new NewContent("new text", "old text", mail.html().substring(0, at), mail.html().substring(at), List.of());
    }

    @Test
    void should_send_files_of_the_new_message_with_their_data_and_hash() throws Exception {
        ParsedMail mail = parse("thunderbird-attachments.eml");

        AttachmentSelection selection = new AttachmentPolicy(TEN_MB).select(mail, plainOnly(mail), sha -> false);

        assertThat(selection.skipped()).isEmpty();
        assertThat(selection.accepted()).extracting(AcceptedAttachment::filename, AcceptedAttachment::contentType,
                AcceptedAttachment::inline).containsExactly(tuple("invoice-2026-11.pdf", "application/pdf", false),
                        tuple("orders.csv", "text/csv", false));
        AcceptedAttachment csv = selection.accepted().get(1);
        byte[] expected = "order,qty,price\n1234,2,19.90\n1235,1,5.00\n".getBytes(StandardCharsets.UTF_8);
        assertThat(bytes(csv)).isEqualTo(expected);
        assertThat(csv.size()).isEqualTo(expected.length);
        assertThat(csv.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)));
    }

    @Test
    void should_send_inline_images_with_their_content_id() {
        ParsedMail mail = parse("apple-inline-image.eml");

        AttachmentSelection selection = new AttachmentPolicy(TEN_MB).select(mail, plainOnly(mail), sha -> false);

        assertThat(selection.accepted()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("IMG_0042.jpeg");
            assertThat(a.inline()).isTrue();
            assertThat(a.contentId()).isEqualTo("9C8B7A65-4321-4DEF-A0B1-C2D3E4F5A6B7");
            assertThat(bytes(a)).startsWith(0xFF, 0xD8);
        });
    }

    @Test
    void should_skip_files_over_the_limit_without_decoding_them() {
        AtomicLong opened = new AtomicLong();
        MailPart huge = new MailPart("backup.zip", "application/zip", 27_962_028, false, null, new MailPart.Content() {
            @Override
            public InputStream open() {
                opened.incrementAndGet();
                return fail("a part known to be too large must not be decoded");
            }

            @Override
            public long decodedSize() {
                return 20_971_520;
            }
        });

        AttachmentSelection selection = new AttachmentPolicy(TEN_MB).select(mail(List.of(huge)), null, sha -> false);

        assertThat(selection.accepted()).isEmpty();
        assertThat(selection.skipped()).containsExactly(new SkippedAttachment("backup.zip", 20_971_520, "too_large"));
        assertThat(opened).hasValue(0);
    }

    @Test
    void should_skip_parsed_base64_files_over_the_limit_by_their_encoded_size() {
        ParsedMail mail = parse("thunderbird-attachments.eml");

        AttachmentSelection selection = new AttachmentPolicy(100).select(mail, plainOnly(mail), sha -> false);

        assertThat(selection.skipped()).extracting(SkippedAttachment::filename, SkippedAttachment::reason)
                .containsExactly(tuple("invoice-2026-11.pdf", "too_large"));
        assertThat(selection.accepted()).extracting(AcceptedAttachment::filename).containsExactly("orders.csv");
    }

    @Test
    void should_never_read_more_than_the_limit_of_a_part_of_unknown_size() {
        long limit = 1000;
        AtomicLong read = new AtomicLong();
        MailPart endless = new MailPart("stream.bin", "application/octet-stream", 5000, false, null,
                () -> new InputStream() { // decodedSize() unknown, as for quoted-printable
                    @Override
                    public int read() {
                        read.incrementAndGet();
                        return 'x';
                    }
                });

        AttachmentSelection selection = new AttachmentPolicy(limit).select(mail(List.of(endless)), null, sha -> false);

        assertThat(selection.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo("too_large");
            assertThat(s.size()).isGreaterThan(limit);
        });
        assertThat(read.get()).isLessThanOrEqualTo(limit + 1);
    }

    @Test
    void should_accept_quoted_printable_files_of_unknown_size_under_the_limit() throws Exception {
        ParsedMail mail = new dev.emailchannel.mime.MailParser().parse("""
                From: a@b.test
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                see file
                --b
                Content-Type: text/csv; name=prices.csv
                Content-Disposition: attachment; filename=prices.csv
                Content-Transfer-Encoding: quoted-printable

                price=3D20=E2=82=AC;note=3Dlong line that was =
                wrapped
                --b--
                """.getBytes(StandardCharsets.UTF_8));

        AttachmentSelection small = new AttachmentPolicy(10).select(mail, plainOnly(mail), sha -> false);
        AttachmentSelection enough = new AttachmentPolicy(100).select(mail, plainOnly(mail), sha -> false);

        assertThat(small.skipped()).extracting(SkippedAttachment::reason).containsExactly("too_large");
        assertThat(new String(bytes(enough.accepted().get(0)), StandardCharsets.UTF_8))
                .isEqualTo("price=20€;note=long line that was wrapped");
    }

    @Test
    void should_count_and_hash_a_file_in_one_pass_and_decode_it_again_at_each_open() throws Exception {
        byte[] file = new byte[300_001]; // not a multiple of 3: base64 padding at the end
        new java.util.Random(42).nextBytes(file);
        AtomicLong opened = new AtomicLong();
        MailPart pdf = new MailPart("report.pdf", "application/pdf", file.length * 4 / 3, false, null,
                new MailPart.Content() {
                    @Override
                    public InputStream open() {
                        opened.incrementAndGet();
                        return new java.io.ByteArrayInputStream(file);
                    }

                    @Override
                    public long decodedSize() {
                        return file.length;
                    }
                });

        AcceptedAttachment a = new AttachmentPolicy(TEN_MB).select(mail(List.of(pdf)), null, sha -> false)
                .accepted().get(0);

        assertThat(opened).as("size and SHA-256 in one streaming pass").hasValue(1);
        assertThat(a.size()).isEqualTo(file.length);
        assertThat(a.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        assertThat(bytes(a)).isEqualTo(file);
        assertThat(bytes(a)).isEqualTo(file);
        assertThat(opened).as("decoded again for each reader").hasValue(3);
    }

    @Test
    void should_accept_a_file_of_exactly_the_limit_and_skip_one_byte_more() {
        MailPart exact = unknownSize("exact.bin", 1000);
        MailPart over = unknownSize("over.bin", 1001);

        AttachmentSelection selection = new AttachmentPolicy(1000).select(mail(List.of(exact, over)), null,
                sha -> false);

        assertThat(selection.accepted()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("exact.bin");
            assertThat(a.size()).isEqualTo(1000);
            assertThat(bytes(a)).hasSize(1000);
        });
        assertThat(selection.skipped()).extracting(SkippedAttachment::filename, SkippedAttachment::reason)
                .containsExactly(tuple("over.bin", "too_large"));
    }

    @Test
    void should_never_read_more_than_the_limit_of_a_part_longer_than_its_announced_size() {
        long limit = 1000;
        AtomicLong read = new AtomicLong();
        MailPart liar = new MailPart("liar.bin", "application/octet-stream", 100, false, null, new MailPart.Content() {
            @Override
            public InputStream open() {
                return new InputStream() {
                    @Override
                    public int read() {
                        read.incrementAndGet();
                        return 'x';
                    }
                };
            }

            @Override
            public long decodedSize() {
                return 100; // claims to be small, decodes endlessly
            }
        });

        AttachmentSelection selection = new AttachmentPolicy(limit).select(mail(List.of(liar)), null, sha -> false);

        assertThat(selection.accepted()).isEmpty();
        assertThat(selection.skipped()).extracting(SkippedAttachment::reason).containsExactly("too_large");
        assertThat(read.get()).isLessThanOrEqualTo(limit + 1);
    }

    /** A part whose decoded size is not known beforehand (as for quoted-printable), of {@code size} bytes. */
    private static MailPart unknownSize(String name, int size) {
        return new MailPart(name, "application/octet-stream", size, false, null,
                () -> new java.io.ByteArrayInputStream(new byte[size]));
    }

    @Test
    void should_accept_large_files_when_the_limit_is_zero() {
        ParsedMail mail = parse("thunderbird-attachments.eml");

        assertThat(new AttachmentPolicy(0).select(mail, plainOnly(mail), sha -> false).accepted()).hasSize(2);
    }

    @Test
    void should_skip_inline_images_referenced_only_from_the_quoted_history() {
        ParsedMail gmail = parse("gmail-inline-image.eml");

        AttachmentSelection selection = new AttachmentPolicy(TEN_MB)
                .select(gmail, splitAt(gmail, "<div class=\"gmail_quote\">"), sha -> false);

        assertThat(selection.accepted()).extracting(AcceptedAttachment::filename).containsExactly("screen.png");
        assertThat(selection.skipped()).extracting(SkippedAttachment::filename, SkippedAttachment::reason)
                .containsExactly(tuple("logo.png", "quoted_history"));
    }

    @Test
    void should_keep_outlook_signature_images_of_the_new_part_and_skip_the_quoted_ones() {
        ParsedMail outlook = parse("outlook-inline-image.eml");

        AttachmentSelection selection = new AttachmentPolicy(TEN_MB)
                .select(outlook, splitAt(outlook, "<div id=\"divRplyFwdMsg\">"), sha -> false);

        assertThat(selection.accepted()).extracting(AcceptedAttachment::filename).containsExactly("image001.png");
        assertThat(selection.skipped()).extracting(SkippedAttachment::filename, SkippedAttachment::reason)
                .containsExactly(tuple("image002.png", "quoted_history"));
    }

    @Test
    void should_report_files_of_forwarded_messages_without_decoding_them() {
        ParsedMail forwarded = parse("forwarded-as-attachment.eml");
        ParsedMail bounce = parse("postfix-dsn.eml");

        AttachmentSelection fromForward = new AttachmentPolicy(TEN_MB).select(forwarded, plainOnly(forwarded),
                sha -> false);
        AttachmentSelection fromBounce = new AttachmentPolicy(TEN_MB).select(bounce, plainOnly(bounce), sha -> false);

        assertThat(fromForward.accepted()).isEmpty();
        assertThat(fromForward.skipped()).singleElement().satisfies(s -> {
            assertThat(s.filename()).isEqualTo("label.pdf");
            assertThat(s.reason()).isEqualTo("forwarded_message");
            assertThat(s.size()).isEqualTo(forwarded.attachedMessages().get(0).parts().get(0).content().decodedSize());
        });
        assertThat(fromBounce.skipped()).extracting(SkippedAttachment::filename, SkippedAttachment::reason)
                .containsExactly(tuple("invoice.pdf", "forwarded_message"));
    }

    @Test
    void should_skip_files_received_earlier_in_the_session() {
        ParsedMail mail = parse("thunderbird-attachments.eml");
        String csvHash = new AttachmentPolicy(0).select(mail, plainOnly(mail), sha -> false).accepted().get(1).sha256();

        AttachmentSelection again = new AttachmentPolicy(0).select(mail, plainOnly(mail), csvHash::equals);

        assertThat(again.accepted()).extracting(AcceptedAttachment::filename).containsExactly("invoice-2026-11.pdf");
        assertThat(again.skipped()).extracting(SkippedAttachment::filename, SkippedAttachment::reason)
                .containsExactly(tuple("orders.csv", "duplicate"));
    }

    @Test
    void should_report_a_part_that_cannot_be_read() {
        MailPart broken = new MailPart("x.bin", "application/octet-stream", 10, false, null, () -> {
            throw new IOException("gone");
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new AttachmentPolicy(0).select(mail(List.of(broken)), null, sha -> false))
                .hasMessageContaining("x.bin");
    }

    /** The file as the agent gets it: its content opened again (as the agent call does, once per write). */
    static byte[] bytes(AcceptedAttachment a) {
        try (InputStream in = a.data().open()) {
            byte[] all = in.readAllBytes();
            assertThat(all).as("%s opened again gives its size", a.filename()).hasSize((int) a.size());
            assertThat(a.data().size()).isEqualTo(a.size());
            return all;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ParsedMail mail(List<MailPart> parts) {
        return new ParsedMail("<m@x>", null, List.of(), null, List.of(), List.of(), List.of(), "s", null,
                new MailHeaders(List.of()), "text", null, parts, List.of(), List.of());
    }
}
