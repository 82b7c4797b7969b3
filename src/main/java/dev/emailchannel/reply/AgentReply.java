package dev.emailchannel.reply;

import java.util.List;

/** What the agent wants to say: text (Markdown is common), optional HTML, optional files. */
public record AgentReply(String text, String html, List<OutgoingAttachment> attachments) {

    public AgentReply {
        text = text == null ? "" : text;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
