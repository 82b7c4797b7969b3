package dev.emailchannel.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code Idempotency-Key}s of API requests that queue mail: the first request's answer is recorded in the
 * transaction that queued its mail, so a retried request gets the same answer and nothing is queued twice.
 */
public final class ApiRequests {

    /** A recorded request: the SHA-256 of its body, and what it answered. */
    public record Recorded(String requestSha256, int status, String response) {
    }

    private final Jdbc jdbc;

    public ApiRequests(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public Optional<Recorded> find(String endpoint, String key) {
        return jdbc.queryOne("SELECT request_sha256, status, response FROM api_request WHERE endpoint = ? "
                + "AND idempotency_key = ?", rs -> new Recorded(rs.getString(1), rs.getInt(2), rs.getString(3)),
                endpoint, key);
    }

    /** Records a request inside the caller's transaction; a concurrent request with the same key fails it (23505). */
    public static void record(Connection c, String endpoint, String key, Recorded request, Instant now)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO api_request (idempotency_key, endpoint, request_sha256, status, response, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?)", key, endpoint, request.requestSha256(), request.status(),
                request.response(), now);
    }

    /** True when {@code e} (or a cause) is the unique-key violation of a concurrent request with the same key. */
    public static boolean isDuplicate(Throwable e) {
        return Inbox.isUniqueViolation(e);
    }
}
