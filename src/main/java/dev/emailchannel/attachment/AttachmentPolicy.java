package dev.emailchannel.attachment;

import dev.emailchannel.mime.MailPart;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/** Chooses which files of a mail go to the agent. First version: the size limit only. */
public final class AttachmentPolicy {

    private final long maxBytes;

    /** @param maxBytes the largest file that goes to the agent; 0 means no limit */
    public AttachmentPolicy(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param alreadyReceived true for a SHA-256 (hex) of a file received earlier in the same session
     */
    public AttachmentSelection select(ParsedMail mail, NewContent content, Predicate<String> alreadyReceived) {
        List<AcceptedAttachment> accepted = new ArrayList<>();
        List<SkippedAttachment> skipped = new ArrayList<>();
        for (MailPart part : mail.parts()) {
            try (InputStream in = part.content().open()) {
                byte[] data = in.readAllBytes();
                if (maxBytes > 0 && data.length > maxBytes) {
                    skipped.add(new SkippedAttachment(part.filename(), data.length, "too_large"));
                    continue;
                }
                accepted.add(new AcceptedAttachment(part.filename(), part.contentType(), data.length, part.inline(),
                        part.contentId(), data, sha256(data)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new AttachmentSelection(accepted, skipped);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
