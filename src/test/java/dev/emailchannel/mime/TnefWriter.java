package dev.emailchannel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Writes a small TNEF container the way Outlook does (MS-OXTNEF 2.1.3: signature, legacy key, then attributes of
 * level, id, length, data and checksum), so the tests can give the parser a winmail.dat of known content.
 */
final class TnefWriter {

    private static final int SIGNATURE = 0x223E9F78;
    private static final int LEVEL_MESSAGE = 1;
    private static final int LEVEL_ATTACHMENT = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private static final Charset CP1252 = Charset.forName("windows-1252");

    TnefWriter() {
        int32(SIGNATURE);
        int16(0x0001); // legacy key
        attribute(LEVEL_MESSAGE, 0x00089006, new byte[] {0, 0, 1, 0}); // attTnefVersion 0x00010000
        attribute(LEVEL_MESSAGE, 0x00069007, new byte[] {(byte) 0xE4, 0x04, 0, 0, 0, 0, 0, 0}); // attOemCodepage 1252
        attribute(LEVEL_MESSAGE, 0x00078008, cString("IPM.Microsoft Mail.Note")); // attMessageClass
    }

    /** attBody: the plain text body. */
    TnefWriter body(String text) {
        attribute(LEVEL_MESSAGE, 0x0002800C, cString(text));
        return this;
    }

    /** An attachment: attAttachRendData starts it, attAttachTitle names it, attAttachData holds it. */
    TnefWriter attachment(String name, byte[] data) {
        byte[] rend = new byte[14];
        rend[0] = 1; // attachment type: file
        rend[6] = (byte) 0xFF; // render position unknown
        rend[7] = (byte) 0xFF;
        rend[8] = (byte) 0xFF;
        rend[9] = (byte) 0xFF;
        attribute(LEVEL_ATTACHMENT, 0x00069002, rend);
        attribute(LEVEL_ATTACHMENT, 0x00018010, cString(name));
        attribute(LEVEL_ATTACHMENT, 0x0006800F, data);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void attribute(int level, int id, byte[] data) {
        out.write(level);
        int32(id);
        int32(data.length);
        out.writeBytes(data);
        int sum = 0;
        for (byte b : data) {
            sum = (sum + (b & 0xFF)) & 0xFFFF;
        }
        int16(sum);
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(CP1252);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    private void int32(int v) {
        out.write(v & 0xFF);
        out.write(v >>> 8 & 0xFF);
        out.write(v >>> 16 & 0xFF);
        out.write(v >>> 24 & 0xFF);
    }

    private void int16(int v) {
        out.write(v & 0xFF);
        out.write(v >>> 8 & 0xFF);
    }

    static String base64Lines(byte[] data) {
        String b = java.util.Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
        return b + "\n";
    }
}
