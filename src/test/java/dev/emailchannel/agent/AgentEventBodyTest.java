package dev.emailchannel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The event's body: written once to learn its length (and its signature), then sent — from the bytes of that first
 * write when they are few, from the event again when they are many (a large file is not held in memory).
 */
class AgentEventBodyTest {

    /** Counts how often an event is turned into JSON. */
    static final class CountingMapper extends ObjectMapper {
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public void writeValue(OutputStream out, Object value) throws IOException {
            writes.incrementAndGet();
            super.writeValue(out, value);
        }
    }

    @Test
    void a_small_event_is_made_into_json_once_and_sent_as_those_bytes_every_time() throws Exception {
        CountingMapper json = new CountingMapper();
        Map<String, Object> event = Map.of("type", "email.received", "text", "Where is my order 1234?\n".repeat(300));
        ByteArrayOutputStream digest = new ByteArrayOutputStream();

        AgentEventBody body = AgentEventBody.of(json, event, digest);

        assertThat(body.isKept()).isTrue();
        byte[] expected = new ObjectMapper().writeValueAsBytes(event);
        assertThat(digest.toByteArray()).isEqualTo(expected);
        assertThat(body.getContentLength()).isEqualTo(expected.length);
        assertThat(written(body)).isEqualTo(expected);
        assertThat(written(body)).as("a retry sends the same bytes").isEqualTo(expected);
        assertThat(body.getContent().readAllBytes()).isEqualTo(expected);
        assertThat(json.writes).hasValue(1);
    }

    @Test
    void an_event_larger_than_what_is_kept_is_made_into_json_again_for_each_write() throws Exception {
        CountingMapper json = new CountingMapper();
        Map<String, Object> event = Map.of("type", "email.received", "data", "QUJD".repeat(AgentEventBody.KEEP_MAX / 4));
        ByteArrayOutputStream digest = new ByteArrayOutputStream();

        AgentEventBody body = AgentEventBody.of(json, event, digest);

        assertThat(body.isKept()).isFalse();
        byte[] expected = new ObjectMapper().writeValueAsBytes(event);
        assertThat(expected.length).isGreaterThan(AgentEventBody.KEEP_MAX);
        assertThat(digest.toByteArray()).isEqualTo(expected);
        assertThat(body.getContentLength()).isEqualTo(expected.length);
        assertThat(written(body)).isEqualTo(expected);
        assertThat(written(body)).isEqualTo(expected);
        assertThat(json.writes).hasValue(3);
    }

    @Test
    void an_event_of_exactly_the_kept_size_is_kept() throws Exception {
        CountingMapper json = new CountingMapper();
        String prefix = "{\"data\":\"";
        String fill = "x".repeat(AgentEventBody.KEEP_MAX - prefix.length() - 2);
        Map<String, Object> event = Map.of("data", fill);

        AgentEventBody body = AgentEventBody.of(json, event, OutputStream.nullOutputStream());

        assertThat(body.getContentLength()).isEqualTo(AgentEventBody.KEEP_MAX);
        assertThat(body.isKept()).isTrue();
        assertThat(written(body)).isEqualTo(new ObjectMapper().writeValueAsBytes(event));
    }

    private static byte[] written(AgentEventBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }
}
