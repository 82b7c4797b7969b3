package dev.emailchannel.mailbox;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport with one addition: a {@link HandOver} runs just before the line that completes the
 * mail (the {@code .} after DATA, or the last BDAT chunk). Until that line the server discards what it got when the
 * connection drops; from that line on it may have accepted the mail even if its answer never arrives. If the hand-over
 * throws, the line is not written and the mail is not sent.
 */
final class HandOverTransport extends SMTPTransport {

    private final HandOver handOver;

    /** @param protocol {@code smtp} (plain or STARTTLS) or {@code smtps} (TLS from the start) */
    HandOverTransport(Session session, String protocol, HandOver handOver) {
        super(session, new URLName(protocol, null, -1, null, null, null), protocol, "smtps".equals(protocol));
        this.handOver = handOver;
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        beforeHandOver();
        super.finishData();
    }

    @Override
    protected void finishBdat() throws IOException, MessagingException {
        beforeHandOver();
        super.finishBdat();
    }

    /**
     * An IOException is how Angus Mail is told to drop the connection so that the mail is not sent: it closes the
     * socket without the completing line, and the server discards the unfinished mail.
     */
    private void beforeHandOver() throws IOException {
        try {
            handOver.beforeHandOver();
        } catch (RuntimeException e) {
            throw new IOException("not handed over: " + e.getMessage(), e);
        }
    }
}
