package dev.emailchannel.mime;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** Turns raw RFC 5322 bytes into a {@link ParsedMail}. First version: walks the MIME tree with Jakarta Mail. */
public final class MailParser {

    private static final Session SESSION = Session.getInstance(new Properties());

    public ParsedMail parse(byte[] raw) throws UnparseableMailException {
        try {
            return parse(new MimeMessage(SESSION, new ByteArrayInputStream(raw)));
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new UnparseableMailException("cannot parse message: " + e.getMessage(), e);
        }
    }

    private ParsedMail parse(MimeMessage msg) throws MessagingException, IOException {
        List<String> problems = new ArrayList<>();
        Walk walk = new Walk();
        walk.visit(msg, problems);
        List<MailHeaders.Header> headers = new ArrayList<>();
        for (Header h : Collections.list(msg.getAllHeaders())) {
            headers.add(new MailHeaders.Header(h.getName(), decode(h.getValue())));
        }
        List<EmailAddress> from = addresses(msg.getHeader("From", ","), problems);
        String refs = msg.getHeader("References", " ");
        return new ParsedMail(
                msg.getMessageID(),
                msg.getHeader("In-Reply-To", " "),
                refs == null ? List.of() : Arrays.stream(refs.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                from.isEmpty() ? null : from.get(0),
                addresses(msg.getHeader("Reply-To", ","), problems),
                addresses(msg.getHeader("To", ","), problems),
                addresses(msg.getHeader("Cc", ","), problems),
                msg.getSubject(),
                msg.getSentDate() == null ? null : msg.getSentDate().toInstant(),
                new MailHeaders(headers),
                walk.plain, walk.html, walk.parts, walk.attached, problems);
    }

    private static String decode(String value) {
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(value));
        } catch (IOException e) {
            return value;
        }
    }

    private static List<EmailAddress> addresses(String header, List<String> problems) {
        if (header == null) {
            return List.of();
        }
        try {
            List<EmailAddress> out = new ArrayList<>();
            for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
                if (a.getAddress() != null && !a.getAddress().isBlank()) {
                    out.add(new EmailAddress(a.getAddress(), a.getPersonal()));
                }
            }
            return out;
        } catch (AddressException e) {
            problems.add("unparseable address header: " + e.getMessage());
            return List.of();
        }
    }

    private final class Walk {
        String plain;
        String html;
        final List<MailPart> parts = new ArrayList<>();
        final List<ParsedMail> attached = new ArrayList<>();

        void visit(Part part, List<String> problems) throws MessagingException, IOException {
            String type = part.getContentType() == null ? "text/plain" : part.getContentType().toLowerCase(Locale.ROOT);
            String disposition = part.getDisposition();
            if (type.startsWith("multipart/")) {
                Multipart mp = (Multipart) part.getContent();
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart child = mp.getBodyPart(i);
                    visit(child, problems);
                }
            } else if (type.startsWith("message/rfc822")) {
                Object content = part.getContent();
                if (content instanceof MimeMessage inner) {
                    attached.add(parse(inner));
                }
            } else if (part.getFileName() == null && !Part.ATTACHMENT.equalsIgnoreCase(disposition)
                    && type.startsWith("text/plain") && plain == null) {
                plain = String.valueOf(part.getContent());
            } else if (part.getFileName() == null && !Part.ATTACHMENT.equalsIgnoreCase(disposition)
                    && type.startsWith("text/html") && html == null) {
                html = String.valueOf(part.getContent());
            } else {
                String[] cid = part.getHeader("Content-ID");
                String contentId = cid == null ? null : cid[0].replaceAll("^<|>$", "");
                String name = part.getFileName() == null ? "attachment-" + (parts.size() + 1)
                        : MimeUtility.decodeText(part.getFileName());
                parts.add(new MailPart(name, type.split(";")[0].trim(), Math.max(part.getSize(), 0),
                        Part.INLINE.equalsIgnoreCase(disposition) || contentId != null, contentId,
                        () -> {
                            try {
                                return part.getInputStream();
                            } catch (MessagingException e) {
                                throw new IOException(e);
                            }
                        }));
            }
        }
    }

    static boolean isMessage(Part part) {
        return part instanceof Message;
    }
}
