package dev.emailchannel.inbound;

import dev.emailchannel.session.Inbox;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the inbox stores about a fetched mail besides its bytes, read from the header block alone (Jakarta Mail's
 * {@link InternetHeaders}): the key that makes it unique per mailbox, the stable {@code event_id}, the customer whose
 * mails are delivered in order, and Message-ID, From and Subject for operators. Whatever the header holds, the values
 * are made storable (no control characters, within the column sizes), so a hostile header never keeps a mail out of
 * the inbox; a mail that cannot be answered is found out later, by dispatch, and parked.
 */
public final class InboundMails {

    private static final Pattern CONTROL_BUT_TAB = Pattern.compile("[\\p{Cntrl}&&[^\\t]]");

    private InboundMails() {
    }

    /**
     * @param connection {@code CHANNEL_NAME}, part of the event id
     * @param receivedAt when the mail reached the server (IMAP INTERNALDATE), or null
     */
    public static Inbox.NewMail of(String connection, String mailbox, byte[] raw, Long uidValidity, Long uid,
            Instant receivedAt) {
        return of(connection, mailbox, raw, 0, raw.length, uidValidity, uid, receivedAt);
    }

    /** The same for a mail that is {@code length} bytes of {@code buffer} from {@code offset}, left there. */
    public static Inbox.NewMail of(String connection, String mailbox, byte[] buffer, int offset, int length,
            Long uidValidity, Long uid, Instant receivedAt) {
        InternetHeaders headers = headers(buffer, offset, length);
        String messageId = headers == null ? null : first(headers, "Message-ID");
        String key = messageKey(messageId, buffer, offset, length);
        String eventId = UUID.nameUUIDFromBytes((connection + "|" + mailbox + "|" + key)
                .getBytes(StandardCharsets.UTF_8)).toString();
        String fromHeader = headers == null ? null : first(headers, "From");
        String subject = headers == null ? null : first(headers, "Subject");
        return new Inbox.NewMail(mailbox, key, eventId, clean(messageId, 998), clean(customer(fromHeader), 320),
                clean(decode(fromHeader), 998), clean(decode(subject), 998), uidValidity, uid, buffer, offset, length,
                receivedAt, null);
    }

    /** SHA-256 (hex) of the Message-ID when the mail has one, otherwise of its content. */
    public static String messageKey(String messageId, byte[] raw) {
        return messageKey(messageId, raw, 0, raw.length);
    }

    private static String messageKey(String messageId, byte[] raw, int offset, int length) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (messageId != null && !messageId.isBlank()) {
            sha.update(("id:" + messageId.trim()).getBytes(StandardCharsets.UTF_8));
        } else {
            sha.update("raw:".getBytes(StandardCharsets.UTF_8));
            sha.update(raw, offset, length);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The lower-cased address of the first sender, "" when there is none (dispatch then parks the mail). */
    static String customer(String fromHeader) {
        if (fromHeader == null) {
            return "";
        }
        try {
            InternetAddress[] from = InternetAddress.parseHeader(fromHeader, false);
            for (InternetAddress a : from) {
                if (a.getAddress() != null && !a.getAddress().isBlank()) {
                    return a.getAddress().trim().toLowerCase(Locale.ROOT);
                }
            }
        } catch (MessagingException | RuntimeException e) {
            // unparseable: fall back to the raw value, so one sender's mails still queue together
        }
        return fromHeader.trim().toLowerCase(Locale.ROOT);
    }

    private static InternetHeaders headers(byte[] raw, int offset, int length) {
        try {
            return new InternetHeaders(new ByteArrayInputStream(raw, offset, length), true);
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static String first(InternetHeaders headers, String name) {
        String[] values = headers.getHeader(name);
        return values == null || values.length == 0 ? null : values[0].trim();
    }

    private static String decode(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(value));
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return value;
        }
    }

    /** Without control characters (NUL included: PostgreSQL refuses it in text), at most {@code max} characters. */
    static String clean(String value, int max) {
        if (value == null) {
            return null;
        }
        String s = CONTROL_BUT_TAB.matcher(value).replaceAll(" ").strip();
        if (s.length() > max) {
            s = s.substring(0, max);
            if (Character.isHighSurrogate(s.charAt(max - 1))) {
                s = s.substring(0, max - 1);
            }
        }
        return s;
    }
}
