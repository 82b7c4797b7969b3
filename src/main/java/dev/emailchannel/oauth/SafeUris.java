package dev.emailchannel.oauth;

import java.net.URI;

/** Renders a URI for messages without user info, query or fragment (which could carry secrets). */
final class SafeUris {

    private SafeUris() {
    }

    static String display(URI uri) {
        if (uri == null) {
            return "null";
        }
        if (uri.getHost() == null) {
            return uri.getScheme() + ":…";
        }
        StringBuilder sb = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() != -1) {
            sb.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        return sb.toString();
    }
}
