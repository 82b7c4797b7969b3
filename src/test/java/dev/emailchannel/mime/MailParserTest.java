package dev.emailchannel.mime;

import static dev.emailchannel.mime.Fixtures.content;
import static dev.emailchannel.mime.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MailParserTest {

    private final MailParser parser = new MailParser();

    private ParsedMail parseString(String raw) throws UnparseableMailException {
        return parser.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_read_envelope_body_and_attachments_of_a_thunderbird_mail() {
        ParsedMail mail = parse("thunderbird-attachments.eml");

        assertThat(mail.messageId()).isEqualTo("<5f1c2a9e-1111-4c2b-9d1a-thunderbird@example.com>");
        assertThat(mail.from()).isEqualTo(new EmailAddress("jane@example.com", "Jane Doe"));
        assertThat(mail.to()).containsExactly(EmailAddress.of("support@acme.test"));
        assertThat(mail.subject()).isEqualTo("Invoice and order list");
        assertThat(mail.date()).isEqualTo(Instant.parse("2026-11-23T17:04:11Z"));
        assertThat(mail.plainText()).startsWith("Hello,\n\nplease find the invoice").doesNotContain("\r");
        assertThat(mail.html()).isNull();
        assertThat(mail.parts()).extracting(MailPart::filename, MailPart::contentType, MailPart::inline)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("invoice-2026-11.pdf", "application/pdf", false),
                        org.assertj.core.groups.Tuple.tuple("orders.csv", "text/csv", false));
        assertThat(new String(content(mail.parts().get(1)), StandardCharsets.UTF_8)).startsWith("order,qty,price\n");
        assertThat(content(mail.parts().get(0))).startsWith("%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
        assertThat(mail.parts().get(0).content().decodedSize()).isEqualTo(content(mail.parts().get(0)).length);
        assertThat(mail.problems()).isEmpty();
    }

    @Test
    void should_take_plain_and_html_from_nested_alternative_and_keep_inline_images_as_parts() {
        ParsedMail mail = parse("gmail-inline-image.eml");

        assertThat(mail.plainText()).startsWith("Here is the photo of the screen:");
        assertThat(mail.html()).contains("<img src=\"cid:ii_lq8x1abc0\"").contains("gmail_quote");
        assertThat(mail.parts()).extracting(MailPart::filename).containsExactly("screen.png", "logo.png");
        assertThat(mail.parts()).allMatch(MailPart::inline);
        assertThat(mail.parts().get(0).contentId()).isEqualTo("ii_lq8x1abc0");
        assertThat(mail.inReplyTo()).isEqualTo("<prev-1@acme.test>");
        assertThat(mail.references()).containsExactly("<prev-1@acme.test>");
    }

    @Test
    void should_prefer_the_html_alternative_that_holds_the_related_images_in_apple_mail() {
        ParsedMail mail = parse("apple-inline-image.eml");

        assertThat(mail.plainText()).isEqualTo("The parcel arrived like this:\n\nCan you send a new one?\n");
        assertThat(mail.html()).contains("cid:9C8B7A65-4321-4DEF-A0B1-C2D3E4F5A6B7");
        assertThat(mail.parts()).singleElement().satisfies(p -> {
            assertThat(p.filename()).isEqualTo("IMG_0042.jpeg");
            assertThat(p.contentType()).isEqualTo("image/jpeg");
            assertThat(p.inline()).isTrue();
            assertThat(p.contentId()).isEqualTo("9C8B7A65-4321-4DEF-A0B1-C2D3E4F5A6B7");
        });
        assertThat(mail.messageId()).isEqualTo("<A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF@icloud.example>");
    }

    @Test
    void should_decode_latin1_outlook_headers_and_quoted_printable_bodies() {
        ParsedMail mail = parse("outlook-inline-image.eml");

        assertThat(mail.from()).isEqualTo(new EmailAddress("hans.mueller@contoso.example", "Müller, Hans"));
        assertThat(mail.subject()).isEqualTo("AW: Lieferung verspätet");
        assertThat(mail.plainText()).contains("außer Haus").contains("Grüße\nHans Müller");
        assertThat(mail.html()).contains("Wir prüfen das."); // soft line break with CRLF
        assertThat(mail.parts()).extracting(MailPart::contentId)
                .containsExactly("image001.png@01DA1E2F.3A4B5C60", "image002.png@01DA1E2F.3A4B5C60");
        assertThat(mail.references()).containsExactly("<prev-1@acme.test>", "<prev-2@acme.test>");
    }

    @Test
    void should_decode_iso_2022_jp_body_and_encoded_words() {
        ParsedMail mail = parse("iso-2022-jp.eml");

        assertThat(mail.subject()).isEqualTo("注文について");
        assertThat(mail.from().name()).isEqualTo("山田 太郎");
        assertThat(mail.plainText()).isEqualTo("注文について質問があります。\n山田太郎\n");
    }

    @Test
    void should_decode_koi8_r_body_and_encoded_words() {
        ParsedMail mail = parse("koi8-r.eml");

        assertThat(mail.subject()).isEqualTo("Заказ 1234");
        assertThat(mail.from().name()).isEqualTo("Иван Петров");
        assertThat(mail.plainText()).isEqualTo("Здравствуйте! Где мой заказ?\nИван\n");
    }

    @Test
    void should_decode_windows_1252_including_characters_missing_from_latin1() {
        ParsedMail mail = parse("windows-1252.eml");

        assertThat(mail.subject()).isEqualTo("Commande « 1234 » – déjà payée");
        assertThat(mail.from().name()).isEqualTo("Renée François");
        assertThat(mail.plainText()).isEqualTo("Bonjour, j’ai payé la commande « 1234 », coût 20 €.\n");
    }

    @Test
    void should_decode_rfc2231_and_encoded_word_file_names_and_sanitise_paths() {
        ParsedMail mail = parse("rfc2231-filenames.eml");

        assertThat(mail.plainText()).isEqualTo("Four files.");
        assertThat(mail.parts()).extracting(MailPart::filename).containsExactly(
                "Rechnung für Müller – November.pdf", "Прайс-лист.xlsx", "evilfdp.exe", "image-4.png");
    }

    @Test
    void should_unwrap_format_flowed_with_delsp() {
        ParsedMail mail = parse("format-flowed.eml");

        assertThat(mail.plainText()).isEqualTo("""
                This is a long paragraph that the mail client wrapped at seventy-two characters, and it should \
                come out as one single line again.
                From here on a space-stuffed line.

                > Quoted text that was also wrapped by the client.
                --\s
                Jane
                """);
    }

    @Test
    void should_keep_the_text_of_a_message_whose_boundary_parameter_is_wrong() {
        ParsedMail mail = parse("broken-boundary.eml");

        assertThat(mail.plainText()).isEqualTo("The text of a message whose boundary parameter is wrong.");
        assertThat(mail.parts()).extracting(MailPart::filename).containsExactly("notes.txt");
        assertThat(mail.problems()).anySatisfy(p -> assertThat(p).contains("not found"));
    }

    @Test
    void should_keep_the_text_of_a_multipart_without_boundary_lines() {
        ParsedMail mail = parse("no-boundary-lines.eml");

        assertThat(mail.plainText()).contains("this text must not be lost");
        assertThat(mail.problems()).anySatisfy(p -> assertThat(p).contains("without any boundary line"));
    }

    @Test
    void should_parse_attached_messages_separately_and_keep_their_files_out_of_parts() {
        ParsedMail mail = parse("forwarded-as-attachment.eml");

        assertThat(mail.plainText()).isEqualTo("See the courier's mail below, with their label.");
        assertThat(mail.parts()).isEmpty();
        assertThat(mail.attachedMessages()).singleElement().satisfies(inner -> {
            assertThat(inner.subject()).isEqualTo("Delivery notice");
            assertThat(inner.from().address()).isEqualTo("noreply@courier.example");
            assertThat(inner.plainText()).isEqualTo("Your parcel could not be delivered.");
            assertThat(inner.parts()).extracting(MailPart::filename).containsExactly("label.pdf");
        });
    }

    @Test
    void should_parse_a_delivery_status_notification() {
        ParsedMail mail = parse("postfix-dsn.eml");

        assertThat(mail.from().address()).isEqualTo("MAILER-DAEMON@mail.acme.test");
        assertThat(mail.plainText()).contains("could not\nbe delivered");
        assertThat(mail.parts()).extracting(MailPart::contentType).containsExactly("message/delivery-status");
        assertThat(mail.attachedMessages()).singleElement()
                .satisfies(original -> assertThat(original.messageId()).isEqualTo("<out-9@acme.test>"));
    }

    @Test
    void should_work_around_missing_headers_raw_utf8_and_misspelled_charsets() {
        ParsedMail mail = parse("missing-headers.eml");

        assertThat(mail.from()).isNull();
        assertThat(mail.messageId()).isNull();
        assertThat(mail.date()).isNull();
        assertThat(mail.subject()).isEqualTo("Bestellung Nr. 1234 – Frage zur Größe");
        assertThat(mail.plainText()).isEqualTo("Gibt es die Jacke auch in Größe XL?\n");
        assertThat(mail.problems()).contains("no From header", "no Message-ID", "no Date header");
    }

    @Test
    void should_decode_malformed_encoded_words() {
        assertThat(EncodedWords.decode("=?utf-8?q?Gr=C3=BC?= =?utf-8?q?=C3=9Fe?=")).isEqualTo("Grüße");
        assertThat(EncodedWords.decode("=?UTF-8?B?w6TDtsO8?=")).isEqualTo("äöü");
        // a multi-byte character split over two words (the bytes E2 82 | AC)
        assertThat(EncodedWords.decode("=?utf-8?B?4oI=?= =?utf-8?B?rA==?= 20")).isEqualTo("€ 20");
        assertThat(EncodedWords.decode("=?utf-8?B?w6TDtsO8")).isEqualTo("äöü"); // missing ?=
        assertThat(EncodedWords.decode("Re:=?utf-8?q?f=C3=BCr?=x")).isEqualTo("Re:fürx");
        assertThat(EncodedWords.decode("=?no-such-charset?q?caf=C3=A9?=")).isEqualTo("café");
        assertThat(EncodedWords.decode("=?utf-8?q?with space?=")).isEqualTo("with space");
        assertThat(EncodedWords.decode("plain text = not encoded ?=")).isEqualTo("plain text = not encoded ?=");
    }

    @Test
    void should_fall_back_sensibly_for_unknown_and_misspelled_charsets() throws Exception {
        String body = "Größe";
        for (String label : new String[] {"utf8", "UTF-8", "\"utf-8\"", "x-unknown", "unknown-8bit", ""}) {
            ParsedMail mail = parseString("From: a@b.test\nContent-Type: text/plain; charset=" + label + "\n\n" + body);
            assertThat(mail.plainText()).as(label).isEqualTo(body);
        }
        byte[] latin1 = "From: a@b.test\nContent-Type: text/plain; charset=latin1\n\nGr\u00f6\u00dfe"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parser.parse(latin1).plainText()).isEqualTo(body);
        byte[] mislabelled = "From: a@b.test\nContent-Type: text/plain; charset=utf-8\n\nGr\u00f6\u00dfe"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parser.parse(mislabelled).plainText()).isEqualTo(body);
        byte[] cut = "From: a@b.test\nContent-Type: text/plain; charset=utf-8\n\nGrüße, Jürgen \u20ac"
                .getBytes(StandardCharsets.UTF_8);
        cut = java.util.Arrays.copyOf(cut, cut.length - 1); // the euro sign lost its last byte
        assertThat(parser.parse(cut).plainText()).isEqualTo("Grüße, Jürgen \ufffd");
        byte[] gb = "From: a@b.test\nContent-Type: text/plain; charset=gb2312\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] gbBody = "订单".getBytes("GBK");
        byte[] gbMail = java.util.Arrays.copyOf(gb, gb.length + gbBody.length);
        System.arraycopy(gbBody, 0, gbMail, gb.length, gbBody.length);
        assertThat(parser.parse(gbMail).plainText()).isEqualTo("订单");
    }

    @Test
    void should_read_raw_8bit_headers_in_the_charset_the_message_declares() throws Exception {
        String mail = "From: =?x?q?x?= <ivan@example.ru>\nSubject: Заказ 1234\nContent-Type: multipart/mixed; boundary=b\n\n"
                + "--b\nContent-Type: text/plain; charset=koi8-r\n\nГде мой заказ?\n--b--\n";

        ParsedMail parsed = parser.parse(mail.getBytes("KOI8-R"));

        assertThat(parsed.subject()).isEqualTo("Заказ 1234");
        assertThat(parsed.plainText()).isEqualTo("Где мой заказ?");
        assertThat(parsed.problems()).contains("raw 8-bit header text, read as KOI8-R");
    }

    @Test
    void should_treat_inline_text_parts_with_a_file_name_as_attachments() throws Exception {
        ParsedMail mail = parseString("""
                From: a@b.test
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                body
                --b
                Content-Type: text/plain; name=log.txt
                Content-Disposition: inline; filename=log.txt

                log line
                --b
                Content-Type: text/html
                Content-Disposition: attachment

                <p>an attached page</p>
                --b--
                """);

        assertThat(mail.plainText()).isEqualTo("body");
        assertThat(mail.html()).isNull();
        assertThat(mail.parts()).extracting(MailPart::filename).containsExactly("log.txt", "attachment-2.html");
    }

    @Test
    void should_read_a_single_part_message_with_a_name_parameter_as_body() throws Exception {
        ParsedMail mail = parseString("From: a@b.test\nContent-Type: text/plain; charset=utf-8; name=msg.txt\n\nHello");

        assertThat(mail.plainText()).isEqualTo("Hello");
        assertThat(mail.parts()).isEmpty();
    }

    @Test
    void should_join_text_parts_that_apple_mail_splits_around_an_image() throws Exception {
        ParsedMail mail = parseString("""
                From: a@b.test
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                before
                --b
                Content-Type: image/png
                Content-Disposition: inline

                xxx
                --b
                Content-Type: text/plain

                after
                --b--
                """);

        assertThat(mail.plainText()).isEqualTo("before\nafter");
        assertThat(mail.parts()).singleElement().satisfies(p -> assertThat(p.filename()).isEqualTo("image-1.png"));
    }

    @Test
    void should_report_the_encoded_size_without_decoding() throws Exception {
        ParsedMail mail = parse("thunderbird-attachments.eml");
        MailPart pdf = mail.parts().get(0);

        assertThat(pdf.encodedSize()).isGreaterThan(pdf.content().decodedSize());
        assertThat(pdf.content().decodedSize()).isEqualTo(content(pdf).length);
    }

    @Test
    void should_reject_bytes_that_are_not_a_message_with_a_clear_message() {
        assertThatThrownBy(() -> parser.parse(new byte[0]))
                .isInstanceOf(UnparseableMailException.class).hasMessageContaining("empty");
        byte[] binary = new byte[2000];
        new java.util.Random(1).nextBytes(binary);
        assertThatThrownBy(() -> parser.parse(binary))
                .isInstanceOf(UnparseableMailException.class).hasMessageContaining("no header fields");
    }

    @Test
    void should_read_a_message_without_headers_as_text_body() throws Exception {
        ParsedMail mail = parseString("just some text\nwithout any header\n");

        assertThat(mail.plainText()).isEqualTo("just some text\nwithout any header\n");
        assertThat(mail.problems()).contains("no header fields; the whole message is read as a text body");
    }

    @Test
    void should_skip_an_mbox_from_line() throws Exception {
        ParsedMail mail = parseString("From jane@example.com Tue Nov 24 10:00:00 2026\nFrom: jane@example.com\n"
                + "Subject: hi\n\nbody\n");

        assertThat(mail.subject()).isEqualTo("hi");
        assertThat(mail.plainText()).isEqualTo("body\n");
    }

    @Test
    void should_read_mail_with_bare_cr_line_endings() throws Exception {
        ParsedMail mail = parseString("From: a@b.test\rSubject: old Mac\r\rline one\rline two\r");

        assertThat(mail.subject()).isEqualTo("old Mac");
        assertThat(mail.plainText()).isEqualTo("line one\nline two\n");
    }

    @Test
    void should_recognise_unlabelled_iso_2022_jp() throws Exception {
        byte[] head = "From: a@b.test\nContent-Type: text/plain\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = "注文".getBytes("ISO-2022-JP");
        byte[] raw = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, raw, head.length, body.length);

        assertThat(parser.parse(raw).plainText()).isEqualTo("注文");
    }

    @Test
    void should_read_dates_in_rfc_5322_and_common_broken_forms() throws Exception {
        assertThat(parseString("From: a@b.test\nDate: Tue, 24 Nov 2026 12:00:00 +0100 (CET)\n\nx").date())
                .isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
        assertThat(parseString("From: a@b.test\nDate: 2026-11-24T12:00:00Z\n\nx").date())
                .isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
        assertThat(parseString("From: a@b.test\nDate: Tue Nov 24 12:00:00 2026\n\nx").date())
                .isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
        ParsedMail bad = parseString("From: a@b.test\nDate: yesterday\n\nx");
        assertThat(bad.date()).isNull();
        assertThat(bad.problems()).contains("unparseable Date 'yesterday'");
    }

    @Test
    void should_read_each_date_alike_on_threads_that_parse_many_mails_good_and_broken() throws Exception {
        // each thread keeps one date parser for all its mails: a broken date must not leave it in a state that
        // changes the next one, and threads must not share it
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        int day = 1 + (i + offset) % 28;
                        String date = day + " Dec 2026 0" + (i % 10) + ":15:00 +0100";
                        assertThat(parseString("From: a@b.test\nDate: " + date + "\n\nx").date()).as(date)
                                .isEqualTo(Instant.parse(String.format("2026-12-%02dT%02d:15:00Z", day, i % 10))
                                        .minusSeconds(3600));
                        assertThat(parseString("From: a@b.test\nDate: Tue, 99 Foo 2026 25:61\n\nx").date()).isNull();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_end_the_header_block_at_a_whitespace_only_line() throws Exception {
        ParsedMail mail = parseString("From: a@b.test\nSubject: s\n   \nthe body\n");

        assertThat(mail.subject()).isEqualTo("s");
        assertThat(mail.plainText()).isEqualTo("the body\n");
    }

    @Test
    void should_read_whitespace_only_lines_inside_an_obsolete_folded_header() throws Exception {
        ParsedMail mail = parseString("From: a@b.test\nSubject : obsolete\n   \n folding\nDate : Tue, 24 Nov 2026 "
                + "12:00:00 +0000\n\nbody\n");

        assertThat(mail.subject()).isEqualTo("obsolete folding");
        assertThat(mail.date()).isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
        assertThat(mail.plainText()).isEqualTo("body\n");
    }

    @Test
    void should_fall_back_to_a_guessed_boundary_when_the_parameter_is_missing() throws Exception {
        ParsedMail mail = parseString("From: a@b.test\nContent-Type: multipart/mixed\n\n--x=?q?y\n"
                + "Content-Type: text/plain\n\nhello\n--x=?q?y--\n");

        assertThat(mail.plainText()).isEqualTo("hello");
        assertThat(mail.problems()).anySatisfy(p -> assertThat(p).contains("multipart without boundary parameter"));
    }

    @Test
    void should_sanitise_file_names() {
        assertThat(FileNames.sanitize("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitize("a\u0000b\tc.txt")).isEqualTo("ab c.txt");
        assertThat(FileNames.sanitize("what?.pdf")).isEqualTo("what_.pdf");
        assertThat(FileNames.sanitize(" .. ")).isNull();
        assertThat(FileNames.sanitize("x".repeat(500) + ".pdf")).hasSize(FileNames.MAX_LENGTH).endsWith(".pdf");
        assertThat(FileNames.withExtension("scan", "image/jpeg")).isEqualTo("scan.jpg");
        assertThat(FileNames.withExtension("README", "application/octet-stream")).isEqualTo("README");
        assertThat(FileNames.withExtension("a.tar.gz", "application/gzip")).isEqualTo("a.tar.gz");
        assertThat(FileNames.madeUp("application/pdf", 2)).isEqualTo("attachment-2.pdf");
        assertThat(FileNames.madeUp("application/x-weird", 1)).isEqualTo("attachment-1.bin");
    }
}
