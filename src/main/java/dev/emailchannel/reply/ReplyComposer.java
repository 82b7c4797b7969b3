package dev.emailchannel.reply;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.inbound.AutoReplyGuard;
import dev.emailchannel.mime.EmailAddress;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;

/**
 * Composes the emails the channel sends: threaded replies ({@code Re:} subject, In-Reply-To, References, a new
 * Message-ID in the mailbox's domain) and new outbound emails, with the connection's signature, the mailbox's content
 * type and the agent's attachments. Pure logic on Jakarta Mail; sending is the route's job.
 */
public final class ReplyComposer {

    private static final Session SESSION = Session.getInstance(new Properties());
    /** Long threads would grow References without bound; keep the first and the newest ids (RFC 5322 §3.6.4). */
    private static final int MAX_REFERENCES = 20;

    private final String connectionName;
    private final String signatureTemplate;
    private final Parser markdown = Parser.builder().build();
    private final HtmlRenderer htmlRenderer = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    /**
     * @param signatureTemplate {@code SMTP_SIGNATURE}, with {@code {{ sender_name }}} / {@code {{ sender_email }}}
     */
    public ReplyComposer(String connectionName, String signatureTemplate) {
        this.connectionName = connectionName;
        this.signatureTemplate = signatureTemplate == null ? "" : signatureTemplate;
    }

    /** A reply to {@code target}, sent from {@code mailbox}. */
    public OutgoingMail reply(MailboxSettings mailbox, ReplyTarget target, AgentReply reply) {
        List<String> references = new ArrayList<>(target.references());
        if (target.messageId() != null && !references.contains(target.messageId())) {
            references.add(target.messageId());
        }
        return compose(mailbox, target.recipient(), Subjects.reply(target.subject()), target.messageId(),
                trim(references), reply);
    }

    /** A new email (the agent writes first). */
    public OutgoingMail compose(MailboxSettings mailbox, EmailAddress to, String subject, AgentReply content) {
        return compose(mailbox, to, subject, null, List.of(), content);
    }

    private OutgoingMail compose(MailboxSettings mailbox, EmailAddress to, String subject, String inReplyTo,
            List<String> references, AgentReply reply) {
        try {
            String messageId = "<" + UUID.randomUUID() + "@" + mailbox.address().domain() + ">";
            ChannelMimeMessage msg = new ChannelMimeMessage(SESSION);
            msg.setFrom(new InternetAddress(mailbox.address().address(), mailbox.displayName(), "UTF-8"));
            msg.setRecipient(jakarta.mail.Message.RecipientType.TO,
                    new InternetAddress(to.address(), to.name(), "UTF-8"));
            msg.setSubject(subject, "UTF-8");
            msg.setSentDate(new Date());
            msg.setHeader("Message-ID", messageId);
            if (inReplyTo != null) {
                msg.setHeader("In-Reply-To", inReplyTo);
            }
            String refs = references.isEmpty() ? null : String.join(" ", references);
            if (refs != null) {
                msg.setHeader("References", refs);
            }
            msg.setHeader(AutoReplyGuard.ORIGIN_HEADER, connectionName);
            // ask Exchange not to answer our replies with out-of-office notices (avoids robot ping-pong)
            msg.setHeader("X-Auto-Response-Suppress", "OOF, AutoReply");

            String signature = signature(mailbox);
            String text = signature.isEmpty() ? reply.text() : reply.text() + "\n\n" + signature;
            boolean html = "text/html".equals(mailbox.contentType()) || reply.html() != null;
            MimeMultipart body = html ? alternative(text, html(reply, signature), reply.attachments())
                    : null;
            List<OutgoingAttachment> files = reply.attachments().stream()
                    .filter(a -> !(html && a.inline() && a.contentId() != null)).toList();
            if (body == null && files.isEmpty()) {
                msg.setText(text, "UTF-8");
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart main = new MimeBodyPart();
                if (body == null) {
                    main.setText(text, "UTF-8");
                } else {
                    main.setContent(body);
                }
                mixed.addBodyPart(main);
                for (OutgoingAttachment file : files) {
                    mixed.addBodyPart(filePart(file));
                }
                msg.setContent(files.isEmpty() && body != null ? body : mixed);
            }
            msg.saveChanges();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            msg.writeTo(raw);
            return new OutgoingMail(messageId, to.address(), subject, text, inReplyTo, refs, raw.toByteArray());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot compose email to " + to.address() + ": " + e.getMessage(), e);
        }
    }

    /** The signature with its placeholders filled; "" when none is configured. */
    public String signature(MailboxSettings mailbox) {
        String name = mailbox.displayName() == null ? mailbox.address().address() : mailbox.displayName();
        return signatureTemplate
                .replaceAll("\\{\\{\\s*sender_name\\s*}}", java.util.regex.Matcher.quoteReplacement(name))
                .replaceAll("\\{\\{\\s*sender_email\\s*}}",
                        java.util.regex.Matcher.quoteReplacement(mailbox.address().address()))
                .replace("\\n", "\n");
    }

    private String html(AgentReply reply, String signature) {
        String main = reply.html() != null ? Jsoup.clean(reply.html(), Safelist.relaxed().addProtocols("img", "src", "cid"))
                : htmlRenderer.render(markdown.parse(reply.text()));
        if (signature.isEmpty()) {
            return main;
        }
        String sig = htmlRenderer.render(markdown.parse(signature.replace("\n", "  \n")));
        return main + "<div class=\"signature\">" + sig + "</div>";
    }

    private MimeMultipart alternative(String text, String html, List<OutgoingAttachment> attachments)
            throws MessagingException {
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        alternative.addBodyPart(plain);
        MimeBodyPart htmlPart = new MimeBodyPart();
        String document = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + html + "</body></html>";
        htmlPart.setText(document, "UTF-8", "html");
        List<OutgoingAttachment> inline = attachments.stream().filter(a -> a.inline() && a.contentId() != null)
                .toList();
        if (inline.isEmpty()) {
            alternative.addBodyPart(htmlPart);
        } else {
            MimeMultipart related = new MimeMultipart("related");
            related.addBodyPart(htmlPart);
            for (OutgoingAttachment image : inline) {
                related.addBodyPart(filePart(image));
            }
            MimeBodyPart relatedPart = new MimeBodyPart();
            relatedPart.setContent(related);
            alternative.addBodyPart(relatedPart);
        }
        return alternative;
    }

    private static MimeBodyPart filePart(OutgoingAttachment file) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        String type = file.contentType() != null && !file.contentType().isBlank() ? file.contentType()
                : guessType(file.filename());
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(file.data(), type)));
        try {
            part.setFileName(file.filename());
        } catch (MessagingException e) {
            part.setFileName("attachment");
        }
        part.setDisposition(file.inline() ? Part.INLINE : Part.ATTACHMENT);
        if (file.contentId() != null) {
            part.setContentID("<" + file.contentId().replaceAll("^<|>$", "") + ">");
        }
        return part;
    }

    static String guessType(String filename) {
        String guessed = filename == null ? null : URLConnection.guessContentTypeFromName(filename);
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static List<String> trim(List<String> references) {
        if (references.size() <= MAX_REFERENCES) {
            return references;
        }
        List<String> kept = new ArrayList<>();
        kept.add(references.get(0));
        kept.addAll(references.subList(references.size() - (MAX_REFERENCES - 1), references.size()));
        return kept;
    }
}
