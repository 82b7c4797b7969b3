package dev.emailchannel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.reply.AgentReply;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AgentRepliesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void should_read_a_reply_with_a_16_mb_file() {
        byte[] file = new byte[16 * 1024 * 1024];
        new Random(7).nextBytes(file);
        String base64 = Base64.getEncoder().encodeToString(file);
        assertThat(base64.length()).isGreaterThan(20_000_000); // over Jackson's default string limit
        String body = "{\"reply\": {\"text\": \"Here it is\", \"attachments\": [{\"filename\": \"video.mp4\","
                + " \"content_type\": \"video/mp4\", \"data\": \"" + base64 + "\"}]}}";

        AgentReply reply = AgentReplies.read(json, body).orElseThrow();

        assertThat(reply.attachments()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("video.mp4");
            assertThat(a.data()).isEqualTo(file);
        });
    }

    @Test
    void should_refuse_an_answer_over_the_size_limit_by_its_size() {
        String body = "{\"reply\": \"" + "x".repeat(AgentReplies.MAX_ANSWER_CHARS) + "\"}";
        assertThatThrownBy(() -> AgentReplies.read(json, body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the agent's answer is too large: " + body.length() + " characters, the limit is "
                        + AgentReplies.MAX_ANSWER_CHARS);
    }

    @Test
    void should_still_report_an_answer_that_is_not_json() {
        assertThatThrownBy(() -> AgentReplies.read(json, "<html>oops</html>"))
                .hasMessageStartingWith("the agent's answer is not JSON: ");
        assertThat(AgentReplies.read(json, "  ")).isEmpty();
        assertThat(AgentReplies.read(json, "{\"ok\": true}")).isEmpty();
    }

    @Test
    void should_refuse_line_breaks_in_attachment_header_fields() {
        String data = Base64.getEncoder().encodeToString("x".getBytes());
        for (String field : new String[] {"filename", "content_type", "content_id"}) {
            for (String breakChar : new String[] {"\\r", "\\n", "\\r\\n"}) {
                String attachment = "{\"filename\": \"a.txt\", \"content_type\": \"text/plain\", \"content_id\": \"c1\","
                        + " \"data\": \"" + data + "\"}";
                String injected = attachment.replaceFirst("(\"" + field + "\": \")", "$1x" + breakChar.replace("\\", "\\\\")
                        + "Bcc: victim@example.com");
                String body = "{\"reply\": {\"text\": \"hi\", \"attachments\": [" + attachment + ", " + injected + "]}}";
                assertThatThrownBy(() -> AgentReplies.read(json, body)).as(field + breakChar)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("\"reply.attachments[1]." + field + "\" must not contain line breaks (CR/LF)");
            }
        }
    }

    @Test
    void should_check_base64_strictly() {
        assertThat(AgentReplies.isBase64("QUJD")).isTrue();
        assertThat(AgentReplies.isBase64("QUJDRA==")).isTrue();
        assertThat(AgentReplies.isBase64("QUJDRA")).as("unpadded").isTrue();
        assertThat(AgentReplies.isBase64("QUJD\r\nRA==")).isTrue();
        assertThat(AgentReplies.isBase64("%%% not base64")).isFalse();
        assertThat(AgentReplies.isBase64("QUJDR")).isFalse();
    }
}
