package dev.emailchannel.mime;

import static dev.emailchannel.mime.Fixtures.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Old and proprietary formats (TNEF, uuencode), folded boundaries, and the limits against hostile messages. */
class MailParserFormatsTest {

    private final MailParser parser = new MailParser();

    private ParsedMail parse(String raw) throws UnparseableMailException {
        return parser.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_replace_winmail_dat_by_the_files_and_body_inside_it() throws Exception {
        byte[] pdf = "%PDF-1.4\n% invoice 2025-118\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        byte[] tnef = new TnefWriter().body("Hello,\r\nplease find the invoice attached.\r\nRegards, Ola")
                .attachment("invoice.pdf", pdf).attachment("logo.png", png).bytes();
        String raw = "From: Ola <ola@customer.example>\nTo: support@acme.test\nSubject: Invoice\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\n"
                + "Content-Disposition: attachment; filename=\"winmail.dat\"\nContent-Transfer-Encoding: base64\n\n"
                + TnefWriter.base64Lines(tnef) + "--b1--\n";

        ParsedMail mail = parse(raw);

        assertThat(mail.parts()).extracting(MailPart::filename, MailPart::contentType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("invoice.pdf", "application/pdf"),
                        org.assertj.core.groups.Tuple.tuple("logo.png", "image/png"));
        assertThat(content(mail.parts().get(0))).isEqualTo(pdf);
        assertThat(content(mail.parts().get(1))).isEqualTo(png);
        assertThat(mail.parts().get(0).content().decodedSize()).isEqualTo(pdf.length);
        assertThat(mail.plainText()).isEqualTo("Hello,\nplease find the invoice attached.\nRegards, Ola");
        assertThat(mail.problems()).noneMatch(p -> p.contains("winmail") || p.contains("TNEF"));
    }

    @Test
    void should_keep_a_mime_body_and_take_only_the_files_from_winmail_dat() throws Exception {
        byte[] tnef = new TnefWriter().body("rich body").attachment("a.txt", "A".getBytes(StandardCharsets.US_ASCII)).bytes();
        String raw = "From: x@customer.example\nSubject: s\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\n"
                + "Content-Type: text/plain\n\nThe MIME text.\n--b1\nContent-Type: application/vnd.ms-tnef\n"
                + "Content-Transfer-Encoding: base64\n\n" + TnefWriter.base64Lines(tnef) + "--b1--\n";

        ParsedMail mail = parse(raw);

        assertThat(mail.plainText()).isEqualTo("The MIME text.");
        assertThat(mail.parts()).extracting(MailPart::filename).containsExactly("a.txt");
    }

    @Test
    void should_keep_a_broken_winmail_dat_as_a_file_and_say_why() throws Exception {
        String raw = "From: x@customer.example\nSubject: s\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\n"
                + "Content-Type: text/plain\n\nText.\n--b1\nContent-Type: application/ms-tnef; name=winmail.dat\n\n"
                + "not tnef at all\n--b1--\n";

        ParsedMail mail = parse(raw);

        assertThat(mail.parts()).extracting(MailPart::filename).containsExactly("winmail.dat");
        assertThat(mail.problems()).anyMatch(p -> p.startsWith("winmail.dat kept as a file"));
    }

    @Test
    void should_take_uuencoded_files_out_of_the_text() throws Exception {
        // "Hello uuencode!\n" uuencoded
        String raw = "From: x@customer.example\nSubject: s\n\nSee the file below.\n\nbegin 644 hello.txt\n"
                + "02&5L;&\\@=75E;F-O9&4A\"@``\n`\nend\n\nThanks\n";

        ParsedMail mail = parse(raw);

        assertThat(mail.plainText().strip()).isEqualTo("See the file below.\n\n\nThanks");
        assertThat(mail.parts()).extracting(MailPart::filename, MailPart::contentType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello.txt", "text/plain"));
        assertThat(new String(content(mail.parts().get(0)), StandardCharsets.US_ASCII)).isEqualTo("Hello uuencode!\n");
    }

    @Test
    void should_decode_a_part_whose_transfer_encoding_is_uuencode() throws Exception {
        String raw = "From: x@customer.example\nSubject: s\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\n"
                + "Content-Type: text/plain\n\nText.\n--b1\nContent-Type: application/octet-stream; name=hello.bin\n"
                + "Content-Transfer-Encoding: x-uuencode\n\nbegin 644 hello.bin\n02&5L;&\\@=75E;F-O9&4A\"@``\n`\nend\n--b1--\n";

        ParsedMail mail = parse(raw);

        assertThat(new String(content(mail.parts().get(0)), StandardCharsets.US_ASCII)).isEqualTo("Hello uuencode!\n");
        assertThat(mail.problems()).noneMatch(p -> p.contains("Transfer-Encoding"));
    }

    @Test
    void should_leave_text_that_merely_starts_with_begin() throws Exception {
        ParsedMail mail = parse("From: x@customer.example\nSubject: s\n\nbegin 644 of the form is wrong\nsee you\nend\n");

        assertThat(mail.plainText()).contains("begin 644 of the form is wrong");
        assertThat(mail.parts()).isEmpty();
    }

    @Test
    void should_recover_a_boundary_folded_over_two_lines() throws Exception {
        // the fold is inside the boundary value; the body uses the boundary without the line break, and a decoy
        // "--" line in the preamble repeats, so guessing the boundary from the body would pick the wrong one
        String raw = "From: x@customer.example\nSubject: s\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"----=_Part_4711_\n 1234567890.1741000000000\"\n\n"
                + "--decoy\n--decoy\n------=_Part_4711_1234567890.1741000000000\nContent-Type: text/plain\n\nThe text.\n"
                + "------=_Part_4711_1234567890.1741000000000\nContent-Type: application/pdf; name=a.pdf\n\n%PDF\n"
                + "------=_Part_4711_1234567890.1741000000000--\n";

        ParsedMail mail = parse(raw);

        assertThat(mail.plainText()).isEqualTo("The text.");
        assertThat(mail.parts()).extracting(MailPart::filename).containsExactly("a.pdf");
        assertThat(mail.problems()).anyMatch(p -> p.contains("folded over two lines"));
    }

    @Test
    void should_refuse_nesting_deeper_than_the_limit_and_name_it() {
        StringBuilder raw = new StringBuilder("From: x@customer.example\nSubject: s\n");
        for (int i = 0; i < 30; i++) {
            raw.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        raw.append("Content-Type: text/plain\n\ndeep\n");

        assertThatThrownBy(() -> parse(raw.toString())).isInstanceOf(MailLimitException.class)
                .hasMessageContaining("nesting").hasMessageContaining(String.valueOf(MailParser.MAX_DEPTH));
    }

    @Test
    void should_accept_nesting_up_to_the_limit() throws Exception {
        StringBuilder raw = new StringBuilder("From: x@customer.example\nSubject: s\n");
        for (int i = 0; i < MailParser.MAX_DEPTH; i++) {
            raw.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        raw.append("Content-Type: text/plain\n\ndeep\n");

        assertThat(parse(raw.toString()).plainText()).isEqualToIgnoringWhitespace("deep");
    }

    @Test
    void should_refuse_more_parts_than_the_limit_and_name_it() {
        String raw = "From: x@customer.example\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n"
                + "--b\nContent-Type: image/png\n\nx\n".repeat(MailParser.MAX_PARTS + 1) + "--b--\n";

        assertThatThrownBy(() -> parse(raw)).isInstanceOf(MailLimitException.class)
                .hasMessageContaining("parts").hasMessageContaining(String.valueOf(MailParser.MAX_PARTS));
    }

    @Test
    void should_count_the_parts_of_attached_messages_too() {
        String inner = "From: y@x.example\nSubject: i\nContent-Type: multipart/mixed; boundary=c\n\n"
                + "--c\nContent-Type: image/png\n\nx\n".repeat(600) + "--c--\n";
        String raw = "From: x@customer.example\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n"
                + ("--b\nContent-Type: message/rfc822\n\n" + inner).repeat(2) + "--b--\n";

        assertThatThrownBy(() -> parse(raw)).isInstanceOf(MailLimitException.class).hasMessageContaining("parts");
    }

    @Test
    void should_refuse_a_header_block_over_the_limit_and_name_it() {
        String raw = "From: x@customer.example\nX-Junk: " + "a".repeat(MailParser.MAX_HEADER_BYTES) + "\nSubject: s\n\nbody\n";

        assertThatThrownBy(() -> parse(raw)).isInstanceOf(MailLimitException.class)
                .hasMessageContaining("header block").hasMessageContaining(String.valueOf(MailParser.MAX_HEADER_BYTES));
    }
}
