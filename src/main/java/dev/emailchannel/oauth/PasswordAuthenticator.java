package dev.emailchannel.oauth;

import jakarta.mail.PasswordAuthentication;
import java.util.Objects;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * Camel mail authenticator for password mailboxes. Passing the password through a bean instead of
 * the endpoint URI keeps it out of URIs (which Camel logs and shows in route dumps) and avoids URI
 * escaping of {@code + # % , \} in passwords.
 */
public class PasswordAuthenticator extends MailAuthenticator {

    private final String username;
    private final String password;

    public PasswordAuthenticator(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(username, password);
    }

    @Override
    public String toString() {
        return "PasswordAuthenticator[username=" + username + ", password=****]";
    }
}
