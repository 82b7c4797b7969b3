package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthTokenProviderTest {

    private static final String MAILBOX = "sales@acme.test";
    private static final String REFRESH_TOKEN = "1//refresh+token/with=odd&chars%";

    private FakeTokenEndpoint endpoint;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T04:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeTokenEndpoint(REFRESH_TOKEN);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private OAuthTokenProvider.Builder provider() {
        return OAuthTokenProvider.builder(endpoint.credentials(MAILBOX, REFRESH_TOKEN)).clock(clock);
    }

    @Test
    void should_post_exactly_the_four_refresh_token_form_fields() {
        String token = provider().build().accessToken();

        assertThat(token).isEqualTo("access-1");
        FakeTokenEndpoint.Request request = endpoint.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.form()).containsExactly(
                Map.entry("grant_type", "refresh_token"),
                Map.entry("refresh_token", REFRESH_TOKEN),
                Map.entry("client_id", FakeTokenEndpoint.CLIENT_ID),
                Map.entry("client_secret", FakeTokenEndpoint.CLIENT_SECRET));
        assertThat(request.rawBody()).startsWith("grant_type=refresh_token&refresh_token=1%2F%2Frefresh%2Btoken");
    }

    @Test
    void should_cache_the_access_token_until_shortly_before_expiry() {
        OAuthTokenProvider provider = provider().refreshAhead(Duration.ofSeconds(60)).build();
        endpoint.expiresIn(600L);

        assertThat(provider.accessToken()).isEqualTo("access-1");
        clock.advance(Duration.ofSeconds(539));
        assertThat(provider.accessToken()).isEqualTo("access-1");
        assertThat(endpoint.calls()).isEqualTo(1);
        assertThat(provider.expiresAt()).contains(Instant.parse("2026-11-24T04:10:00Z"));

        clock.advance(Duration.ofSeconds(2)); // 59 s before expiry: inside the refresh-ahead window
        assertThat(provider.accessToken()).isEqualTo("access-2");
        assertThat(endpoint.calls()).isEqualTo(2);
    }

    @Test
    void should_assume_3600_seconds_when_expires_in_is_absent() {
        endpoint.expiresIn(null);
        OAuthTokenProvider provider = provider().build();

        provider.accessToken();

        assertThat(provider.expiresAt()).contains(clock.instant().plusSeconds(3600));
    }

    @Test
    void should_refresh_at_half_life_when_the_token_lives_shorter_than_the_refresh_ahead_window() {
        endpoint.expiresIn(30L);
        OAuthTokenProvider provider = provider().refreshAhead(Duration.ofSeconds(60)).build();

        provider.accessToken();
        clock.advance(Duration.ofSeconds(14));
        provider.accessToken();
        assertThat(endpoint.calls()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        provider.accessToken();
        assertThat(endpoint.calls()).isEqualTo(2);
    }

    @Test
    void should_refresh_on_the_next_call_after_invalidate() {
        OAuthTokenProvider provider = provider().build();
        assertThat(provider.accessToken()).isEqualTo("access-1");

        provider.invalidate();

        assertThat(provider.accessToken()).isEqualTo("access-2");
        assertThat(endpoint.calls()).isEqualTo(2);
    }

    @Test
    void should_invalidate_only_the_rejected_token() {
        OAuthTokenProvider provider = provider().build();
        String first = provider.accessToken();

        assertThat(provider.invalidate(first)).isTrue();
        String second = provider.accessToken();
        assertThat(provider.invalidate(first)).isFalse(); // a second consumer reporting the old token

        assertThat(provider.accessToken()).isEqualTo(second);
        assertThat(endpoint.calls()).isEqualTo(2);
    }

    @Test
    void should_refresh_once_for_16_concurrent_callers() throws Exception {
        endpoint.delay(Duration.ofMillis(300));
        OAuthTokenProvider provider = provider().build();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return provider.accessToken();
                }));
            }
            go.countDown();
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("access-1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(endpoint.calls()).isEqualTo(1);
    }

    @Test
    void should_use_a_rotated_refresh_token_and_save_it() {
        endpoint.rotate(true);
        InMemoryStore store = new InMemoryStore();
        OAuthTokenProvider provider = provider().refreshTokenStore(store).build();

        provider.accessToken();
        provider.invalidate();
        provider.accessToken();

        List<FakeTokenEndpoint.Request> requests = endpoint.requests();
        assertThat(requests.get(0).form().get("refresh_token")).isEqualTo(REFRESH_TOKEN);
        assertThat(requests.get(1).form().get("refresh_token")).isEqualTo("rotated-1-refresh");
        assertThat(store.load(MAILBOX)).contains(
                new StoredRefreshToken("rotated-2-refresh", StoredRefreshToken.sha256Hex(REFRESH_TOKEN)));
    }

    @Test
    void should_start_from_the_stored_rotated_token_while_the_configured_token_is_unchanged() {
        endpoint.rotate(true);
        InMemoryStore store = new InMemoryStore();
        provider().refreshTokenStore(store).build().accessToken();

        // a restart: new provider, same configuration, same store; the fake revoked the configured token
        String token = provider().refreshTokenStore(store).build().accessToken();

        assertThat(token).isEqualTo("access-2");
        assertThat(endpoint.lastRequest().form().get("refresh_token")).isEqualTo("rotated-1-refresh");
    }

    @Test
    void should_prefer_a_newly_configured_refresh_token_over_an_old_rotated_one() {
        InMemoryStore store = new InMemoryStore();
        store.save(MAILBOX, new StoredRefreshToken("old-rotated", StoredRefreshToken.sha256Hex("old-configured")));

        provider().refreshTokenStore(store).build().accessToken();

        assertThat(endpoint.lastRequest().form().get("refresh_token")).isEqualTo(REFRESH_TOKEN);
    }

    @Test
    void should_keep_working_when_the_store_fails() {
        endpoint.rotate(true);
        RefreshTokenStore broken = new RefreshTokenStore() {
            @Override
            public java.util.Optional<StoredRefreshToken> load(String mailbox) {
                throw new IllegalStateException("database down");
            }

            @Override
            public void save(String mailbox, StoredRefreshToken token) {
                throw new IllegalStateException("database down");
            }
        };
        OAuthTokenProvider provider = provider().refreshTokenStore(broken).build();

        provider.accessToken();
        provider.invalidate();

        assertThat(provider.accessToken()).isEqualTo("access-2");
        assertThat(endpoint.lastRequest().form().get("refresh_token")).isEqualTo("rotated-1-refresh");
    }

    @Test
    void should_name_mailbox_error_code_status_and_uri_but_no_secret_when_the_grant_is_invalid() {
        OAuthTokenProvider provider = OAuthTokenProvider.builder(endpoint.credentials(MAILBOX, "revoked-refresh"))
                .build();

        assertThatThrownBy(provider::accessToken)
                .isInstanceOf(OAuthException.class)
                .hasMessage(MAILBOX + ": OAuth token refresh failed: invalid_grant (HTTP 400 from " + endpoint.uri() + ")")
                .satisfies(e -> assertSecretFree(e, "revoked-refresh"));
    }

    @Test
    void should_report_the_http_status_when_the_answer_has_no_error_field() {
        endpoint.failWith(503, "<html>Service Unavailable " + FakeTokenEndpoint.CLIENT_SECRET + "</html>");

        assertThatThrownBy(() -> provider().build().accessToken())
                .hasMessage(MAILBOX + ": OAuth token refresh failed: HTTP 503 from " + endpoint.uri())
                .satisfies(e -> assertSecretFree(e, REFRESH_TOKEN));
    }

    @Test
    void should_not_echo_an_error_field_that_is_not_an_error_code() {
        endpoint.failWith(400, "{\"error\":\"bad token \\\"" + REFRESH_TOKEN + "\\\"\"}");

        assertThatThrownBy(() -> provider().build().accessToken())
                .hasMessage(MAILBOX + ": OAuth token refresh failed: HTTP 400 from " + endpoint.uri())
                .satisfies(e -> assertSecretFree(e, REFRESH_TOKEN));
    }

    @Test
    void should_fail_when_a_2xx_answer_has_no_access_token() {
        endpoint.failWith(200, "{\"token_type\":\"Bearer\"}");

        assertThatThrownBy(() -> provider().build().accessToken())
                .hasMessage(MAILBOX + ": OAuth token refresh failed: no access_token in the answer (HTTP 200 from "
                        + endpoint.uri() + ")");
    }

    @Test
    void should_time_out_naming_the_uri() {
        endpoint.delay(Duration.ofSeconds(3));
        OAuthTokenProvider provider = provider().requestTimeout(Duration.ofMillis(300)).build();

        long start = System.nanoTime();
        assertThatThrownBy(provider::accessToken)
                .isInstanceOf(OAuthException.class)
                .hasMessage(MAILBOX + ": OAuth token refresh failed: timeout, no answer within 300 ms (from "
                        + endpoint.uri() + ")")
                .satisfies(e -> assertSecretFree(e, REFRESH_TOKEN));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void should_name_the_uri_when_nothing_listens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/token");
        OAuthTokenProvider provider = OAuthTokenProvider.builder(new OAuthCredentials(MAILBOX, closed,
                FakeTokenEndpoint.CLIENT_ID, FakeTokenEndpoint.CLIENT_SECRET, REFRESH_TOKEN)).build();

        assertThatThrownBy(provider::accessToken)
                .hasMessage(MAILBOX + ": OAuth token refresh failed: cannot connect (from " + closed + ")")
                .satisfies(e -> assertSecretFree(e, REFRESH_TOKEN));
    }

    @Test
    void should_keep_serving_the_still_valid_token_when_a_refresh_ahead_fails() {
        endpoint.expiresIn(600L);
        OAuthTokenProvider provider = provider().build();
        provider.accessToken();
        endpoint.failWith(500, "oops");

        clock.advance(Duration.ofSeconds(570)); // refresh due, token valid for 30 s more
        assertThat(provider.accessToken()).isEqualTo("access-1");

        clock.advance(Duration.ofSeconds(31)); // expired
        assertThatThrownBy(provider::accessToken).isInstanceOf(OAuthException.class);
    }

    @Test
    void should_retry_after_a_failed_refresh() {
        endpoint.failWith(500, "oops");
        OAuthTokenProvider provider = provider().build();
        assertThatThrownBy(provider::accessToken).isInstanceOf(OAuthException.class);

        endpoint.failWith(0, null);

        assertThat(provider.accessToken()).isEqualTo("access-2");
    }

    @Test
    void should_keep_secrets_out_of_to_string() {
        OAuthTokenProvider provider = provider().build();
        String accessToken = provider.accessToken();
        OAuthCredentials credentials = endpoint.credentials(MAILBOX, REFRESH_TOKEN);

        for (Object o : List.of(provider, credentials, new XOAuth2Authenticator(provider),
                new PasswordAuthenticator(MAILBOX, "pa$$word"),
                new StoredRefreshToken(REFRESH_TOKEN, StoredRefreshToken.sha256Hex(REFRESH_TOKEN)))) {
            assertThat(o.toString()).contains(o instanceof StoredRefreshToken ? "****" : MAILBOX)
                    .doesNotContain(REFRESH_TOKEN, FakeTokenEndpoint.CLIENT_SECRET, accessToken, "pa$$word");
        }
    }

    @Test
    void should_default_to_googles_token_uri() {
        OAuthCredentials credentials = OAuthCredentials.of(MAILBOX, " ", "id", "secret", "refresh");

        assertThat(credentials.tokenUri()).isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
    }

    @Test
    void should_name_the_missing_credential() {
        assertThatThrownBy(() -> OAuthCredentials.of(MAILBOX, null, "id", "", "refresh"))
                .hasMessage(MAILBOX + ": OAuth client secret is missing");
    }

    private static void assertSecretFree(Throwable e, String refreshToken) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(refreshToken, FakeTokenEndpoint.CLIENT_SECRET, FakeTokenEndpoint.CLIENT_ID);
        }
    }

    /** A map-backed store for unit tests. */
    static final class InMemoryStore implements RefreshTokenStore {
        private final Map<String, StoredRefreshToken> tokens = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public java.util.Optional<StoredRefreshToken> load(String mailbox) {
            return java.util.Optional.ofNullable(tokens.get(mailbox));
        }

        @Override
        public void save(String mailbox, StoredRefreshToken token) {
            tokens.put(mailbox, token);
        }
    }
}
