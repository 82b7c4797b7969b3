package dev.emailchannel.inbound;

import static dev.emailchannel.mime.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.mime.MailParser;
import dev.emailchannel.mime.ParsedMail;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoReplyGuardTest {

    private static final Set<String> OWN = Set.of("support@acme.test", "sales@acme.test");

    private final AutoReplyGuard guard = new AutoReplyGuard();

    private Optional<String> reason(String fixture) {
        return guard.reasonNotToAnswer(parse(fixture), OWN);
    }

    private static ParsedMail mail(String headers, String body) throws Exception {
        return new MailParser().parse((headers + "\n\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_answer_mail_written_by_people() {
        assertThat(reason("thunderbird-attachments.eml")).isEmpty();
        assertThat(reason("gmail-inline-image.eml")).isEmpty();
        assertThat(reason("apple-inline-image.eml")).isEmpty();
        assertThat(reason("iso-2022-jp.eml")).isEmpty();
        assertThat(reason("missing-headers.eml")).isEmpty();
    }

    @Test
    void should_not_answer_auto_replies() {
        assertThat(reason("gmail-vacation.eml")).contains("Auto-Submitted: auto-replied");
        assertThat(reason("exchange-out-of-office.eml")).contains("Auto-Submitted: auto-generated");
    }

    @Test
    void should_not_answer_an_outlook_rule_reply_recognised_by_header_and_subject() {
        assertThat(reason("outlook-rule-auto-reply.eml")).hasValueSatisfying(r -> assertThat(r)
                .startsWith("out-of-office reply").contains("X-Auto-Response-Suppress"));
    }

    @Test
    void should_answer_ordinary_outlook_mail_that_mentions_out_of_office() {
        // Outlook sets X-Auto-Response-Suppress on ordinary mail; words alone never make an auto-reply
        assertThat(reason("outlook-ordinary.eml")).isEmpty();
        assertThat(reason("outlook-inline-image.eml")).isEmpty();
    }

    @Test
    void should_answer_a_person_whose_subject_says_automatic_reply() throws Exception {
        assertThat(guard.reasonNotToAnswer(mail("From: jane@example.com\nSubject: Automatic reply: out of office?",
                "Why did I get an automatic reply from you?"), OWN)).isEmpty();
    }

    @Test
    void should_not_answer_bounces() throws Exception {
        assertThat(reason("postfix-dsn.eml")).contains("bounce (multipart/report)");
        assertThat(guard.reasonNotToAnswer(mail("Return-Path: <>\nFrom: someone@example.com", "x"), OWN))
                .contains("bounce (Return-Path <>)");
        assertThat(guard.reasonNotToAnswer(mail("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>",
                "Delivery failed"), OWN)).contains("bounce (from MAILER-DAEMON@mx.example.com)");
        assertThat(guard.reasonNotToAnswer(mail("From: postmaster@example.com", "x"), OWN))
                .contains("bounce (from postmaster@example.com)");
        assertThat(guard.reasonNotToAnswer(mail("From: jane@example.com\nContent-Type: multipart/report; "
                + "report-type=disposition-notification; boundary=r", "--r--"), OWN))
                .contains("read receipt (multipart/report)");
    }

    @Test
    void should_not_answer_list_and_bulk_mail() throws Exception {
        assertThat(reason("list-mail.eml")).hasValueSatisfying(r -> assertThat(r).contains("Precedence: list"));
        assertThat(guard.reasonNotToAnswer(mail("From: a@example.com\nList-Id: <x.example.com>", "x"), OWN))
                .contains("mailing list (List-Id: <x.example.com>)");
        assertThat(guard.reasonNotToAnswer(mail("From: a@example.com\nList-Unsubscribe: <mailto:u@x>", "x"), OWN))
                .contains("bulk mail (List-Unsubscribe)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Auto-Submitted: auto-replied                     | Auto-Submitted: auto-replied
            Auto-Submitted: Auto-Generated; owner=x@y.test   | Auto-Submitted: auto-generated
            Precedence: bulk                                 | Precedence: bulk
            Precedence: junk                                 | Precedence: junk
            X-Autoreply: yes                                 | X-Autoreply: yes
            X-Autorespond: Out of office                     | X-Autorespond: Out of office
            X-Autoresponse: 1                                | X-Autoresponse: 1
            X-Email-Channel: reply                           | sent by this channel (X-Email-Channel)
            """)
    void should_name_the_header_that_marks_a_machine(String header, String expected) throws Exception {
        assertThat(guard.reasonNotToAnswer(mail("From: a@example.com\n" + header, "hello"), OWN)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Auto-Submitted: no
            Auto-Submitted: No (sent by a person)
            Precedence: first-class
            X-Auto-Response-Suppress: All
            X-Autoreply: no
            """)
    void should_answer_mail_whose_headers_say_a_person_wrote_it(String header) throws Exception {
        assertThat(guard.reasonNotToAnswer(mail("From: a@example.com\n" + header, "I am out of office, sorry"), OWN))
                .isEmpty();
    }

    @Test
    void should_not_answer_mail_from_its_own_addresses() throws Exception {
        assertThat(guard.reasonNotToAnswer(mail("From: Acme <Support@ACME.test>", "x"), OWN))
                .contains("sent from the channel's own address Support@ACME.test");
    }
}
