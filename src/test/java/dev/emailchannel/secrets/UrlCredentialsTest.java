package dev.emailchannel.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlCredentialsTest {

    @Test
    void should_find_the_password_of_the_user_info_as_written_and_decoded() {
        assertThat(UrlCredentials.in("jdbc:postgresql://app:s%40cret%2B1@db.acme.test:5432/channel"))
                .containsExactlyInAnyOrder("s%40cret%2B1", "s@cret+1");
        assertThat(UrlCredentials.in("postgresql://app:pw-1234@db/x")).containsExactly("pw-1234");
    }

    @Test
    void should_find_token_like_parameters_of_jdbc_urls_and_camel_uris() {
        assertThat(UrlCredentials.in("jdbc:postgresql://db/x?user=app&password=pg-pass&ssl=true"))
                .containsExactly("pg-pass");
        assertThat(UrlCredentials.in("jdbc:h2:file:./data/x;USER=sa;PASSWORD=h2-pass;MODE=PostgreSQL"))
                .containsExactly("h2-pass");
        assertThat(UrlCredentials.in("jdbc:sqlserver://db;user=app;password=ms-pass")).containsExactly("ms-pass");
        assertThat(UrlCredentials.in("https://agent.test/in?access_token=at-1&apiKey=k-2&X-Sig=s-3&page=2#frag"))
                .containsExactly("at-1", "k-2", "s-3");
        assertThat(UrlCredentials.in("sftp://host/dir?password=RAW(se+cret)")).contains("RAW(se+cret)", "se+cret");
    }

    @Test
    void should_take_a_long_user_info_without_password_as_a_token_but_not_a_user_name() {
        assertThat(UrlCredentials.in("https://ghp_0123456789abcdefXYZ@agent.test/events"))
                .containsExactly("ghp_0123456789abcdefXYZ");
        assertThat(UrlCredentials.in("jdbc:postgresql://postgres@db/x")).isEmpty();
        assertThat(UrlCredentials.in("https://agent.test/users/@me-and-a-long-path")).isEmpty();
    }

    @Test
    void should_survive_anything() {
        for (String url : new String[] {null, "", "  ", "x", "://", "a://@", "a://:@h", "?=&=;", "%", "a?password=%",
                "a?password="}) {
            assertThat(UrlCredentials.in(url)).as(String.valueOf(url)).isNotNull();
        }
        assertThat(UrlCredentials.in("a?password=%zz")).containsExactly("%zz");
    }
}
