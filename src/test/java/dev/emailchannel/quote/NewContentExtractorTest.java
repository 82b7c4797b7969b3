package dev.emailchannel.quote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.mime.MailParser;
import dev.emailchannel.mime.ParsedMail;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewContentExtractorTest {

    private final NewContentExtractor extractor = new NewContentExtractor();

    @Test
    void should_extract_new_text_of_a_gmail_eml() throws Exception {
        ParsedMail mail = new MailParser().parse(Fixtures.bytes("eml/gmail_reply.eml"));

        NewContent content = extractor.extract(mail);

        assertThat(content.text()).isEqualTo("Hi,\n\nthe error shows up after I click \"Pay now\".\n\nThanks,\nMarco");
        assertThat(content.removedText()).contains("Where exactly does the error appear?");
        assertThat(content.keptHtml()).doesNotContain("Where exactly");
        assertThat(content.removedHtml()).contains("Where exactly");
        assertThat(content.forwarded()).isEmpty();
    }

    @Test
    void should_turn_attached_message_into_forwarded_entry() throws Exception {
        ParsedMail mail = new MailParser().parse(Fixtures.bytes("eml/outlook_forward_attached.eml"));

        NewContent content = extractor.extract(mail);

        assertThat(content.text()).isEqualTo("Bitte schauen Sie sich die Nachricht des Händlers an.\n\nJana");
        assertThat(content.forwarded()).hasSize(1);
        ForwardedMessage f = content.forwarded().get(0);
        assertThat(f.from()).contains("shop@shop.test");
        assertThat(f.subject()).isEqualTo("Lieferung verspätet");
        assertThat(f.date()).startsWith("2025-03-03");
        assertThat(f.text()).isEqualTo("Ihre Lieferung verspätet sich um eine Woche.");
    }

    @Test
    void should_move_inline_forward_out_of_text() {
        String plain = "Please look at this.\n\n---------- Forwarded message ---------\nFrom: Courier <c@courier.test>\n"
                + "Date: Mon, Mar 3, 2025\nSubject: Delivery failed\nTo: <mia@example.com>\n\nWe could not deliver.\n";

        NewContent content = extractor.extract(Fixtures.mail("Fwd: Delivery failed", plain, null));

        assertThat(content.text()).isEqualTo("Please look at this.");
        assertThat(content.forwarded()).containsExactly(
                new ForwardedMessage("Courier <c@courier.test>", "Mon, Mar 3, 2025", "Delivery failed", "We could not deliver."));
        assertThat(content.keptHtml()).isNull();
    }

    @Test
    void should_parse_thunderbird_html_forward() {
        NewContent content = extractor.extract(
                Fixtures.mail("Fwd: Delivery failed", null, Fixtures.text("html/thunderbird_forward.html")));

        assertThat(content.text()).isEqualTo("See the message from the courier below, can you help?\n\nMia");
        assertThat(content.forwarded()).hasSize(1);
        assertThat(content.forwarded().get(0).from()).isEqualTo("Courier <noreply@courier.test>");
        assertThat(content.forwarded().get(0).subject()).isEqualTo("Delivery failed");
        assertThat(content.forwarded().get(0).text()).isEqualTo("We could not deliver parcel 77-123.");
        assertThat(content.removedHtml()).contains("We could not deliver");
    }

    @Test
    void should_prefer_html_markers_over_plain_text() {
        String plain = "Yes please.\n\nAcme wrote something earlier\nand more old text";
        String html = "<div>Yes please.</div><div class=\"gmail_quote\">Acme wrote something earlier<br>and more old text</div>";

        NewContent content = extractor.extract(Fixtures.mail("Re: x", plain, html));

        assertThat(content.text()).isEqualTo("Yes please.");
        assertThat(content.removedText()).contains("more old text");
    }

    @Test
    void should_use_plain_text_rules_when_html_has_no_marker() {
        String plain = "Agreed.\n\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n> Shall we?\n";
        String html = "<p>Agreed.</p><p>On Mon, 3 Mar 2025 at 10:15, Bob &lt;bob@example.com&gt; wrote:</p><p>&gt; Shall we?</p>";

        NewContent content = extractor.extract(Fixtures.mail("Re: x", plain, html));

        assertThat(content.text()).isEqualTo("Agreed.");
        assertThat(content.keptHtml()).doesNotContain("Shall we");
    }

    @Test
    void should_never_return_empty_text_when_customer_wrote_something() {
        NewContent content = extractor.extract(Fixtures.mail("Re: x", "-- \nonly a signature\n", null));

        assertThat(content.text()).isNotBlank();
    }

    @Test
    void should_handle_mail_without_bodies() {
        NewContent content = extractor.extract(Fixtures.mail("empty", null, null, List.of()));

        assertThat(content.text()).isEmpty();
        assertThat(content.keptHtml()).isNull();
        assertThat(content.forwarded()).isEmpty();
    }

    @Test
    void should_give_empty_text_and_the_history_when_nothing_new_was_written() {
        String plain = "Sent from my iPhone\n\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n> Can you confirm?\n";

        NewContent content = extractor.extract(Fixtures.mail("Re: x", plain, null));

        assertThat(content.text()).isEmpty();
        assertThat(content.quoted()).isEqualTo("On Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\nCan you confirm?");
        assertThat(content.inlineAnswers()).isEmpty();
    }

    @Test
    void should_give_only_the_customers_blocks_and_pair_each_answer_with_its_quote() {
        String plain = "Hi,\n\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n> Which model?\n\nThe X200.\n\n"
                + "> Since when?\n> Roughly.\n\nSince Monday.\n\n> Regards, Bob\n";

        NewContent content = extractor.extract(Fixtures.mail("Re: x", plain, null));

        assertThat(content.text()).isEqualTo("Hi,\n\nThe X200.\n\nSince Monday.");
        assertThat(content.inlineAnswers()).containsExactly(new InlineAnswer("Which model?", "The X200."),
                new InlineAnswer("Since when?\nRoughly.", "Since Monday."));
        assertThat(content.quoted()).startsWith("Which model?\n\nSince when?\nRoughly.").contains("Regards, Bob");
        assertThat(content.text()).doesNotContain(">");
    }

    @Test
    void should_give_the_quoted_history_of_an_ordinary_reply_without_quote_marks() {
        String plain = "Agreed.\n\n-- \nJane\n\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n> Shall we?\n>> Earlier.\n";

        NewContent content = extractor.extract(Fixtures.mail("Re: x", plain, null));

        assertThat(content.text()).isEqualTo("Agreed.");
        assertThat(content.quoted()).isEqualTo("On Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\nShall we?\nEarlier.");
    }

    @Test
    void should_cap_the_quoted_history() {
        String plain = "Yes.\n\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n" + "> a quoted line of history\n".repeat(500);

        NewContent content = extractor.extract(Fixtures.mail("Re: x", plain, null));

        assertThat(content.quoted()).hasSizeLessThanOrEqualTo(NewContent.MAX_QUOTED).endsWith("\n…");
    }

    @Test
    void should_give_empty_text_for_an_html_reply_that_only_quotes() {
        String html = "<div dir=\"ltr\"><br></div><div class=\"gmail_quote\"><div class=\"gmail_attr\">On Mon, Mar 3, 2025 "
                + "at 10:15 AM Bob &lt;bob@example.com&gt; wrote:<br></div><blockquote class=\"gmail_quote\">Can you confirm?"
                + "</blockquote></div>";

        NewContent content = extractor.extract(Fixtures.mail("Re: x", null, html));

        assertThat(content.text()).isEmpty();
        assertThat(content.quoted()).contains("Can you confirm?");
    }
}
