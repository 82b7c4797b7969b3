package dev.emailchannel.testing;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A customer's mail client for tests: sends over plain SMTP and reads a mailbox over plain IMAP (GreenMail). */
public final class MailClient {

    /** A message as a mailbox holds it. */
    public record Mail(String messageId, String subject, String from, String inReplyTo, String references,
            String text, boolean seen, boolean flagged, byte[] raw) {
    }

    private final String host;
    private final int smtpPort;
    private final int imapPort;

    public MailClient(String host, int smtpPort, int imapPort) {
        this.host = host;
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
    }

    private Session session() {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", String.valueOf(smtpPort));
        return Session.getInstance(p);
    }

    /** Sends a plain-text mail; returns its Message-ID. */
    public String send(String from, String to, String subject, String text, Map<String, String> headers)
            throws Exception {
        MimeMessage msg = new dev.emailchannel.reply.ChannelMimeMessage(session());
        msg.setHeader("Message-ID", "<" + java.util.UUID.randomUUID() + "@example.com>");
        msg.setFrom(new InternetAddress(from));
        msg.setRecipients(Message.RecipientType.TO, to);
        msg.setSubject(subject, "UTF-8");
        msg.setSentDate(new Date());
        msg.setText(text, "UTF-8");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            msg.setHeader(h.getKey(), h.getValue());
        }
        msg.saveChanges();
        String id = msg.getMessageID();
        Transport.send(msg);
        return id;
    }

    /** Sends raw RFC 5322 bytes, header lines as they are; {@code from} is the envelope sender (MAIL FROM). */
    public void sendRaw(String from, String to, byte[] raw) throws Exception {
        Session session = session();
        session.getProperties().setProperty("mail.smtp.from", from);
        MimeMessage msg = new MimeMessage(session, new java.io.ByteArrayInputStream(raw)) {
            @Override
            protected void updateMessageID() {
            }
        };
        Transport.send(msg, new InternetAddress[] {new InternetAddress(to)});
    }

    /** Every message of the user's INBOX, without changing flags. */
    public List<Mail> inbox(String user, String password) throws Exception {
        Store store = session().getStore("imap");
        store.connect(host, imapPort, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<Mail> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                Flags flags = m.getFlags();
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                ((org.eclipse.angus.mail.imap.IMAPMessage) m).setPeek(true);
                m.writeTo(raw);
                MimeMessage copy = new MimeMessage(session(), new java.io.ByteArrayInputStream(raw.toByteArray()));
                Object content = copy.getContent();
                out.add(new Mail(copy.getMessageID(), copy.getSubject(),
                        copy.getFrom() == null ? null : InternetAddress.toString(copy.getFrom()),
                        copy.getHeader("In-Reply-To", null), copy.getHeader("References", null),
                        content instanceof String s ? s : null, flags.contains(Flags.Flag.SEEN),
                        flags.contains(Flags.Flag.FLAGGED), raw.toByteArray()));
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }
}
