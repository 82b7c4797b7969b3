package dev.emailchannel.mime;

import java.util.Locale;
import java.util.Map;

/** Makes attachment file names safe to store and show, and makes one up when a part has none. */
public final class FileNames {

    static final int MAX_LENGTH = 180;

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("text/plain", "txt"), Map.entry("text/html", "html"), Map.entry("text/csv", "csv"),
            Map.entry("text/calendar", "ics"), Map.entry("text/xml", "xml"), Map.entry("text/markdown", "md"),
            Map.entry("text/rfc822-headers", "txt"), Map.entry("text/vcard", "vcf"), Map.entry("text/x-vcard", "vcf"),
            Map.entry("image/jpeg", "jpg"), Map.entry("image/jpg", "jpg"), Map.entry("image/pjpeg", "jpg"),
            Map.entry("image/png", "png"), Map.entry("image/gif", "gif"), Map.entry("image/webp", "webp"),
            Map.entry("image/bmp", "bmp"), Map.entry("image/tiff", "tif"), Map.entry("image/svg+xml", "svg"),
            Map.entry("image/heic", "heic"), Map.entry("application/pdf", "pdf"), Map.entry("application/zip", "zip"),
            Map.entry("application/json", "json"), Map.entry("application/xml", "xml"),
            Map.entry("application/msword", "doc"), Map.entry("application/vnd.ms-excel", "xls"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
            Map.entry("application/ics", "ics"), Map.entry("application/pgp-signature", "asc"),
            Map.entry("application/pkcs7-signature", "p7s"), Map.entry("application/x-pkcs7-signature", "p7s"),
            Map.entry("application/ms-tnef", "dat"), Map.entry("application/vnd.ms-tnef", "dat"),
            Map.entry("message/rfc822", "eml"), Map.entry("message/delivery-status", "txt"),
            Map.entry("message/disposition-notification", "txt"), Map.entry("audio/mpeg", "mp3"),
            Map.entry("audio/ogg", "ogg"), Map.entry("audio/wav", "wav"), Map.entry("video/mp4", "mp4"),
            Map.entry("video/quicktime", "mov"));

    private FileNames() {
    }

    /** The media type a file name's extension stands for ("application/octet-stream" when unknown). */
    public static String typeOf(String filename) {
        int dot = filename == null ? -1 : filename.lastIndexOf('.');
        if (dot >= 0) {
            String ext = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
            for (Map.Entry<String, String> e : EXTENSIONS.entrySet()) {
                if (e.getValue().equals(ext) && !e.getKey().equals("image/jpg") && !e.getKey().equals("image/pjpeg")
                        && !e.getKey().startsWith("text/x-") && !e.getKey().equals("text/rfc822-headers")
                        && !e.getKey().startsWith("message/d") && !e.getKey().equals("application/ms-tnef")) {
                    return e.getKey();
                }
            }
            String guessed = java.net.URLConnection.guessContentTypeFromName(filename);
            if (guessed != null) {
                return guessed;
            }
        }
        return "application/octet-stream";
    }

    /**
     * The last path segment of {@code name} without control characters, bidi overrides or characters that are
     * not allowed in file names, at most {@value #MAX_LENGTH} characters (the extension is kept); null when
     * nothing usable is left.
     */
    public static String sanitize(String name) {
        if (name == null) {
            return null;
        }
        String n = name;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        if (slash >= 0) {
            n = n.substring(slash + 1);
        }
        StringBuilder b = new StringBuilder(n.length());
        n.codePoints().forEach(cp -> {
            if (cp == '\t' || cp == '\n' || cp == '\r') {
                b.append(' ');
                return;
            }
            if (Character.isISOControl(cp) || cp == 0xFFFD || (cp >= 0x202A && cp <= 0x202E)
                    || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F) {
                return;
            }
            if ("<>:\"|?*".indexOf(cp) >= 0) {
                b.append('_');
            } else if (Character.isWhitespace(cp)) {
                b.append(' ');
            } else {
                b.appendCodePoint(cp);
            }
        });
        String s = b.toString().replaceAll(" {2,}", " ").strip();
        s = s.replaceAll("^[.\\s]+", "").replaceAll("[.\\s]+$", "");
        if (s.isEmpty()) {
            return null;
        }
        if (s.codePointCount(0, s.length()) > MAX_LENGTH) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
            String base = s.substring(0, dot > 0 && !ext.isEmpty() ? dot : s.length());
            int keep = MAX_LENGTH - ext.length();
            base = base.substring(0, base.offsetByCodePoints(0, Math.min(keep, base.codePointCount(0, base.length()))));
            s = base.strip() + ext;
        }
        return s;
    }

    /** Adds the extension of a well-known content type to a name that has none ("scan" as image/jpeg: "scan.jpg"). */
    public static String withExtension(String name, String contentType) {
        if (name == null || name.lastIndexOf('.') > 0 || contentType == null) {
            return name;
        }
        String ext = EXTENSIONS.get(contentType.toLowerCase(Locale.ROOT));
        return ext == null ? name : name + "." + ext;
    }

    /** A name for a part without one: {@code attachment-3.pdf}, {@code image-1.png}, by content type. */
    public static String madeUp(String contentType, int number) {
        String type = contentType == null ? "application/octet-stream" : contentType.toLowerCase(Locale.ROOT);
        String ext = EXTENSIONS.get(type);
        if (ext == null) {
            String sub = type.contains("/") ? type.substring(type.indexOf('/') + 1) : "";
            ext = type.startsWith("text/") ? "txt"
                    : (type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/"))
                            && sub.matches("[a-z0-9]{2,5}") ? sub : "bin";
        }
        String base = type.startsWith("image/") ? "image" : type.equals("message/rfc822") ? "message" : "attachment";
        return base + "-" + number + "." + ext;
    }
}
