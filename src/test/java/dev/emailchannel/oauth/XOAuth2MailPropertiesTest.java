package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class XOAuth2MailPropertiesTest {

    @Test
    void should_select_xoauth2_only_for_each_protocol() {
        for (String protocol : new String[] {"imap", "imaps", "smtp", "smtps"}) {
            Properties p = XOAuth2MailProperties.forProtocol(protocol);
            assertThat(p.getProperty("mail." + protocol + ".auth.mechanisms")).isEqualTo("XOAUTH2");
            assertThat(p.getProperty("mail." + protocol + ".auth")).isEqualTo("true");
            assertThat(p.getProperty("mail." + protocol + ".auth.xoauth2.disable")).isEqualTo("false");
            assertThat(p.getProperty("mail." + protocol + ".auth.plain.disable")).isEqualTo("true");
            assertThat(p.getProperty("mail." + protocol + ".auth.login.disable")).isEqualTo("true");
            assertThat(p.stringPropertyNames()).allMatch(k -> k.startsWith("mail." + protocol + "."));
        }
    }

    @Test
    void should_render_a_uri_query() {
        assertThat(XOAuth2MailProperties.uriQuery("IMAPS"))
                .startsWith("mail.imaps.auth=true&mail.imaps.auth.mechanisms=XOAUTH2&");
    }

    @Test
    void should_reject_other_protocols() {
        assertThatThrownBy(() -> XOAuth2MailProperties.forProtocol("pop3"))
                .hasMessage("XOAUTH2 is supported for imap, imaps, smtp and smtps, not 'pop3'");
    }
}
