package dev.emailchannel.attachment;

import java.util.List;

/** The outcome of {@link AttachmentPolicy}: what goes to the agent and what was skipped. */
public record AttachmentSelection(List<AcceptedAttachment> accepted, List<SkippedAttachment> skipped) {

    public AttachmentSelection {
        accepted = List.copyOf(accepted);
        skipped = List.copyOf(skipped);
    }
}
