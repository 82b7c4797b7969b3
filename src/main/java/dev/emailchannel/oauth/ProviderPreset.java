package dev.emailchannel.oauth;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Server settings and OAuth token endpoints of popular providers (the guide's table). */
public enum ProviderPreset {

    GMAIL("imap.gmail.com", 993, "smtp.gmail.com", 587, "https://oauth2.googleapis.com/token"),
    OUTLOOK("outlook.office365.com", 993, "smtp.office365.com", 587,
            "https://login.microsoftonline.com/common/oauth2/v2.0/token"),
    YAHOO("imap.mail.yahoo.com", 993, "smtp.mail.yahoo.com", 587, "https://api.login.yahoo.com/oauth2/get_token");

    private final String imapHost;
    private final int imapPort;
    private final String smtpHost;
    private final int smtpPort;
    private final URI tokenUri;

    ProviderPreset(String imapHost, int imapPort, String smtpHost, int smtpPort, String tokenUri) {
        this.imapHost = imapHost;
        this.imapPort = imapPort;
        this.smtpHost = smtpHost;
        this.smtpPort = smtpPort;
        this.tokenUri = URI.create(tokenUri);
    }

    public String imapHost() {
        return imapHost;
    }

    public int imapPort() {
        return imapPort;
    }

    public String smtpHost() {
        return smtpHost;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public URI tokenUri() {
        return tokenUri;
    }

    /** The preset's lower-case name, as written in configuration ({@code gmail}). */
    public String presetName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The preset named {@code name}, case-insensitive, surrounding whitespace ignored.
     *
     * @throws IllegalArgumentException naming the unknown value and the known ones
     */
    public static ProviderPreset byName(String name) {
        String wanted = name == null ? "" : name.trim();
        for (ProviderPreset preset : values()) {
            if (preset.name().equalsIgnoreCase(wanted)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("Unknown mail provider preset '" + wanted + "'; known presets: "
                + Arrays.stream(values()).map(ProviderPreset::presetName).collect(Collectors.joining(", ")));
    }
}
