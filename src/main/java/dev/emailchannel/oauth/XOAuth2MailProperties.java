package dev.emailchannel.oauth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Jakarta Mail (Angus Mail) properties that make a protocol authenticate with XOAUTH2 only.
 *
 * <p>{@code mail.<protocol>.auth.mechanisms=XOAUTH2} restricts Angus Mail's mechanism list to
 * XOAUTH2, which it disables by default; the {@code *.disable} flags document the intent and also
 * hold when another layer resets the mechanism list. SASL stays off (the JDK has no XOAUTH2 SASL
 * client). Angus Mail keeps one fallback that no property turns off: an IMAP server that does not
 * advertise {@code AUTH=XOAUTH2} gets a plain {@code LOGIN user token} (IMAPStore.authenticate);
 * SMTP fails instead ("No authentication mechanisms supported by both server and client").
 *
 * <p>Camel passes endpoint options that start with {@code mail.} on to Jakarta Mail
 * ({@code MailComponent.configureAdditionalJavaMailProperties}), so {@link #endpointOptions(String)}
 * can go into the endpoint URI or a route template's {@code parameters:} map; or set
 * {@link #forProtocol(String)} as {@code additionalJavaMailProperties}.
 */
public final class XOAuth2MailProperties {

    private static final Set<String> PROTOCOLS = Set.of("imap", "imaps", "smtp", "smtps");

    private XOAuth2MailProperties() {
    }

    /** The properties for one protocol: {@code imap}, {@code imaps}, {@code smtp} or {@code smtps}. */
    public static Properties forProtocol(String protocol) {
        Properties properties = new Properties();
        properties.putAll(endpointOptions(protocol));
        return properties;
    }

    /** The same as {@link #forProtocol(String)}, as an ordered map of Camel endpoint options. */
    public static Map<String, String> endpointOptions(String protocol) {
        String p = protocol == null ? "" : protocol.trim().toLowerCase(Locale.ROOT);
        if (!PROTOCOLS.contains(p)) {
            throw new IllegalArgumentException("XOAUTH2 is supported for imap, imaps, smtp and smtps, not '"
                    + protocol + "'");
        }
        String prefix = "mail." + p + ".";
        Map<String, String> options = new LinkedHashMap<>();
        options.put(prefix + "auth", "true");
        options.put(prefix + "auth.mechanisms", "XOAUTH2");
        options.put(prefix + "auth.xoauth2.disable", "false");
        options.put(prefix + "auth.plain.disable", "true");
        options.put(prefix + "auth.login.disable", "true");
        options.put(prefix + "auth.ntlm.disable", "true");
        options.put(prefix + "sasl.enable", "false");
        if (p.startsWith("smtp")) {
            options.put(prefix + "auth.digest-md5.disable", "true");
        }
        return options;
    }

    /** The options as a URI query fragment ({@code a=b&c=d}), to append to a Camel mail endpoint URI. */
    public static String uriQuery(String protocol) {
        StringBuilder sb = new StringBuilder();
        endpointOptions(protocol).forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }
}
