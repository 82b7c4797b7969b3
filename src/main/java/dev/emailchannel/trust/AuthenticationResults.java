package dev.emailchannel.trust;

import java.util.List;
import java.util.Map;

/**
 * One {@code Authentication-Results} header field (RFC 8601 §2.2), as parsed by {@link AuthenticationResultsParser}.
 *
 * @param authservId the server that wrote the header, lower-cased; "" when the header names none (Microsoft 365 and
 *                   Outlook.com write their results without an authserv-id)
 * @param results    the results in header order; empty for {@code none} and for a header without any result
 */
public record AuthenticationResults(String authservId, List<Result> results) {

    public AuthenticationResults {
        results = List.copyOf(results);
    }

    /** True when the header names no authserv-id. */
    public boolean unnamed() {
        return authservId.isEmpty();
    }

    /** The results of one method ({@code dmarc}), in header order. */
    public List<Result> of(String method) {
        return results.stream().filter(r -> r.method().equals(method)).toList();
    }

    /**
     * One {@code method=result} with its reason and properties.
     *
     * @param method     lower-cased method name without version ({@code spf}, {@code dkim}, {@code dmarc}, ...)
     * @param result     lower-cased result keyword ({@code pass}, {@code fail}, {@code none}, ...)
     * @param reason     the {@code reason=} value, or null
     * @param properties {@code ptype.property} (lower-cased) to value, e.g. {@code header.from → example.com};
     *                   also the non-standard bare properties some servers write ({@code action}, Yahoo's
     *                   {@code arc_overridden_status})
     */
    public record Result(String method, String result, String reason, Map<String, String> properties) {

        public Result {
            properties = Map.copyOf(properties);
        }

        public String property(String name) {
            return properties.get(name);
        }
    }
}
