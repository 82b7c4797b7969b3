package dev.emailchannel.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CampaignTest {

    @Test
    void should_fill_placeholders_with_or_without_spaces_and_escape_values_in_html() {
        var emails = Campaign.personalise("Hi {{first_name}}", "Code {{ code }} for {{ address }}",
                "<p>{{ first_name }}</p>", List.of(new Campaign.Participant("a@example.com", "Ann",
                        Map.of("first_name", "A<b>", "code", "7"))));
        assertThat(emails).hasSize(1);
        assertThat(emails.get(0).subject()).isEqualTo("Hi A<b>");
        assertThat(emails.get(0).text()).isEqualTo("Code 7 for a@example.com");
        assertThat(emails.get(0).html()).isEqualTo("<p>A&lt;b&gt;</p>");
        assertThat(emails.get(0).to().name()).isEqualTo("Ann");
    }

    @Test
    void should_name_every_participant_with_unknown_placeholders_before_sending_any() {
        assertThatThrownBy(() -> Campaign.personalise("Hi {{ first_name }}", "{{ code }}", null, List.of(
                new Campaign.Participant("a@example.com", null, Map.of("first_name", "A", "code", "1")),
                new Campaign.Participant("b@example.com", null, Map.of("first_name", "B")),
                new Campaign.Participant("c@example.com", null, Map.of()))))
                .isInstanceOf(Campaign.InvalidCampaignException.class)
                .hasMessageContaining("participants[1] (b@example.com): unknown placeholder(s) [{{ code }}]")
                .hasMessageContaining("participants[2] (c@example.com): unknown placeholder(s) [{{ first_name }}, "
                        + "{{ code }}]")
                .hasMessageNotContaining("participants[0]");
    }

    @Test
    void should_report_a_misspelt_placeholder_instead_of_sending_it() {
        assertThat(Templates.placeholders("{{ first name }} {{x}} {{ y }}")).containsExactly("first name", "x", "y");
        assertThatThrownBy(() -> Templates.fill("{{ first name }}", Map.of(), UnaryOperator.identity()))
                .hasMessageContaining("{{ first name }}");
    }

    @Test
    void should_refuse_duplicates_bad_addresses_and_line_breaks_from_vars() {
        assertThatThrownBy(() -> Campaign.personalise("Hi", "x", null, List.of(
                new Campaign.Participant("a@example.com", null, null),
                new Campaign.Participant("A@Example.com", null, null))))
                .hasMessageContaining("participants[1] (A@Example.com): A@Example.com is listed more than once");
        assertThatThrownBy(() -> Campaign.personalise("Hi", "x", null, List.of(
                new Campaign.Participant("nope", null, null))))
                .hasMessageContaining("\"participants[0].address\" is not a valid email address: 'nope'");
        assertThatThrownBy(() -> Campaign.personalise("Hi {{ v }}", "x", null, List.of(
                new Campaign.Participant("a@example.com", null, Map.of("v", "x\r\nBcc: b@example.com")))))
                .hasMessageContaining("\"subject\" must not contain line breaks");
        assertThatThrownBy(() -> Campaign.personalise("Hi", "x", null, List.of()))
                .hasMessageContaining("\"participants\" is empty");
    }

    @Test
    void should_accept_plain_addresses_only() {
        assertThat(Recipients.address("to", " jane@example.com ", "Jane").address()).isEqualTo("jane@example.com");
        for (String bad : List.of("jane", "jane@", "@example.com", "Jane <jane@example.com>",
                "a@example.com, b@example.com", "jane@example")) {
            assertThatThrownBy(() -> Recipients.address("to", bad, null)).as(bad)
                    .hasMessageContaining("\"to\" is not a valid email address");
        }
        assertThatThrownBy(() -> Recipients.address("to", "a@example.com\nBcc: x@example.com", null))
                .hasMessageContaining("line breaks");
        assertThatThrownBy(() -> Recipients.address("to", null, null)).hasMessage("missing \"to\"");
    }
}
