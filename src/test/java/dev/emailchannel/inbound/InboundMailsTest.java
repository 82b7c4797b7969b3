package dev.emailchannel.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.session.Inbox;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InboundMailsTest {

    static byte[] mail(String headers) {
        return (headers + "\r\n\r\nBody\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void should_key_by_message_id_and_give_a_stable_event_id() {
        byte[] raw = mail("Message-ID: <a@x>\r\nFrom: Jane Doe <Jane@Example.com>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=");
        Inbox.NewMail m = InboundMails.of("email", "support@acme.test", raw, 7L, 42L, null);
        Inbox.NewMail again = InboundMails.of("email", "support@acme.test", mail("Message-ID: <a@x>"), null, null,
                null);
        assertThat(m.messageKey()).isEqualTo(again.messageKey()).hasSize(64);
        assertThat(m.eventId()).isEqualTo(again.eventId());
        assertThat(m.customer()).isEqualTo("jane@example.com");
        assertThat(m.subject()).isEqualTo("Grüße");
        assertThat(m.messageId()).isEqualTo("<a@x>");
        assertThat(InboundMails.of("other", "support@acme.test", raw, null, null, null).eventId())
                .as("another connection").isNotEqualTo(m.eventId());
    }

    @Test
    void should_key_a_mail_without_message_id_by_its_content() {
        Inbox.NewMail a = InboundMails.of("email", "b", mail("From: a@x"), null, null, null);
        Inbox.NewMail b = InboundMails.of("email", "b", mail("From: b@x"), null, null, null);
        assertThat(a.messageKey()).isNotEqualTo(b.messageKey());
        assertThat(a.messageId()).isNull();
    }

    @Test
    void should_make_hostile_headers_storable() {
        String longFrom = "x".repeat(400) + "@example.com";
        Inbox.NewMail m = InboundMails.of("email", "b", mail("From: " + longFrom + "\r\nSubject: a\u0000b"),
                null, null, null);
        assertThat(m.customer()).hasSize(320);
        assertThat(m.subject()).isEqualTo("a b");
        Inbox.NewMail garbage = InboundMails.of("email", "b", new byte[] {0, 1, 2, 3}, null, null, null);
        assertThat(garbage.customer()).isEmpty();
    }
}
