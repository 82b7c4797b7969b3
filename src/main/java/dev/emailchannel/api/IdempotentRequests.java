package dev.emailchannel.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.outbound.OutboundMail;
import dev.emailchannel.session.ApiRequests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * {@code Idempotency-Key} for the API calls that queue mail: the first request with a key queues its mail and records
 * what it queued in the same transaction; a request repeating the key (a client retrying after a timeout) gets the
 * same mail back and queues nothing; the key with a different body is refused (422).
 */
final class IdempotentRequests {

    /** What a request queued, and whether this is a repetition of an earlier request with the same key. */
    record Outcome(List<OutboundMail.Queued> queued, boolean repeated) {
    }

    private static final TypeReference<List<OutboundMail.Queued>> QUEUED = new TypeReference<>() {
    };

    private final ApiRequests requests;
    private final ObjectMapper json;
    private final Clock clock;

    IdempotentRequests(ApiRequests requests, ObjectMapper json, Clock clock) {
        this.requests = requests;
        this.json = json;
        this.clock = clock;
    }

    /** @param queueing queues the request's mail, running the given extra work in its transaction */
    Outcome queue(Exchange exchange, String endpoint,
            Function<OutboundMail.AlsoInTransaction, List<OutboundMail.Queued>> queueing) throws Exception {
        String key = exchange.getVariable(ApiCall.IDEMPOTENCY_KEY, String.class);
        if (key == null) {
            return new Outcome(queueing.apply((c, queued) -> { }), false);
        }
        if (key.isBlank() || key.length() > 200 || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw ApiException.badRequest("\"Idempotency-Key\" must be 1 to 200 visible ASCII characters");
        }
        String sha = sha256(exchange.getIn().getBody(byte[].class));
        var earlier = requests.find(endpoint, key);
        if (earlier.isPresent()) {
            return repeat(earlier.get(), sha, key);
        }
        try {
            return new Outcome(queueing.apply((c, queued) -> ApiRequests.record(c, endpoint, key,
                    new ApiRequests.Recorded(sha, 202, toJson(queued)), clock.instant())), false);
        } catch (RuntimeException e) {
            if (ApiRequests.isDuplicate(e)) {
                // the same key arrived twice at once: the other request queued the mail
                return repeat(requests.find(endpoint, key).orElseThrow(() -> e), sha, key);
            }
            throw e;
        }
    }

    private Outcome repeat(ApiRequests.Recorded earlier, String sha, String key) throws Exception {
        if (!earlier.requestSha256().equals(sha)) {
            throw new ApiException(422, "Idempotency-Key \"" + key + "\" was already used for a different request");
        }
        return new Outcome(json.readValue(earlier.response(), QUEUED), true);
    }

    private String toJson(List<OutboundMail.Queued> queued) {
        try {
            return json.writeValueAsString(queued);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot record the queued mail: " + e.getOriginalMessage(), e);
        }
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0]
                : body));
    }

}
