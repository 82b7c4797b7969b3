package dev.emailchannel.quote;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlQuoteStripperTest {

    private final HtmlQuoteStripper stripper = new HtmlQuoteStripper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gmail.html|Hi,\\n\\nthe screenshot is attached:\\n\\nThanks,\\nMarco|Please send a screenshot",
        "outlook_desktop.html|Hello,\\n\\nthe meter reading is 4711 kWh.\\n\\nKind regards\\nPeter|Please send us your meter reading",
        "outlook_web.html|Ich habe die Rechnung bezahlt, siehe Anhang.\\n\\nViele Grüße\\nAnna|Ihre Rechnung ist noch offen",
        "outlook_mobile.html|Ok, I will wait for the courier tomorrow.|The courier comes tomorrow",
        "outlook_mac.html|Reply from Outlook for Mac: the printer works again.|Is the printer working?",
        "apple_mail.html|Merci, c'est réglé de mon côté.\\n\\nClaire|Pouvez-vous confirmer",
        "thunderbird.html|Hallo,\\n\\nder Link funktioniert jetzt: Statusseite (https://example.com/status)\\n\\nGruß\\nJonas|Der Link war defekt",
        "yahoo.html|Please close my account at the end of the month.\\n\\nBen|How can we help?",
        "proton.html|I would like a refund instead of a voucher.\\n\\nLena|We can offer a voucher",
        "zimbra.html|Das Ersatzteil passt, vielen Dank.\\n\\nOtto|Passt das Ersatzteil?",
    })
    void should_strip_the_quoted_history_of_each_client(String file, String expected, String quoted) {
        HtmlQuoteStripper.Result result = stripper.strip(Fixtures.text("html/" + file));

        assertThat(result.text()).isEqualTo(expected.replace("\\n", "\n"));
        assertThat(result.removedText()).contains(quoted);
        assertThat(Jsoup.parse(result.keptHtml()).text()).doesNotContain(quoted);
        assertThat(result.removedHtml()).contains(quoted.substring(0, 10));
    }

    @Test
    void should_split_inline_images_between_new_part_and_history() {
        HtmlQuoteStripper.Result result = stripper.strip(Fixtures.text("html/gmail.html"));

        assertThat(result.keptHtml()).contains("cid:ii_new1").doesNotContain("cid:ii_logo_old");
        assertThat(result.removedHtml()).contains("cid:ii_logo_old").doesNotContain("cid:ii_new1");
    }

    @Test
    void should_keep_inline_answers_between_apple_mail_quotes() {
        HtmlQuoteStripper.Result result = stripper.strip(Fixtures.text("html/apple_inline.html"));

        assertThat(result.text()).isEqualTo(
                "Answers below.\n\n> Which browser do you use?\n\nFirefox 128.\n\n> Do you see an error code?\n\nYes: E-42.");
    }

    @Test
    void should_match_prefixed_copies_of_markers() {
        String html = "<div>New text</div><div id=\"x_divRplyFwdMsg\"><b>From:</b> a@b.test</div><div>old</div>";

        assertThat(stripper.strip(html).text()).isEqualTo("New text");
        assertThat(stripper.strip(html).marker()).contains("x_divRplyFwdMsg");
    }

    @Test
    void should_fall_back_to_text_rules_without_markers() {
        String html = "<p>Sure, go ahead.</p><p>-----Original Message-----<br>From: Bob &lt;bob@x.test&gt;<br>"
                + "Sent: Monday<br>Subject: hi</p><p>old text</p>";

        HtmlQuoteStripper.Result result = stripper.strip(html);

        assertThat(result.text()).isEqualTo("Sure, go ahead.");
        assertThat(Jsoup.parse(result.keptHtml()).text()).doesNotContain("old text");
    }

    @Test
    void should_render_lists_links_and_line_breaks() {
        String text = HtmlToText.convert(Jsoup.parse(Fixtures.text("html/lists_links.html")).body());

        assertThat(text).isEqualTo("Two problems:\n\n1. the login page (https://example.com/login) is slow\n"
                + "2. the export is empty\n\nAlso:\n\n- first item\n- second item\n\nLine one\nLine two");
    }

    @Test
    void should_keep_inline_answers_inside_a_gmail_quote() {
        String html = "<div dir=\"ltr\">See my answers.</div><div class=\"gmail_quote\"><div class=\"gmail_attr\">"
                + "On Mon, Mar 3, 2025 at 10:15 AM Acme &lt;a@acme.test&gt; wrote:<br></div>"
                + "<blockquote class=\"gmail_quote\">Is the device on?</blockquote><div>Yes, it is.</div>"
                + "<blockquote class=\"gmail_quote\">Blinking?</blockquote><div>No.</div>"
                + "<blockquote class=\"gmail_quote\">Regards, Acme</blockquote></div>";

        HtmlQuoteStripper.Result result = stripper.strip(html);

        assertThat(result.text()).isEqualTo("See my answers.\n\n> Is the device on?\n\nYes, it is.\n\n> Blinking?\n\nNo.");
    }

    @Test
    void should_keep_thunderbird_bottom_posted_reply() {
        String html = "<div class=\"moz-cite-prefix\">On 03.03.25 10:15, Acme wrote:<br></div>"
                + "<blockquote type=\"cite\">Does it work now?</blockquote><p>Yes, thank you!</p>";

        assertThat(stripper.strip(html).text()).isEqualTo("Yes, thank you!");
    }
}
