package dev.emailchannel.oauth;

import java.util.Optional;

/**
 * Persists rotated refresh tokens per mailbox, so that a restart uses the newest one.
 * Implementations must be thread-safe.
 */
public interface RefreshTokenStore {

    /** The rotated refresh token last saved for {@code mailbox}, if any. */
    Optional<StoredRefreshToken> load(String mailbox);

    /** Saves (inserts or replaces) the rotated refresh token of {@code mailbox}. */
    void save(String mailbox, StoredRefreshToken token);

    /** A store that remembers nothing: rotated tokens live in memory only. */
    RefreshTokenStore NONE = new RefreshTokenStore() {
        @Override
        public Optional<StoredRefreshToken> load(String mailbox) {
            return Optional.empty();
        }

        @Override
        public void save(String mailbox, StoredRefreshToken token) {
            // nothing to do
        }

        @Override
        public String toString() {
            return "RefreshTokenStore.NONE";
        }
    };
}
