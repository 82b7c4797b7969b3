package dev.emailchannel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.attachment.FileContent;
import dev.emailchannel.mime.Fixtures;
import dev.emailchannel.mime.MailPart;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.quote.NewContentExtractor;
import dev.emailchannel.session.SessionRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The agent contract (SPEC §6): the JSON the agent receives for a real mail, field by field and in order. */
class AgentEventsTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode event(String fixture, String autoReply) throws Exception {
        ParsedMail mail = Fixtures.parse(fixture);
        NewContent content = new NewContentExtractor().extract(mail);
        AttachmentSelection files = new AttachmentPolicy(10_485_760).select(mail, content, hash -> false);
        AgentEvents.Event event = AgentEvents.message(new AgentEvents.Inbound("ev-1", "email",
                new SessionRef("s-1", true, "support@acme.test"), "support@acme.test", mail, content, files,
                Instant.parse("2026-11-24T03:00:00Z"), autoReply));
        return json.readTree(json.writeValueAsBytes(event));
    }

    @Test
    void should_carry_every_field_of_the_contract_in_order() throws Exception {
        JsonNode e = event("thunderbird-attachments.eml", null);
        List<String> names = new ArrayList<>();
        e.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("type", "event_id", "connection", "session", "mailbox", "from", "to", "cc",
                "subject", "text", "message_id", "in_reply_to", "received_at", "auto_reply", "authentication",
                "forwarded", "inline_answers", "quoted", "attachments", "skipped_attachments");
        assertThat(e.get("type").asText()).isEqualTo("message");
        assertThat(e.get("event_id").asText()).isEqualTo("ev-1");
        assertThat(e.get("session").get("id").asText()).isEqualTo("s-1");
        assertThat(e.get("session").get("new").isBoolean()).isTrue();
        assertThat(e.get("session").get("new").asBoolean()).isTrue();
        assertThat(e.get("message_id").asText()).startsWith("<").endsWith(">");
        assertThat(e.get("from").get("address").asText()).contains("@");
        assertThat(e.get("from").has("name")).isTrue();
        assertThat(e.get("to").isArray()).isTrue();
        assertThat(e.get("cc").isArray()).isTrue();
        assertThat(e.get("received_at").asText()).isEqualTo("2026-11-24T03:00:00Z");
        assertThat(e.get("auto_reply").asBoolean()).isFalse();
        assertThat(e.get("forwarded").isArray()).isTrue();
        assertThat(e.get("skipped_attachments").isArray()).isTrue();
        assertThat(e.get("inline_answers").isArray()).isTrue();
        assertThat(e.get("authentication").has("verified")).as("null when nothing is known").isTrue();
        assertThat(e.get("authentication").get("verified").isNull()).isTrue();
        assertThat(e.get("quoted").isTextual()).isTrue();
    }

    @Test
    void should_give_inline_answers_as_pairs_and_the_history_apart_from_the_text() throws Exception {
        ParsedMail mail = new dev.emailchannel.mime.MailParser().parse(("From: Jane <jane@example.com>\r\n"
                + "To: support@acme.test\r\nSubject: Re: Your order\r\nMessage-ID: <r1@example.com>\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "On Mon, 30 Nov 2026 at 10:00, Support <support@acme.test> wrote:\r\n"
                + "> Which size do you need?\r\n\r\nSize 42, please.\r\n\r\n"
                + "> And which colour?\r\n\r\nBlue.\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        NewContent content = new NewContentExtractor().extract(mail);
        AgentEvents.Event event = AgentEvents.message(new AgentEvents.Inbound("ev-2", "email",
                new SessionRef("s-1", false, "support@acme.test"), "support@acme.test", mail, content,
                new AttachmentSelection(List.of(), List.of()), Instant.parse("2026-11-24T03:00:00Z"), null));
        JsonNode e = json.readTree(json.writeValueAsBytes(event));
        assertThat(e.get("text").asText()).isEqualTo("Size 42, please.\n\nBlue.");
        assertThat(e.get("inline_answers")).hasSize(2);
        assertThat(e.get("inline_answers").get(0).get("quote").asText()).contains("Which size");
        assertThat(e.get("inline_answers").get(0).get("answer").asText()).isEqualTo("Size 42, please.");
        assertThat(e.get("quoted").asText()).contains("Which size do you need?").doesNotContain("> Which");
    }

    @Test
    void should_send_each_file_as_base64_of_its_decoded_bytes() throws Exception {
        ParsedMail mail = Fixtures.parse("thunderbird-attachments.eml");
        JsonNode files = event("thunderbird-attachments.eml", null).get("attachments");
        assertThat(files.size()).isPositive();
        for (JsonNode f : files) {
            List<String> names = new ArrayList<>();
            f.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("filename", "content_type", "size", "inline", "content_id", "data");
            byte[] data = Base64.getDecoder().decode(f.get("data").asText());
            assertThat(data).hasSize(f.get("size").asInt());
            MailPart part = mail.parts().stream().filter(p -> f.get("filename").asText().equals(p.filename()))
                    .findFirst().orElseThrow(() -> new AssertionError(f.get("filename") + " is not a part of the mail"));
            try (InputStream in = part.content().open()) {
                assertThat(data).isEqualTo(in.readAllBytes());
            }
        }
    }

    /** An attachment as it was written before files were streamed: its data a {@code byte[]}. */
    @JsonPropertyOrder({"filename", "content_type", "size", "inline", "content_id", "data"})
    record BytesAttachment(String filename, @JsonProperty("content_type") String contentType, long size,
            boolean inline, @JsonProperty("content_id") String contentId, byte[] data) {
    }

    @Test
    void should_write_a_streamed_file_as_the_very_bytes_jackson_writes_for_a_byte_array() throws Exception {
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 2, 3, 4, 56, 57, 58, 76, 77, 1999, 2000, 2001, 300_001, 1_048_576}) {
            byte[] file = new byte[n];
            random.nextBytes(file);
            FileContent content = new FileContent() {
                @Override
                public long size() {
                    return file.length;
                }

                @Override
                public InputStream open() {
                    return new ByteArrayInputStream(file);
                }
            };
            AgentEvents.Attachment streamed = new AgentEvents.Attachment("a.bin", "application/octet-stream", n,
                    false, null, content);
            BytesAttachment bytes = new BytesAttachment("a.bin", "application/octet-stream", n, false, null, file);

            assertThat(json.writeValueAsBytes(streamed)).as("%d bytes", n).isEqualTo(json.writeValueAsBytes(bytes));
            assertThat(json.writeValueAsString(streamed)).as("%d bytes, as text", n)
                    .isEqualTo(json.writeValueAsString(bytes));
        }
    }

    @Test
    void should_fail_rather_than_send_a_file_shorter_than_its_size() {
        FileContent shortened = new FileContent() {
            @Override
            public long size() {
                return 10;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(new byte[9]);
            }
        };

        assertThatThrownBy(() -> json.writeValueAsBytes(new AgentEvents.Attachment("a.bin", null, 10, false, null,
                shortened))).hasMessageContaining("missing");
    }

    @Test
    void should_keep_null_fields_and_mark_auto_replies() throws Exception {
        JsonNode e = event("gmail-vacation.eml", "Auto-Submitted: auto-replied");
        assertThat(e.get("auto_reply").asBoolean()).isTrue();
        assertThat(e.has("in_reply_to")).isTrue();
    }
}
