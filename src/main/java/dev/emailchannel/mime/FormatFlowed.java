package dev.emailchannel.mime;

/**
 * RFC 3676 {@code format=flowed}: joins soft-broken lines (a line ending in a space continues on the next line of
 * the same quote depth), removes space-stuffing, and with {@code DelSp=yes} drops the space before the soft break.
 * The signature separator {@code "-- "} is never joined.
 */
final class FormatFlowed {

    private FormatFlowed() {
    }

    static String decode(String text, boolean delSp) {
        String[] lines = text.split("\r?\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        StringBuilder paragraph = null;
        int paragraphDepth = 0;
        for (String line : lines) {
            int depth = 0;
            while (depth < line.length() && line.charAt(depth) == '>') {
                depth++;
            }
            String content = line.substring(depth);
            if (content.startsWith(" ")) { // space-stuffing (or the space after the quote marks)
                content = content.substring(1);
            }
            boolean signature = content.equals("-- ");
            boolean soft = !signature && content.endsWith(" ");
            if (paragraph != null && depth != paragraphDepth) { // quote depth changed: the paragraph ends here
                out.append(paragraph).append('\n');
                paragraph = null;
            }
            if (paragraph == null) {
                paragraph = new StringBuilder();
                paragraphDepth = depth;
                if (depth > 0) {
                    paragraph.append(">".repeat(depth)).append(' ');
                }
            }
            paragraph.append(soft && delSp ? content.substring(0, content.length() - 1) : content);
            if (!soft) {
                out.append(paragraph).append('\n');
                paragraph = null;
            }
        }
        if (paragraph != null) {
            out.append(paragraph).append('\n');
        }
        if (out.length() > 0) { // every line got a '\n'; the text has one line break fewer than lines
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }
}
