package dev.emailchannel.inbound;

import static dev.emailchannel.testing.DispatchFixture.failure;
import static dev.emailchannel.testing.DispatchFixture.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.testing.DispatchFixture;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The first dispatch step on a plain exchange: the stored mail parsed, the auto-reply guard asked, the new text kept. */
class ParseMailProcessorTest {

    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();

    @Test
    void should_parse_the_stored_mail_and_keep_only_what_the_customer_wrote() throws Exception {
        Inbox.Claim claim = f.claim(resource("/eml/gmail/en_web_signature.eml"));
        Exchange exchange = f.exchange(claim);

        f.parseMail().process(exchange);

        ParsedMail mail = exchange.getVariable(InboundVariables.MAIL, ParsedMail.class);
        assertThat(mail.messageId()).isEqualTo("<CAJx3kF9w2+q7dYbK_ZP1dQeR8hG0vT5sNmW4uLx2aOe7Ud-Fg@mail.gmail.com>");
        assertThat(mail.from().address()).isEqualTo("jane.miller.buyer@gmail.com");
        NewContent content = exchange.getVariable(InboundVariables.CONTENT, NewContent.class);
        String expected = new String(resource("/eml/gmail/en_web_signature.expected.txt"), StandardCharsets.UTF_8);
        assertThat(content.text()).isEqualTo(expected.strip());
        assertThat(content.quoted()).contains("Once your return arrives at our warehouse");
        assertThat(exchange.getVariable(InboundVariables.AUTO_REPLY)).as("a person wrote it").isNull();
        assertThat(exchange.getMessage().getHeaders()).isEmpty();
        assertThat(f.row(claim.id()).state()).as("parsing records nothing").isEqualTo(Inbox.PENDING);
    }

    @Test
    void should_name_why_an_auto_reply_or_a_bounce_is_not_answered() throws Exception {
        Exchange vacation = f.exchange(f.claim(resource("/mime/gmail-vacation.eml")));
        f.parseMail().process(vacation);
        assertThat(vacation.getVariable(InboundVariables.AUTO_REPLY, String.class))
                .isEqualTo("Auto-Submitted: auto-replied");
        assertThat(vacation.getVariable(InboundVariables.MAIL)).isNotNull();
        assertThat(vacation.getVariable(InboundVariables.CONTENT)).isNotNull();

        Exchange bounce = f.exchange(f.claim(resource("/mime/postfix-dsn.eml")));
        f.parseMail().process(bounce);
        assertThat(bounce.getVariable(InboundVariables.AUTO_REPLY, String.class)).startsWith("bounce");
    }

    @Test
    void should_not_answer_mail_from_the_channels_own_address() throws Exception {
        Exchange exchange = f.exchange(f.claim(DispatchFixture.mail("From: Acme Support <Support@Acme.test>\n"
                + "To: jane@example.com\nSubject: Hello\nMessage-ID: <own@acme.test>", "Hello Jane")));

        f.parseMail().process(exchange);

        assertThat(exchange.getVariable(InboundVariables.AUTO_REPLY, String.class))
                .isEqualTo("sent from the channel's own address Support@Acme.test");
    }

    @Test
    void should_reject_a_mail_that_cannot_be_parsed_so_that_it_is_parked_in_the_end() {
        byte[] binary = new byte[512];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        Exchange exchange = f.exchange(f.claim(binary));

        Exception e = failure(f.parseMail(), exchange);

        assertThat(e).isInstanceOf(RejectedMailException.class)
                .hasMessageContaining("not an RFC 5322 message (512 bytes)");
        assertThat(Failures.classify(e)).contains(Inbox.Failure.MAIL);
        assertThat(exchange.getVariable(InboundVariables.MAIL)).isNull();
        assertThat(exchange.getVariable(InboundVariables.CONTENT)).isNull();
    }

    @Test
    void should_reject_a_mail_without_a_usable_sender() {
        Exchange exchange = f.exchange(f.claim(resource("/mime/missing-headers.eml")));

        Exception e = failure(f.parseMail(), exchange);

        assertThat(e).isInstanceOf(RejectedMailException.class).hasMessage("the message has no usable From address");
        assertThat(Failures.classify(e)).contains(Inbox.Failure.MAIL);
        assertThat(exchange.getVariable(InboundVariables.MAIL)).as("nothing for the next steps").isNull();
    }

    @Test
    void should_refuse_a_mail_whose_sender_address_is_longer_than_an_address_can_be() {
        String address = "a".repeat(330) + "@example.com";
        Exchange exchange = f.exchange(f.claim(DispatchFixture.mail("From: <" + address + ">\nTo: support@acme.test\n"
                + "Subject: Long\nMessage-ID: <long@example.com>", "Hello")));

        Exception e = failure(f.parseMail(), exchange);

        assertThat(e).isInstanceOf(RejectedMailException.class)
                .hasMessage("the From address is 342 characters long; an address has at most 320");
        assertThat(Failures.classify(e)).contains(Inbox.Failure.MAIL);
    }

    @Test
    void should_refuse_a_mail_with_a_nul_character_naming_where_it_is() {
        Exchange subject = f.exchange(f.claim(DispatchFixture.mail("From: Jane <jane@example.com>\n"
                + "To: support@acme.test\nSubject: Bad\u0000byte\nMessage-ID: <nul-1@example.com>", "Hello")));
        assertThat(failure(f.parseMail(), subject)).isInstanceOf(RejectedMailException.class)
                .hasMessage("the Subject contains a NUL character (0x00), which cannot be stored");

        Exchange name = f.exchange(f.claim(DispatchFixture.mail("From: Jo\u0000hn <john@example.com>\n"
                + "To: support@acme.test\nSubject: Hello\nMessage-ID: <nul-2@example.com>", "Hello")));
        assertThat(failure(f.parseMail(), name)).isInstanceOf(RejectedMailException.class)
                .hasMessageContaining("NUL character");

        Exchange fine = f.exchange(f.claim(DispatchFixture.mail("From: Mia <mia@example.com>\n"
                + "To: support@acme.test\nSubject: Hello\nMessage-ID: <nul-3@example.com>", "No NUL here")));
        assertThat(failure(f.parseMail(), fine)).isNull();
    }
}
