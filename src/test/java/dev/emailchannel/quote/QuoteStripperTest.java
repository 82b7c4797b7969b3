package dev.emailchannel.quote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuoteStripperTest {

    private final QuoteStripper stripper = new QuoteStripper();

    static Stream<String> plainFixtures() {
        return Stream.of(
                // attribution lines per language
                "lang_en", "lang_de", "lang_fr", "lang_es", "lang_pt", "lang_it", "lang_nl", "lang_sv", "lang_no",
                "lang_da", "lang_pl", "lang_ru", "lang_uk", "lang_ja", "lang_zh",
                // Outlook header blocks per language and other client separators
                "outlook_en", "outlook_de", "outlook_fr", "outlook_es", "outlook_it", "outlook_pt",
                "outlook_original_message", "outlook_bold_markdown", "samsung_original_message",
                "android_german_footer", "iphone_reply", "zimbra_plain", "footers_translated", "signature_dash",
                "inline_answers", "wrapped_attribution", "looks_like_quote", "quote_only");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainFixtures")
    void should_keep_only_the_new_text_of_fixture(String name) {
        String input = Fixtures.text("plain/" + name + ".txt");
        String expected = Fixtures.text("plain/" + name + ".expected.txt").strip();

        QuoteStripper.Result result = stripper.strip(input);

        assertThat(result.kept()).isEqualTo(expected);
    }

    @Test
    void should_split_yahoo_android_attribution_that_carries_the_first_quoted_line() {
        String input = "Thanks, that works.\n\nLinda\n\nSent from Yahoo Mail on Android\n \n"
                + "  On Mon, Mar 3, 2025 at 9:14 AM, Acme Support<support@acme.test> wrote:   Hi Linda,\n"
                + "Your parcel has shipped.\n\nRegards,\nAcme Support  \n";

        QuoteStripper.Result result = stripper.strip(input);

        assertThat(result.kept()).isEqualTo("Thanks, that works.\n\nLinda");
        assertThat(result.removed()).contains("wrote:").contains("Hi Linda,").contains("Your parcel has shipped.");
    }

    @Test
    void should_keep_inline_answers_and_the_quotes_they_answer() {
        String input = "> Do you have a receipt?\n\nYes, attached.\n\n> Which store?\n\nThe one in Lyon.\n\n> Thanks, Acme\n";

        QuoteStripper.Result result = stripper.strip(input);

        assertThat(result.kept()).isEqualTo("> Do you have a receipt?\n\nYes, attached.\n\n> Which store?\n\nThe one in Lyon.");
        assertThat(result.removed()).isEqualTo("> Thanks, Acme");
    }

    @Test
    void should_remove_signature_after_dash_dash_but_keep_sign_off() {
        QuoteStripper.Result result = stripper.strip("Works now.\n\nThanks,\nJane\n\n-- \nJane Doe\nCEO, Example Inc.\n");

        assertThat(result.kept()).isEqualTo("Works now.\n\nThanks,\nJane");
        assertThat(result.removed()).contains("CEO, Example Inc.");
    }

    @Test
    void should_return_removed_history_separately() {
        QuoteStripper.Result result = stripper.strip(
                "Fine.\n\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n> Is it fine?\n");

        assertThat(result.kept()).isEqualTo("Fine.");
        assertThat(result.removed()).isEqualTo("On Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n> Is it fine?");
    }

    @Test
    void should_keep_prose_lines_starting_with_on_or_from() {
        String input = "On Tuesday the app crashed twice.\nFrom: what I can see, the update broke it.\n";

        assertThat(stripper.strip(input).kept()).isEqualTo(input.strip());
    }

    @Test
    void should_keep_shell_prompts_and_code_blocks() {
        String input = "The build fails:\n\n```\n> mvn verify\n[ERROR] tests failed\n```\n\nAny hint?";

        assertThat(stripper.strip(input).kept()).isEqualTo(input);
    }

    @Test
    void should_yield_the_quote_when_the_reply_is_only_a_quote() {
        assertThat(stripper.strip("> only a quote\n> nothing else\n").kept()).isEqualTo("> only a quote\n> nothing else");
    }

    @Test
    void should_handle_crlf_line_endings() {
        String input = "Hello\r\n\r\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\r\n> quoted\r\n";

        assertThat(stripper.strip(input).kept()).isEqualTo("Hello");
    }

    @Test
    void should_keep_signature_when_stripping_quotes_only() {
        String input = "Hello\n\n-- \nJane\n\nOn Mon, 3 Mar 2025 at 10:15, Bob <bob@example.com> wrote:\n> quoted\n";

        assertThat(stripper.stripQuotesOnly(input).kept()).isEqualTo("Hello\n\n-- \nJane");
    }

    @Test
    void should_return_empty_results_for_blank_input() {
        assertThat(stripper.strip("  \n ").kept()).isEmpty();
        assertThat(stripper.strip(null).removed()).isEmpty();
    }

    @Test
    @Timeout(30)
    void should_strip_a_100000_line_message_correctly() {
        StringBuilder b = new StringBuilder("My answer is yes.\n\nOn Tue, 4 Mar 2025 at 09:00, Bob <bob@example.com> wrote:\n");
        for (int i = 0; i < 100_000; i++) {
            b.append(i % 3 == 0 ? "> " : ">> ").append("quoted line ").append(i).append('\n');
        }

        QuoteStripper.Result result = stripper.strip(b.toString());

        assertThat(result.kept()).isEqualTo("My answer is yes.");
        assertThat(result.removed()).endsWith("> quoted line 99999").contains(">> quoted line 99998");
    }

    @Test
    @Timeout(30)
    void should_survive_pathological_lines() {
        String longLine = "On a wrote: b <x@y> ".repeat(50_000);
        String manyMarkers = "On x wrote:\n".repeat(20_000) + "text\n" + "> q\n".repeat(20_000);

        assertThat(stripper.strip(longLine).kept()).isNotEmpty();
        assertThat(stripper.strip(manyMarkers).kept()).isEqualTo("text");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "Sent from my iPhone", "Get Outlook for Android", "Von meinem iPhone gesendet", "Gesendet von meinem iPad",
        "Envoyé de mon iPhone", "Envoyé depuis mon iPhone", "Enviado desde mi iPhone", "Enviado do meu iPhone",
        "Inviato da iPhone", "Verzonden vanaf mijn iPhone", "Skickat från min iPhone", "Sendt fra min iPhone",
        "Wysłane z mojego iPhone'a", "Отправлено с iPhone", "Надіслано з iPhone", "iPhoneから送信", "发自我的iPhone",
        "Outlook für iOS beziehen", "Obtenir Outlook pour iOS", "Sent from Yahoo Mail on Android"})
    void should_remove_client_footer(String footer) {
        QuoteStripper.Result result = stripper.strip("Please call me back.\n\n" + footer + "\n");

        assertThat(result.kept()).isEqualTo("Please call me back.");
        assertThat(result.removed()).isEqualTo(footer);
    }

    @Test
    void should_keep_sentences_that_merely_start_like_a_footer() {
        String input = "Here is another email\n\nSent from my desk, is much easier than from my phone.";

        assertThat(stripper.strip(input).kept()).isEqualTo(input);
    }

    @Test
    void should_keep_a_trailing_shell_prompt_below_the_senders_text() {
        String input = "Run this and tell me what it prints:\n\n> npm run build --verbose\n";

        assertThat(stripper.strip(input).kept()).isEqualTo("Run this and tell me what it prints:\n\n> npm run build --verbose");
    }
}
