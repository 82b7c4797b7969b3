package dev.emailchannel.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.secrets.LogSecrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges one mailbox's refresh token for access tokens (RFC 6749 §6) and caches them.
 *
 * <ul>
 *   <li>{@code POST tokenUri} with the form {@code grant_type=refresh_token&refresh_token=…&client_id=…
 *       &client_secret=…}; reads {@code access_token}, {@code expires_in} (default
 *       {@value #DEFAULT_EXPIRES_IN_SECONDS} s) and an optional rotated {@code refresh_token}.</li>
 *   <li>The access token is cached and refreshed ahead of its expiry (default 60 s, at most half its
 *       lifetime). When a refresh ahead of expiry fails while the cached token is still valid, the
 *       cached token is returned and the failure is logged.</li>
 *   <li>Concurrent callers wait for one refresh; they do not each call the endpoint.</li>
 *   <li>{@link #invalidate()} drops the cached token (call it when a server rejects the token).</li>
 *   <li>A rotated refresh token replaces the old one in memory and is saved in the
 *       {@link RefreshTokenStore}. A stored token is used only while the configured refresh token is
 *       the one it was rotated from (compared by SHA-256).</li>
 * </ul>
 *
 * <p>Thread-safe. No token or secret appears in exceptions, logs or {@link #toString()}: besides never putting them
 * there, the provider registers its refresh token, client secret, every access token and every rotated refresh token
 * with {@link LogSecrets}, so that a line another component logs (a protocol error echoing the token) is masked too.
 */
public final class OAuthTokenProvider {

    public static final long DEFAULT_EXPIRES_IN_SECONDS = 3600;
    public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RFC 6749 error codes are printable ASCII without quotes or backslash; anything else is dropped. */
    private static final Pattern ERROR_CODE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");

    private final OAuthCredentials credentials;
    private final RefreshTokenStore store;
    private final HttpClient httpClient;
    private final Duration requestTimeout;
    private final Duration refreshAhead;
    private final Clock clock;
    private final String configuredRefreshTokenSha256;
    private final ReentrantLock refreshLock = new ReentrantLock();

    /** Guarded by refreshLock; null until the store was consulted. */
    private String refreshToken;
    private volatile CachedToken cached;

    private record CachedToken(String value, Instant refreshAt, Instant expiresAt) {
        @Override
        public String toString() {
            return "CachedToken[value=****, refreshAt=" + refreshAt + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** A provider with default timeouts and refresh-ahead. */
    public OAuthTokenProvider(OAuthCredentials credentials, RefreshTokenStore store) {
        this(builder(credentials).refreshTokenStore(store));
    }

    private OAuthTokenProvider(Builder b) {
        this.credentials = b.credentials;
        this.store = b.store;
        this.requestTimeout = b.requestTimeout;
        this.refreshAhead = b.refreshAhead;
        this.clock = b.clock;
        this.httpClient = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.configuredRefreshTokenSha256 = StoredRefreshToken.sha256Hex(credentials.refreshToken());
        LogSecrets.register(Arrays.asList(credentials.refreshToken(), credentials.clientSecret()));
    }

    public static Builder builder(OAuthCredentials credentials) {
        return new Builder(credentials);
    }

    /** The mailbox address this provider signs in. */
    public String mailbox() {
        return credentials.mailbox();
    }

    /**
     * A valid access token: the cached one, or a fresh one from the token endpoint.
     *
     * @throws OAuthException when the refresh fails and no valid cached token is left
     */
    public String accessToken() {
        CachedToken current = cached;
        if (current != null && clock.instant().isBefore(current.refreshAt())) {
            return current.value();
        }
        refreshLock.lock();
        try {
            current = cached;
            Instant now = clock.instant();
            if (current != null && now.isBefore(current.refreshAt())) {
                return current.value(); // another thread refreshed while we waited
            }
            try {
                CachedToken fresh = refresh();
                cached = fresh;
                return fresh.value();
            } catch (OAuthException e) {
                if (current != null && clock.instant().isBefore(current.expiresAt())) {
                    LOG.warn("{} (the current access token is valid until {}; will retry)", e.getMessage(),
                            current.expiresAt());
                    return current.value();
                }
                throw e;
            }
        } finally {
            refreshLock.unlock();
        }
    }

    /** Drops the cached access token: the next {@link #accessToken()} call asks the token endpoint. */
    public void invalidate() {
        cached = null;
    }

    /**
     * Drops the cached access token only if it is {@code rejectedAccessToken}. Several consumers that
     * saw the same token rejected cause one refresh, not one each.
     *
     * @return true when the cached token was dropped
     */
    public boolean invalidate(String rejectedAccessToken) {
        refreshLock.lock();
        try {
            CachedToken current = cached;
            if (current != null && current.value().equals(rejectedAccessToken)) {
                cached = null;
                return true;
            }
            return false;
        } finally {
            refreshLock.unlock();
        }
    }

    /** When the cached access token expires, if there is one. */
    public Optional<Instant> expiresAt() {
        CachedToken current = cached;
        return current == null ? Optional.empty() : Optional.of(current.expiresAt());
    }

    // ---- the exchange (called with refreshLock held) ----

    private CachedToken refresh() {
        String presented = currentRefreshToken();
        HttpRequest request = HttpRequest.newBuilder(credentials.tokenUri())
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(presented), StandardCharsets.UTF_8))
                .build();
        Instant sentAt = clock.instant();
        HttpResponse<String> response;
        try {
            response = httpClient.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw failure("connect timeout after " + seconds(connectTimeout()) + " (from " + uri() + ")", e);
        } catch (HttpTimeoutException e) {
            throw failure("timeout, no answer within " + seconds(requestTimeout) + " (from " + uri() + ")", e);
        } catch (ConnectException e) {
            throw failure("cannot connect (from " + uri() + ")", e);
        } catch (IOException e) {
            throw failure(e.getClass().getSimpleName() + " (from " + uri() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted (from " + uri() + ")", e);
        }

        int status = response.statusCode();
        JsonNode body = parse(response.body());
        String error = text(body, "error");
        if (status / 100 != 2 || error != null) {
            String where = "HTTP " + status + " from " + uri();
            throw failure(error != null && ERROR_CODE.matcher(error).matches()
                    ? error + " (" + where + ")" : where, null);
        }
        String accessToken = text(body, "access_token");
        if (accessToken == null) {
            throw failure("no access_token in the answer (HTTP " + status + " from " + uri() + ")", null);
        }
        LogSecrets.remember("oauth-access:" + mailbox(), accessToken);
        long expiresIn = expiresIn(body);
        rememberRotatedRefreshToken(presented, text(body, "refresh_token"));

        Instant expiresAt = sentAt.plusSeconds(expiresIn);
        Duration ahead = refreshAhead.compareTo(Duration.ofSeconds(expiresIn / 2)) < 0
                ? refreshAhead : Duration.ofSeconds(expiresIn / 2);
        LOG.info("{}: OAuth access token refreshed, valid for {} s", mailbox(), expiresIn);
        return new CachedToken(accessToken, expiresAt.minus(ahead), expiresAt);
    }

    private String currentRefreshToken() {
        if (refreshToken == null) {
            refreshToken = credentials.refreshToken();
            try {
                Optional<StoredRefreshToken> stored = store.load(mailbox());
                if (stored.isPresent()) {
                    if (stored.get().descendsFrom(credentials.refreshToken())) {
                        refreshToken = stored.get().refreshToken();
                        LogSecrets.remember("oauth-refresh:" + mailbox(), refreshToken);
                        LOG.debug("{}: using the stored rotated OAuth refresh token", mailbox());
                    } else {
                        LOG.info("{}: the configured OAuth refresh token changed; the stored rotated token "
                                + "is ignored", mailbox());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: using the configured OAuth refresh token: {}", mailbox(), e.getMessage());
            }
        }
        return refreshToken;
    }

    private void rememberRotatedRefreshToken(String presented, String rotated) {
        if (rotated == null || rotated.equals(presented)) {
            return;
        }
        LogSecrets.remember("oauth-refresh:" + mailbox(), rotated);
        refreshToken = rotated;
        try {
            store.save(mailbox(), new StoredRefreshToken(rotated, configuredRefreshTokenSha256));
            LOG.info("{}: OAuth refresh token rotated by the provider; the new one is stored", mailbox());
        } catch (RuntimeException e) {
            LOG.warn("{}: OAuth refresh token rotated but not stored, a restart will use the older one: {}",
                    mailbox(), e.getMessage());
        }
    }

    private String form(String presentedRefreshToken) {
        return "grant_type=refresh_token"
                + "&refresh_token=" + encode(presentedRefreshToken)
                + "&client_id=" + encode(credentials.clientId())
                + "&client_secret=" + encode(credentials.clientSecret());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null; // not JSON (an HTML error page, say): reported by HTTP status
        }
    }

    private static String text(JsonNode body, String field) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        String value = node.asText();
        return value.isBlank() ? null : value;
    }

    private static long expiresIn(JsonNode body) {
        String value = text(body, "expires_in");
        if (value != null) {
            try {
                long seconds = Long.parseLong(value.trim());
                if (seconds > 0) {
                    return seconds;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return DEFAULT_EXPIRES_IN_SECONDS;
    }

    private OAuthException failure(String reason, Throwable cause) {
        return new OAuthException(mailbox() + ": OAuth token refresh failed: " + reason, cause);
    }

    private String uri() {
        return SafeUris.display(credentials.tokenUri());
    }

    private Duration connectTimeout() {
        return httpClient.connectTimeout().orElse(Duration.ZERO);
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }

    @Override
    public String toString() {
        return "OAuthTokenProvider[mailbox=" + mailbox() + ", tokenUri=" + uri() + ", clientId="
                + credentials.clientId() + "]";
    }

    /** Options for {@link OAuthTokenProvider}; all but the credentials have defaults. */
    public static final class Builder {
        private final OAuthCredentials credentials;
        private RefreshTokenStore store = RefreshTokenStore.NONE;
        private HttpClient httpClient;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration refreshAhead = DEFAULT_REFRESH_AHEAD;
        private Clock clock = Clock.systemUTC();

        private Builder(OAuthCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        public Builder refreshTokenStore(RefreshTokenStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** A client to use instead of one built from {@link #connectTimeout(Duration)}. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        public Builder refreshAhead(Duration refreshAhead) {
            Objects.requireNonNull(refreshAhead, "refreshAhead");
            if (refreshAhead.isNegative()) {
                throw new IllegalArgumentException("refreshAhead must not be negative");
            }
            this.refreshAhead = refreshAhead;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public OAuthTokenProvider build() {
            return new OAuthTokenProvider(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
