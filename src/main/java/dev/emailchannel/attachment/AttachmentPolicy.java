package dev.emailchannel.attachment;

import dev.emailchannel.mime.MailPart;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses which files of a mail go to the agent (SPEC §4.4). Skipped, with a reason:
 * <ul>
 * <li>{@code too_large}: bigger than the limit; decided from the size known without decoding where possible, and
 * never more than {@code maxBytes + 1} decoded bytes of a part are read;</li>
 * <li>{@code quoted_history}: inline images referenced ({@code cid:}) only from the quoted HTML;</li>
 * <li>{@code forwarded_message}: every part of an attached or forwarded message (reported, never decoded);</li>
 * <li>{@code duplicate}: the same content (SHA-256) was received earlier in the session.</li>
 * </ul>
 * A part that is accepted is read once, in a streaming pass that counts its decoded bytes and computes their SHA-256;
 * it is never held in memory: the {@code data} of its {@link AcceptedAttachment} decodes it again from the mail each
 * time it is opened.
 */
public final class AttachmentPolicy {

    public static final String TOO_LARGE = "too_large";
    public static final String QUOTED_HISTORY = "quoted_history";
    public static final String FORWARDED_MESSAGE = "forwarded_message";
    public static final String DUPLICATE = "duplicate";

    /** The largest file without a limit: the agent's JSON writer takes a file's length as an {@code int}. */
    private static final long MAX_FILE = Integer.MAX_VALUE - 16;

    private static final Pattern CID = Pattern.compile("(?i)cid:([^\"'\\s>)]+)");

    private final long maxBytes;

    /** @param maxBytes the largest file that goes to the agent; 0 means no limit */
    public AttachmentPolicy(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be 0 (no limit) or more, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * @param alreadyReceived true for a SHA-256 (hex) of a file received earlier in the same session
     * @throws java.io.UncheckedIOException when a part cannot be read (never for parts from {@code MailParser})
     */
    public AttachmentSelection select(ParsedMail mail, NewContent content, Predicate<String> alreadyReceived) {
        Set<String> keptCids = cids(content == null ? null : content.keptHtml());
        Set<String> quotedCids = cids(content == null ? null : content.removedHtml());
        quotedCids.removeAll(keptCids);
        List<AcceptedAttachment> accepted = new ArrayList<>();
        List<SkippedAttachment> skipped = new ArrayList<>();
        for (MailPart part : mail.parts()) {
            long knownSize = part.content().decodedSize();
            long sizeWithoutDecoding = knownSize >= 0 ? knownSize : part.encodedSize();
            if (part.contentId() != null && quotedCids.contains(normalizeCid(part.contentId()))) {
                skipped.add(new SkippedAttachment(part.filename(), sizeWithoutDecoding, QUOTED_HISTORY));
                continue;
            }
            if (knownSize > limit()) {
                skipped.add(new SkippedAttachment(part.filename(), knownSize, TOO_LARGE));
                continue;
            }
            // size unknown (quoted-printable): no transfer encoding shrinks content to less than a quarter
            if (maxBytes > 0 && knownSize < 0 && part.encodedSize() / 4 > maxBytes) {
                skipped.add(new SkippedAttachment(part.filename(), part.encodedSize(), TOO_LARGE));
                continue;
            }
            Scanned scanned = scan(part);
            if (scanned == null) {
                skipped.add(new SkippedAttachment(part.filename(), Math.max(limit() + 1, part.encodedSize()),
                        TOO_LARGE));
                continue;
            }
            if (alreadyReceived != null && alreadyReceived.test(scanned.sha256())) {
                skipped.add(new SkippedAttachment(part.filename(), scanned.size(), DUPLICATE));
                continue;
            }
            accepted.add(new AcceptedAttachment(part.filename(), part.contentType(), scanned.size(), part.inline(),
                    part.contentId(), new PartContent(part.content(), scanned.size()), scanned.sha256()));
        }
        forwarded(mail.attachedMessages(), skipped);
        return new AttachmentSelection(accepted, skipped);
    }

    private static void forwarded(List<ParsedMail> messages, List<SkippedAttachment> skipped) {
        for (ParsedMail message : messages) {
            for (MailPart part : message.parts()) {
                long size = part.content().decodedSize();
                skipped.add(new SkippedAttachment(part.filename(), size >= 0 ? size : part.encodedSize(),
                        FORWARDED_MESSAGE));
            }
            forwarded(message.attachedMessages(), skipped);
        }
    }

    /** Size and SHA-256 (hex) of a part's decoded content. */
    private record Scanned(long size, String sha256) {
    }

    /** A part's decoded content, decoded again from the raw mail at each {@link #open()}. */
    private record PartContent(MailPart.Content content, long size) implements FileContent {

        @Override
        public InputStream open() throws IOException {
            return content.open();
        }
    }

    /**
     * Counts the decoded bytes of a part and computes their SHA-256 in one streaming pass; null when they are more than
     * the limit. Never reads more than {@code maxBytes + 1} decoded bytes, and holds none of them beyond a buffer.
     */
    private Scanned scan(MailPart part) {
        long cap = limit() + 1;
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = part.content().open()) {
            int n;
            while (total < cap && (n = in.read(buffer, 0, (int) Math.min(buffer.length, cap - total))) > 0) {
                sha256.update(buffer, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attachment " + part.filename() + ": " + e.getMessage(), e);
        }
        return total > limit() ? null : new Scanned(total, HexFormat.of().formatHex(sha256.digest()));
    }

    /** The configured limit; without one, the largest file the agent's JSON can carry. */
    private long limit() {
        return maxBytes > 0 ? Math.min(maxBytes, MAX_FILE) : MAX_FILE;
    }

    private static Set<String> cids(String html) {
        Set<String> out = new HashSet<>();
        if (html == null) {
            return out;
        }
        Matcher m = CID.matcher(html);
        while (m.find()) {
            out.add(normalizeCid(m.group(1)));
        }
        return out;
    }

    private static String normalizeCid(String cid) {
        String c = cid.trim();
        try {
            c = URLDecoder.decode(c.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // not percent-encoded after all
        }
        return c.replaceAll("^<|>$", "").toLowerCase(Locale.ROOT);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
