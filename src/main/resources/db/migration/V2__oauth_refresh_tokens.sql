-- Rotated OAuth refresh tokens, one row per mailbox (dev.emailchannel.oauth.JdbcRefreshTokenStore).
-- configured_token_sha256 is the SHA-256 (hex) of the refresh token from the configuration that this
-- token was rotated from: when an operator configures a new refresh token, the hashes differ and the
-- stored token is ignored. Plain SQL for both H2 and PostgreSQL.
CREATE TABLE oauth_refresh_token (
    mailbox                 VARCHAR(320)  NOT NULL,
    refresh_token           VARCHAR(8192) NOT NULL,
    configured_token_sha256 CHAR(64)      NOT NULL,
    updated_at              TIMESTAMP     NOT NULL,
    CONSTRAINT pk_oauth_refresh_token PRIMARY KEY (mailbox)
);
