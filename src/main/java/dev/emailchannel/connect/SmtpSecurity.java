package dev.emailchannel.connect;

/** How an SMTP connection is secured. */
public enum SmtpSecurity {
    /** Implicit TLS from the first byte (port 465). */
    SSL,
    /** Plain connect, then STARTTLS; refuses to go on without it (port 587). */
    STARTTLS_REQUIRED,
    /** Plain connect, STARTTLS when the server offers it. */
    STARTTLS_WHEN_OFFERED;

    /** The Jakarta Mail protocol name: {@code smtps} for implicit TLS, {@code smtp} otherwise. */
    public String protocol() {
        return this == SSL ? "smtps" : "smtp";
    }
}
