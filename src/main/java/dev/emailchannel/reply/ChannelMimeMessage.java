package dev.emailchannel.reply;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;

/**
 * A MimeMessage that keeps the Message-ID it was given. Jakarta Mail replaces the Message-ID on every
 * {@code saveChanges()}, but the channel stores the id before sending (outbox, session) and threads on it.
 */
public final class ChannelMimeMessage extends MimeMessage {

    public ChannelMimeMessage(Session session) {
        super(session);
    }

    public ChannelMimeMessage(Session session, InputStream raw) throws MessagingException {
        super(session, raw);
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        if (getHeader("Message-ID") == null) {
            super.updateMessageID();
        }
    }
}
