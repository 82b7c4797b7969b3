package dev.emailchannel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.swing.text.BadLocationException;
import javax.swing.text.Document;
import javax.swing.text.rtf.RTFEditorKit;
import org.apache.poi.hmef.Attachment;
import org.apache.poi.hmef.HMEFMessage;
import org.apache.poi.hmef.attribute.MAPIAttribute;
import org.apache.poi.hmef.attribute.MAPIStringAttribute;
import org.apache.poi.hmef.attribute.TNEFProperty;
import org.apache.poi.hmef.attribute.TNEFAttribute;
import org.apache.poi.hsmf.datatypes.MAPIProperty;

/**
 * Opens a TNEF attachment ({@code winmail.dat}, {@code application/ms-tnef}), the container Outlook and Exchange use
 * for rich-text mail, with Apache POI's HMEF: the files inside become ordinary parts and the body text is taken
 * when the MIME message has none.
 */
final class Tnef {

    /** A file inside the TNEF container. */
    record File(String name, byte[] data) {
    }

    /** The files and the plain body text (null when the container has none). */
    record Content(List<File> files, String body) {
    }

    private Tnef() {
    }

    static boolean isTnef(String contentType, String filename) {
        return contentType.equals("application/ms-tnef") || contentType.equals("application/vnd.ms-tnef")
                || filename != null && filename.equalsIgnoreCase("winmail.dat");
    }

    /** @throws IOException when the bytes are not a TNEF container HMEF can read */
    static Content read(byte[] data) throws IOException {
        HMEFMessage message;
        try {
            message = new HMEFMessage(new ByteArrayInputStream(data));
        } catch (RuntimeException e) { // HMEF signals bad structure with runtime exceptions
            throw new IOException("not a readable TNEF container: " + e.getMessage(), e);
        }
        List<File> files = new ArrayList<>();
        for (Attachment a : message.getAttachments()) {
            byte[] bytes;
            try {
                bytes = a.getContents();
            } catch (IllegalArgumentException e) {
                continue; // an attachment without data (an embedded OLE object): nothing to hand on
            }
            String name = a.getLongFilename() != null ? a.getLongFilename() : a.getFilename();
            files.add(new File(name, bytes));
        }
        return new Content(files, body(message));
    }

    /** The plain body (PR_BODY or attBody), else the HTML body, else the RTF body rendered as text. */
    private static String body(HMEFMessage message) {
        String plain = MAPIStringAttribute.getAsString(message.getMessageMAPIAttribute(MAPIProperty.BODY));
        if (plain == null) {
            plain = legacyText(message, message.getMessageAttribute(TNEFProperty.ID_BODY));
        }
        if (plain != null && !plain.isBlank()) {
            return plain;
        }
        MAPIAttribute html = message.getMessageMAPIAttribute(MAPIProperty.BODY_HTML);
        if (html != null) {
            return org.jsoup.Jsoup.parse(new String(html.getData(), StandardCharsets.UTF_8)).wholeText();
        }
        String rtf;
        try {
            rtf = message.getBody();
        } catch (RuntimeException e) {
            return null;
        }
        return rtf == null ? null : rtfToText(rtf);
    }

    /**
     * attBody is 8-bit text in the message's OEM code page (MS-OXTNEF 2.1.3.3.3); HMEF reads it as UTF-16, so the
     * raw bytes are decoded here (as UTF-16LE only when they look like it).
     */
    private static String legacyText(HMEFMessage message, TNEFAttribute attr) {
        if (attr == null) {
            return null;
        }
        byte[] b = attr.getData();
        int len = b.length;
        while (len > 0 && b[len - 1] == 0) {
            len--;
        }
        boolean utf16 = len >= 2 && b[1] == 0 && b[0] != 0;
        return new String(b, 0, utf16 ? len + (len % 2) : len, utf16 ? StandardCharsets.UTF_16LE : codePage(message));
    }

    private static Charset codePage(HMEFMessage message) {
        TNEFAttribute cp = message.getMessageAttribute(TNEFProperty.ID_OEMCODEPAGE);
        if (cp != null && cp.getData().length >= 4) {
            byte[] d = cp.getData();
            int page = (d[0] & 0xFF) | (d[1] & 0xFF) << 8 | (d[2] & 0xFF) << 16 | (d[3] & 0xFF) << 24;
            Charset c = Charsets.forLabel("windows-" + page);
            if (c == null) {
                c = Charsets.forLabel("cp" + page);
            }
            if (c != null) {
                return c;
            }
        }
        return Charset.forName("windows-1252");
    }

    static String rtfToText(String rtf) {
        try {
            RTFEditorKit kit = new RTFEditorKit();
            Document doc = kit.createDefaultDocument();
            kit.read(new StringReader(rtf), doc, 0);
            return doc.getText(0, doc.getLength()).strip();
        } catch (IOException | BadLocationException | RuntimeException e) {
            return null;
        }
    }
}
