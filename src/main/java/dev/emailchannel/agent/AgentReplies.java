package dev.emailchannel.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.outbound.Recipients;
import dev.emailchannel.reply.AgentReply;
import dev.emailchannel.reply.OutgoingAttachment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads the agent's answer: {@code {"reply": {"text", "html", "attachments": [{filename, content_type, data,
 * inline, content_id}]}}}. An empty body or an answer without {@code reply} means "accepted, no reply now".
 *
 * <p>Size: an answer is refused over {@value #MAX_ANSWER_CHARS} characters (about 35 MB of files in base64); within
 * that size, Jackson's default limit of 20,000,000 characters per string is lifted, since a 16 MB file is a
 * 21,000,000-character base64 string. Attachment {@code filename}, {@code content_type} and {@code content_id} go
 * into MIME headers: CR and LF are refused there, as on the API path ({@link Recipients#noLineBreak}).
 */
public final class AgentReplies {

    /** Largest answer read; the string limit below can never be the one that trips. */
    public static final int MAX_ANSWER_CHARS = 48 * 1024 * 1024;

    /** Parses with the string limit raised to the answer limit: the size was checked before parsing. */
    private static final JsonFactory LARGE_STRINGS = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_ANSWER_CHARS).build())
            .build();

    private AgentReplies() {
    }

    /** @throws IllegalArgumentException naming what is wrong with the answer */
    public static Optional<AgentReply> read(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        if (body.length() > MAX_ANSWER_CHARS) {
            throw new IllegalArgumentException("the agent's answer is too large: " + body.length()
                    + " characters, the limit is " + MAX_ANSWER_CHARS);
        }
        JsonNode root;
        try (JsonParser parser = LARGE_STRINGS.createParser(body)) {
            root = json.readTree(parser);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the agent's answer is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the agent's answer cannot be read: " + e.getMessage());
        }
        JsonNode reply = root == null ? null : root.get("reply");
        if (reply == null || reply.isNull()) {
            return Optional.empty();
        }
        if (reply.isTextual()) {
            return Optional.of(new AgentReply(reply.asText(), null, List.of()));
        }
        return Optional.of(parse(reply));
    }

    /** Parses a reply object, as sent by the agent or posted to the API. */
    public static AgentReply parse(JsonNode reply) {
        if (!reply.isObject()) {
            throw new IllegalArgumentException("reply must be an object with \"text\"");
        }
        String text = text(reply, "text");
        String html = text(reply, "html");
        if ((text == null || text.isBlank()) && (html == null || html.isBlank())) {
            throw new IllegalArgumentException("reply has neither \"text\" nor \"html\"");
        }
        List<OutgoingAttachment> files = new ArrayList<>();
        JsonNode list = reply.get("attachments");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("reply.attachments must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode a = list.get(i);
                String name = text(a, "filename");
                String data = text(a, "data");
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("reply.attachments[" + i + "] has no filename");
                }
                if (data == null || data.isEmpty()) {
                    throw new IllegalArgumentException("reply.attachments[" + i + "] (" + name + ") has no data");
                }
                if (!isBase64(data)) {
                    throw new IllegalArgumentException("reply.attachments[" + i + "] (" + name
                            + ") data is not base64");
                }
                String contentType = text(a, "content_type");
                String contentId = text(a, "content_id");
                Recipients.noLineBreak("reply.attachments[" + i + "].filename", name);
                Recipients.noLineBreak("reply.attachments[" + i + "].content_type", contentType);
                Recipients.noLineBreak("reply.attachments[" + i + "].content_id", contentId);
                files.add(new OutgoingAttachment(name, contentType, Base64.getMimeDecoder().decode(data),
                        a.path("inline").asBoolean(false), contentId));
            }
        }
        return new AgentReply(text == null ? "" : text, html, files);
    }

    /**
     * Strict base64 (standard alphabet, padding, line breaks allowed). The MIME decoder alone skips every character
     * outside the alphabet, so junk would go out as an empty or garbled file instead of being refused.
     */
    public static boolean isBase64(String data) {
        String compact = data.replaceAll("[\\r\\n\\t ]", "");
        if (!compact.matches("[A-Za-z0-9+/]*={0,2}") || compact.length() % 4 == 1) {
            return false;
        }
        try {
            Base64.getDecoder().decode(compact.length() % 4 == 0 ? compact
                    : compact + "==".substring(0, 4 - compact.length() % 4));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
