package dev.emailchannel.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.mime.EmailAddress;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplyComposerTest {

    private static MailboxSettings mailbox(String contentType, String name) {
        return new MailboxSettings(0, EmailAddress.of("support@acme.test"), new Secret("x"), "imap.acme.test", 993,
                "smtp.acme.test", 587, MailboxSettings.SmtpEncryption.AUTO, name, "INBOX", contentType, null);
    }

    private static final ReplyTarget TARGET = new ReplyTarget("<q2@example.com>", List.of("<q0@example.com>",
            "<a1@acme.test>"), "AW: Order 1234", new EmailAddress("jane@example.com", "Jane Doe"));

    private static MimeMessage parse(OutgoingMail mail) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail.raw()));
    }

    @Test
    void should_thread_the_reply_to_the_customer_message() throws Exception {
        OutgoingMail out = new ReplyComposer("email", "").reply(mailbox("text/plain", "Acme Support"), TARGET,
                new AgentReply("It ships today.", null, List.of()));
        MimeMessage msg = parse(out);
        assertThat(msg.getSubject()).isEqualTo("Re: Order 1234");
        assertThat(msg.getHeader("In-Reply-To", null)).isEqualTo("<q2@example.com>");
        assertThat(msg.getHeader("References", null)).isEqualTo("<q0@example.com> <a1@acme.test> <q2@example.com>");
        assertThat(msg.getMessageID()).isEqualTo(out.messageId()).matches("<[0-9a-f-]{36}@acme\\.test>");
        assertThat(((InternetAddress) msg.getFrom()[0]).getPersonal()).isEqualTo("Acme Support");
        assertThat(((InternetAddress) msg.getFrom()[0]).getAddress()).isEqualTo("support@acme.test");
        assertThat(InternetAddress.toString(msg.getRecipients(jakarta.mail.Message.RecipientType.TO)))
                .isEqualTo("Jane Doe <jane@example.com>");
        assertThat(msg.getHeader("X-Email-Channel", null)).isEqualTo("email");
        assertThat(msg.getContent()).isEqualTo("It ships today.");
    }

    @Test
    void should_fill_the_signature_placeholders() throws Exception {
        ReplyComposer composer = new ReplyComposer("email", "--\n{{ sender_name }} | {{sender_email}}");
        OutgoingMail out = composer.reply(mailbox("text/plain", "Acme Support"), TARGET,
                new AgentReply("Hi", null, List.of()));
        assertThat(parse(out).getContent()).isEqualTo("Hi\n\n--\nAcme Support | support@acme.test");
        OutgoingMail noName = composer.reply(mailbox("text/plain", null), TARGET, new AgentReply("Hi", null, List.of()));
        assertThat((String) parse(noName).getContent()).endsWith("support@acme.test | support@acme.test");
    }

    @Test
    void should_send_html_with_a_plain_alternative_and_render_markdown_safely() throws Exception {
        OutgoingMail out = new ReplyComposer("email", "Best, {{ sender_name }}").reply(mailbox("text/html", "Acme"),
                TARGET, new AgentReply("**Good news**: <script>alert(1)</script> it ships.", null, List.of()));
        MimeMessage msg = parse(out);
        assertThat(msg.getContentType()).startsWith("multipart/alternative");
        Multipart alt = (Multipart) msg.getContent();
        assertThat(alt.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) alt.getBodyPart(0).getContent()).contains("**Good news**").endsWith("Best, Acme");
        String html = (String) alt.getBodyPart(1).getContent();
        assertThat(html).contains("<strong>Good news</strong>").doesNotContain("<script>").contains("Best, Acme");
    }

    @Test
    void should_attach_files_with_types_and_encoded_names_and_inline_images_by_cid() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        OutgoingMail out = new ReplyComposer("email", "").reply(mailbox("text/html", null), TARGET,
                new AgentReply("See the label", "<p>See <img src=\"cid:label1\"></p>", List.of(
                        new OutgoingAttachment("Rechnung März.pdf", null, "pdf".getBytes(StandardCharsets.UTF_8),
                                false, null),
                        new OutgoingAttachment("label.png", "image/png", png, true, "label1"))));
        MimeMessage msg = parse(out);
        List<Part> leaves = new ArrayList<>();
        collect(msg, leaves);
        Part pdf = leaves.stream().filter(p -> "Rechnung März.pdf".equals(fileName(p))).findFirst().orElseThrow();
        assertThat(pdf.getContentType()).startsWith("application/pdf");
        assertThat(pdf.getDisposition()).isEqualTo(Part.ATTACHMENT);
        Part image = leaves.stream().filter(p -> "label.png".equals(fileName(p))).findFirst().orElseThrow();
        assertThat(image.getHeader("Content-ID")[0]).isEqualTo("<label1>");
        assertThat(image.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(new String(msg.getRawInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .contains("multipart/related");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Order 1234|Re: Order 1234",
        "Re: Order 1234|Re: Order 1234",
        "RE: Re: Order 1234|Re: Order 1234",
        "AW: Bestellung|Re: Bestellung",
        "SV: Order|Re: Order",
        "Re[2]: Order|Re: Order",
        "Fwd: Invoice|Re: Fwd: Invoice",
        "Reminder: pay|Re: Reminder: pay",
        "回复：订单|Re: 订单",
        "''|Re:"})
    void should_prefix_re_once(String original, String expected) {
        assertThat(Subjects.reply(original)).isEqualTo(expected);
    }

    private static String fileName(Part p) {
        try {
            return jakarta.mail.internet.MimeUtility.decodeText(p.getFileName());
        } catch (Exception e) {
            return null;
        }
    }

    private static void collect(Part part, List<Part> leaves) throws Exception {
        if (part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                collect(child, leaves);
            }
        } else {
            leaves.add(part);
        }
    }
}
