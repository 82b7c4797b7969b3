package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ProviderPresetTest {

    @Test
    void should_hold_the_guides_settings() {
        assertThat(ProviderPreset.byName("gmail")).satisfies(p -> {
            assertThat(p.imapHost()).isEqualTo("imap.gmail.com");
            assertThat(p.imapPort()).isEqualTo(993);
            assertThat(p.smtpHost()).isEqualTo("smtp.gmail.com");
            assertThat(p.smtpPort()).isEqualTo(587);
            assertThat(p.tokenUri()).isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
        });
        assertThat(ProviderPreset.byName(" Outlook ")).satisfies(p -> {
            assertThat(p.imapHost()).isEqualTo("outlook.office365.com");
            assertThat(p.smtpHost()).isEqualTo("smtp.office365.com");
            assertThat(p.tokenUri()).hasToString("https://login.microsoftonline.com/common/oauth2/v2.0/token");
        });
        assertThat(ProviderPreset.byName("YAHOO")).satisfies(p -> {
            assertThat(p.imapHost()).isEqualTo("imap.mail.yahoo.com");
            assertThat(p.smtpHost()).isEqualTo("smtp.mail.yahoo.com");
            assertThat(p.tokenUri()).hasToString("https://api.login.yahoo.com/oauth2/get_token");
        });
        assertThat(ProviderPreset.GMAIL.presetName()).isEqualTo("gmail");
    }

    @Test
    void should_list_the_known_presets_for_an_unknown_name() {
        assertThatThrownBy(() -> ProviderPreset.byName("hotmail"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown mail provider preset 'hotmail'; known presets: gmail, outlook, yahoo");
        assertThatThrownBy(() -> ProviderPreset.byName(null))
                .hasMessage("Unknown mail provider preset ''; known presets: gmail, outlook, yahoo");
    }
}
