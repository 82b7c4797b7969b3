package dev.emailchannel.config;

/** The OAuth 2.0 credentials of one mailbox (refresh-token grant). */
public record OAuthSettings(Secret refreshToken, String clientId, Secret clientSecret, String tokenUri) {

    public static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
}
