package dev.emailchannel.quote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardedParserTest {

    private final ForwardedParser parser = new ForwardedParser();

    @Test
    void should_parse_gmail_forward_with_note_above() {
        String body = "Can you check this charge?\n\n---------- Forwarded message ---------\n"
                + "From: Bank <alerts@bank.test>\nDate: Mon, Mar 3, 2025 at 8:00 AM\nSubject: Card payment\n"
                + "To: <jane@example.com>\n\nA payment of 49.00 EUR was made.\n";

        ForwardedParser.Result r = parser.parse(body, "Fwd: Card payment");

        assertThat(r.found()).isTrue();
        assertThat(r.note()).isEqualTo("Can you check this charge?");
        assertThat(r.message()).isEqualTo(new ForwardedMessage("Bank <alerts@bank.test>",
                "Mon, Mar 3, 2025 at 8:00 AM", "Card payment", "A payment of 49.00 EUR was made."));
    }

    @Test
    void should_parse_german_outlook_forward() {
        String body = "Zur Info.\n\n________________________________\nVon: Shop <shop@shop.test>\n"
                + "Gesendet: Montag, 3. März 2025 08:00\nAn: Jana <jana@example.com>\nBetreff: Versand\n\n"
                + "Ihr Paket ist unterwegs.\n";

        ForwardedParser.Result r = parser.parse(body, "WG: Versand");

        assertThat(r.note()).isEqualTo("Zur Info.");
        assertThat(r.message().from()).isEqualTo("Shop <shop@shop.test>");
        assertThat(r.message().subject()).isEqualTo("Versand");
        assertThat(r.message().text()).isEqualTo("Ihr Paket ist unterwegs.");
    }

    @Test
    void should_parse_quoted_apple_mail_forward_in_french() {
        String body = "> Début du message réexpédié :\n>\n> De: Boutique <b@shop.test>\n> Objet: Retour\n"
                + "> Date: 3 mars 2025 à 08:00:00 UTC+1\n>\n> Votre retour est accepté.\n";

        ForwardedParser.Result r = parser.parse(body, "Fwd: Retour");

        assertThat(r.note()).isEmpty();
        assertThat(r.message().subject()).isEqualTo("Retour");
        assertThat(r.message().text()).isEqualTo("Votre retour est accepté.");
    }

    @Test
    void should_parse_yahoo_headers_on_the_marker_line() {
        String body = "   ----- Forwarded Message ----- From: Shop <s@shop.test>To: jane@example.com"
                + "Sent: Monday, March 3, 2025, 08:00:00 CETSubject: Invoice\n Please find the invoice.\n";

        ForwardedParser.Result r = parser.parse(body, null);

        assertThat(r.message().from()).isEqualTo("Shop <s@shop.test>");
        assertThat(r.message().subject()).isEqualTo("Invoice");
        assertThat(r.message().text()).isEqualTo("Please find the invoice.");
    }

    @Test
    void should_not_treat_an_outlook_reply_block_as_forward() {
        String body = "Thanks!\n\n________________________________\nFrom: Acme <a@acme.test>\nSent: Monday\n"
                + "To: jane@example.com\nSubject: RE: Ticket\n\nold answer\n";

        assertThat(parser.parse(body, "RE: Ticket").found()).isFalse();
    }

    @Test
    void should_recognize_forward_subject_prefixes() {
        assertThat(ForwardedParser.isForwardSubject("Fwd: x")).isTrue();
        assertThat(ForwardedParser.isForwardSubject("WG: x")).isTrue();
        assertThat(ForwardedParser.isForwardSubject("TR: x")).isTrue();
        assertThat(ForwardedParser.isForwardSubject("RV: x")).isTrue();
        assertThat(ForwardedParser.isForwardSubject("Re: x")).isFalse();
        assertThat(ForwardedParser.isForwardSubject(null)).isFalse();
    }

    @Test
    void should_ignore_an_old_forward_inside_quoted_history() {
        String body = "Thanks, that helps.\n\nOn Mon, 3 Mar 2025 at 10:15, Acme <a@acme.test> wrote:\n"
                + "> ---------- Forwarded message ---------\n> From: Bank <b@bank.test>\n> Subject: Old\n>\n> old text\n";

        assertThat(parser.parse(body, "Re: Old").found()).isFalse();
    }
}
