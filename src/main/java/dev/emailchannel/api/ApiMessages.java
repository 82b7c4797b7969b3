package dev.emailchannel.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.agent.AgentReplies;
import dev.emailchannel.config.LoadedSettings;
import dev.emailchannel.outbound.Recipients;
import dev.emailchannel.reply.AgentReply;

/** The content of an email posted to the API (an asynchronous reply, an outbound email, a campaign's template). */
final class ApiMessages {

    private ApiMessages() {
    }

    /** Parses an API reply body ({@code text}, {@code html}, {@code attachments}) with API-style messages. */
    static AgentReply parse(JsonNode body) {
        ApiCall.text(body, "text", "text");
        ApiCall.text(body, "html", "html");
        AgentReply reply;
        try {
            reply = AgentReplies.parse(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage().replace("reply.attachments", "attachments")
                    .replace("reply has neither", "the message has neither"));
        }
        if (reply.text().isBlank() && reply.html() != null) {
            // HTML only: the plain-text part is the HTML's text, not empty
            reply = new AgentReply(dev.emailchannel.quote.HtmlToText.convert(org.jsoup.Jsoup.parse(reply.html())
                    .body()), reply.html(), reply.attachments());
        }
        for (int i = 0; i < reply.attachments().size(); i++) {
            var a = reply.attachments().get(i);
            try {
                Recipients.noLineBreak("attachments[" + i + "].filename", a.filename());
                Recipients.noLineBreak("attachments[" + i + "].content_type", a.contentType());
                Recipients.noLineBreak("attachments[" + i + "].content_id", a.contentId());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            if (a.contentType() != null && !a.contentType().isBlank()) {
                try {
                    new jakarta.mail.internet.ContentType(a.contentType());
                } catch (jakarta.mail.internet.ParseException e) {
                    throw ApiException.badRequest("\"attachments[" + i + "].content_type\" is not a MIME type: '"
                            + a.contentType() + "'");
                }
            }
        }
        return reply;
    }

    /** Sending needs valid settings: 503 naming the problems otherwise. */
    static void requireConfigured(LoadedSettings loaded) {
        if (!loaded.valid()) {
            throw new ApiException(503, "the channel is not configured: " + loaded.problemText());
        }
    }
}
