package dev.emailchannel.connect;

import jakarta.mail.PasswordAuthentication;
import java.util.function.Supplier;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * Gives Camel's mail endpoints the mailbox's credentials, so that no password or token is ever written into an
 * endpoint URI (where it could end up in logs). Camel asks on every IMAP connect and every SMTP send, so a secret
 * supplier that refreshes (OAuth access tokens) is picked up on the next connection.
 */
public final class SecretAuthenticator extends MailAuthenticator {

    private final String user;
    private final Supplier<String> secret;

    public SecretAuthenticator(String user, Supplier<String> secret) {
        this.user = user;
        this.secret = secret;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(user, secret.get());
    }

    @Override
    public String toString() {
        return "SecretAuthenticator[" + user + "]";
    }
}
