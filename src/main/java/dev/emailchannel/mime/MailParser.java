package dev.emailchannel.mime;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw RFC 5322 bytes into a {@link ParsedMail}, degrading gracefully: what is wrong with a message is
 * recorded in {@link ParsedMail#problems()} and the message is still parsed. Only bytes that are not a message at
 * all (empty, no header fields) give an {@link UnparseableMailException}.
 *
 * <p>The MIME tree is walked directly on the raw bytes (Jakarta Mail's {@code MimeMultipart} gives up on a
 * missing or wrong boundary and decodes parts eagerly): a {@link MailPart} is a slice of the raw message that is
 * transfer-decoded only when its content is opened, so large files are never copied while parsing.
 */
public final class MailParser {

    /** Deeper MIME nesting than this (multiparts and attached messages) makes the mail unparseable (parked). */
    static final int MAX_DEPTH = 25;
    /** More body parts than this, counted over the whole message, make the mail unparseable (parked). */
    static final int MAX_PARTS = 1000;
    /** A header block (of the message or of a part) larger than this makes the mail unparseable (parked). */
    static final int MAX_HEADER_BYTES = 1024 * 1024;
    /** At most this many problems are listed. */
    static final int MAX_PROBLEMS = 50;
    /** Body text longer than this is cut (the file parts are not affected). */
    static final int MAX_TEXT_BYTES = 20 * 1024 * 1024;

    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+\\-]+/[a-z0-9!#$&^_.+\\-]+");
    private static final Pattern BAD_ADDRESS_CHARS = Pattern.compile("[\\s;:<>]");
    private static final Pattern QUOTES_AND_SPACE = Pattern.compile("[\"'\\s]");
    /**
     * One date parser per thread (a {@code SimpleDateFormat}, not safe to share): making one per mail built its calendar
     * and locale symbols each time, two thirds of the time spent on the Date header (a profile of a 300-mail backlog).
     */
    private static final ThreadLocal<MailDateFormat> DATE_FORMAT = ThreadLocal.withInitial(MailDateFormat::new);
    private static final List<DateTimeFormatter> FALLBACK_DATES = List.of(
            DateTimeFormatter.ISO_DATE_TIME,
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT)
                    .withZone(ZoneOffset.UTC));
    private static final Pattern ANGLE_ID = Pattern.compile("<[^<>\\s]*>");
    private static final Pattern META_CHARSET =
            Pattern.compile("(?i)<meta[^>]{0,200}?charset\\s*=\\s*[\"']?([A-Za-z0-9_.:\\-]{2,40})");
    private static final Pattern BODY_CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9_.:\\-]{2,40})");
    private static final Pattern BARE_ADDRESS = Pattern.compile("[^\\s<>,;:\"()\\[\\]]+@[^\\s<>,;:\"()\\[\\]]+");

    /**
     * @throws UnparseableMailException when the bytes are not an email at all, or a {@link MailLimitException} when
     *                                   the message goes beyond {@link #MAX_DEPTH}, {@link #MAX_PARTS} or
     *                                   {@link #MAX_HEADER_BYTES}; never any other exception
     */
    public ParsedMail parse(byte[] raw) throws UnparseableMailException {
        if (raw == null || raw.length == 0) {
            throw new UnparseableMailException("empty message (0 bytes)");
        }
        try {
            return parseMessage(withLineFeeds(raw), 0, raw.length, 0, new int[1]);
        } catch (RuntimeException | StackOverflowError e) {
            throw new UnparseableMailException("cannot parse message of " + raw.length + " bytes: " + e, e);
        }
    }

    /** Old Mac mail ends lines with a bare CR: turn them into LF (one copy, only for such mail). */
    private static byte[] withLineFeeds(byte[] raw) {
        int n = Math.min(raw.length, 65536);
        boolean cr = false;
        for (int i = 0; i < n; i++) {
            if (raw[i] == '\n') {
                return raw;
            }
            cr |= raw[i] == '\r';
        }
        if (!cr) {
            return raw;
        }
        byte[] copy = raw.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == '\r') {
                copy[i] = '\n';
            }
        }
        return copy;
    }

    /** @param partCount parts counted so far over the whole message (shared with attached messages) */
    private ParsedMail parseMessage(byte[] data, int start, int end, int depth, int[] partCount)
            throws UnparseableMailException {
        List<String> problems = new ArrayList<>();
        int headerStart = findHeaderStart(data, start, end, problems);
        RawHeaders raw;
        if (headerStart >= 0) {
            raw = RawHeaders.read(data, headerStart, end);
            checkHeaderSize(headerStart, raw.bodyStart);
            if (raw.legacyBytes) { // raw 8-bit header text: read it in the charset the message declares
                Charset legacy = declaredCharset(raw, data, end);
                if (legacy != null) {
                    raw = RawHeaders.read(data, headerStart, end, legacy);
                }
                problems.add("raw 8-bit header text, read as " + (legacy == null ? "windows-1252" : legacy.name()));
            }
        } else if (looksLikeText(data, start, end)) {
            // as mime4j does: no header block, so the whole text is the body
            problems.add("no header fields; the whole message is read as a text body");
            raw = new RawHeaders();
            raw.bodyStart = start;
        } else {
            throw new UnparseableMailException("no header fields and binary content: not an RFC 5322 message ("
                    + (end - start) + " bytes)");
        }
        if (raw.endedByGarbage) {
            problems.add("header block ended by a line that is not a header field; the rest is read as body");
        }
        Walk walk = new Walk(data, problems, partCount);
        walk.entity(raw.fields, raw.bodyStart, end, "text/plain", "", depth);
        if (walk.plain == null && walk.html == null && walk.tnefBody != null) {
            walk.plain = new StringBuilder(walk.tnefBody); // Outlook rich text: the body is inside winmail.dat
        }

        List<MailHeaders.Header> decoded = new ArrayList<>(raw.fields.size());
        for (MailHeaders.Header h : raw.fields) {
            decoded.add(new MailHeaders.Header(h.name(), EncodedWords.decode(h.value())));
        }
        MailHeaders headers = new MailHeaders(decoded);
        MailHeaders undecoded = new MailHeaders(raw.fields);

        List<EmailAddress> from = addresses(undecoded, "From", problems);
        if (from.isEmpty()) {
            problems.add(undecoded.has("From") ? "From header has no usable address" : "no From header");
        }
        String messageId = messageId(undecoded.first("Message-ID").orElse(null));
        if (messageId == null) {
            problems.add("no Message-ID");
        }
        String inReplyTo = undecoded.first("In-Reply-To").map(MailParser::firstAngleId).orElse(null);
        List<String> references = new ArrayList<>();
        for (String refs : undecoded.values("References")) {
            Matcher m = ANGLE_ID.matcher(refs);
            while (m.find()) {
                references.add(m.group());
            }
        }
        Instant date = date(undecoded.first("Date").orElse(null), problems);
        if (problems.size() > MAX_PROBLEMS) { // a hostile message must not flood the log
            int more = problems.size() - MAX_PROBLEMS;
            problems.subList(MAX_PROBLEMS, problems.size()).clear();
            problems.add("... and " + more + " more problems");
        }
        return new ParsedMail(messageId, inReplyTo, references, from.isEmpty() ? null : from.get(0),
                addresses(undecoded, "Reply-To", problems), addresses(undecoded, "To", problems),
                addresses(undecoded, "Cc", problems), headers.first("Subject").orElse(""), date, headers,
                walk.plain == null ? null : walk.plain.toString(), walk.html == null ? null : walk.html.toString(),
                walk.parts, walk.attached, problems);
    }

    private static void checkHeaderSize(int headerStart, int bodyStart) throws MailLimitException {
        if (bodyStart - headerStart > MAX_HEADER_BYTES) {
            throw new MailLimitException("header block of " + (bodyStart - headerStart) + " bytes is over the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
    }

    /**
     * Where the header block starts: skips blank lines, an mbox "From " line and a few junk lines before a block
     * of header fields. Returns -1 when the message has no header block at all.
     */
    private static int findHeaderStart(byte[] data, int start, int end, List<String> problems) {
        int pos = start;
        for (int line = 0; line < 5 && pos < end; line++) {
            int eol = RawHeaders.lineEnd(data, pos, end);
            int next = eol + 1;
            boolean blockFollows = next >= end || RawHeaders.isField(data, next, end) || data[next] == ' '
                    || data[next] == '\t' || data[next] == '\r' || data[next] == '\n';
            if (RawHeaders.isField(data, pos, end) && (line == 0 || blockFollows)) {
                if (line > 0) {
                    problems.add("skipped " + line + " line(s) before the first header field");
                }
                return pos;
            }
            pos = next;
        }
        return -1;
    }

    /** The charset of the message's Content-Type, else the first charset= in the body (of its first text part). */
    private static Charset declaredCharset(RawHeaders raw, byte[] data, int end) {
        String label = HeaderParams.parse(new MailHeaders(raw.fields).first("Content-Type").orElse(null))
                .param("charset");
        if (label == null) {
            Matcher m = BODY_CHARSET.matcher(new String(data, raw.bodyStart,
                    Math.min(end - raw.bodyStart, 65536), StandardCharsets.ISO_8859_1));
            label = m.find() ? m.group(1) : null;
        }
        Charset charset = Charsets.forLabel(label);
        return charset == null || charset.equals(StandardCharsets.UTF_8) ? null : charset;
    }

    /** Text, not binary: few control characters other than line breaks and tabs in the first 8 KB. */
    private static boolean looksLikeText(byte[] data, int start, int end) {
        int n = Math.min(end - start, 8192);
        int control = 0;
        for (int i = start; i < start + n; i++) {
            int b = data[i] & 0xFF;
            if (b < 32 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 27) {
                control++;
            }
        }
        return control * 100 <= n;
    }

    /** Walks the MIME tree of one message and collects its body text, files and attached messages. */
    private final class Walk {
        final byte[] data;
        final List<String> problems;
        StringBuilder plain;
        StringBuilder html;
        final List<MailPart> parts = new ArrayList<>();
        final List<ParsedMail> attached = new ArrayList<>();
        final int[] partCount;
        String tnefBody;

        Walk(byte[] data, List<String> problems, int[] partCount) {
            this.data = data;
            this.problems = problems;
            this.partCount = partCount;
        }

        /**
         * @param container subtype of the enclosing multipart ("" at the top), decides the default type and how
         *                  text parts are taken
         */
        void entity(List<MailHeaders.Header> fields, int bodyStart, int bodyEnd, String defaultType, String container,
                int depth) throws UnparseableMailException {
            MailHeaders h = new MailHeaders(fields);
            HeaderParams ct = HeaderParams.parse(h.first("Content-Type").orElse(null));
            String type = ct.value();
            if (!MEDIA_TYPE.matcher(type).matches()) {
                if (!type.isEmpty()) {
                    problems.add("invalid Content-Type '" + abbreviate(type) + "', read as " + defaultType);
                }
                type = defaultType;
                ct = new HeaderParams(type, ct.params());
            }
            String cte = h.lower("Content-Transfer-Encoding");
            cte = cte.isEmpty() ? "7bit" : QUOTES_AND_SPACE.matcher(cte).replaceAll("");
            if (!RawContent.isKnown(cte)) {
                problems.add("unknown Content-Transfer-Encoding '" + abbreviate(cte) + "', content kept as it is");
            }
            boolean nested = type.startsWith("multipart/") || type.equals("message/rfc822") || type.equals("message/global");
            if (nested && depth >= MAX_DEPTH) {
                throw new MailLimitException("MIME nesting deeper than the limit of " + MAX_DEPTH + " levels");
            }
            if (type.startsWith("multipart/")) {
                multipart(ct, bodyStart, bodyEnd, container, depth);
            } else if (nested) {
                attachedMessage(h, ct, cte, bodyStart, bodyEnd, depth);
            } else {
                leaf(h, ct, type, cte, bodyStart, bodyEnd, container);
            }
        }

        private void multipart(HeaderParams ct, int bodyStart, int bodyEnd, String container, int depth)
                throws UnparseableMailException {
            String subtype = ct.value().substring("multipart/".length());
            String boundary = ct.param("boundary");
            List<int[]> bodies = boundary == null || boundary.isEmpty() ? null
                    : Multiparts.split(data, bodyStart, bodyEnd, boundary, problems);
            if (bodies == null && boundary != null && boundary.strip().indexOf(' ') > 0) {
                // a mailer folded the header inside the boundary value ("----=_Part_1_\r\n 2345"): unfolding left a space
                String unfolded = boundary.replaceAll("\\s+", "");
                bodies = Multiparts.split(data, bodyStart, bodyEnd, unfolded, problems);
                if (bodies != null) {
                    problems.add("boundary parameter folded over two lines; read as '" + abbreviate(unfolded) + "'");
                }
            }
            if (bodies == null) {
                String guessed = Multiparts.guessBoundary(data, bodyStart, bodyEnd);
                if (guessed != null) {
                    problems.add((boundary == null ? "multipart without boundary parameter"
                            : "boundary '" + abbreviate(boundary) + "' not found") + "; used '" + abbreviate(guessed)
                            + "' found in the body");
                    bodies = Multiparts.split(data, bodyStart, bodyEnd, guessed, problems);
                }
            }
            if (bodies == null) {
                problems.add("multipart/" + subtype + " without any boundary line; body kept as text");
                leaf(new MailHeaders(List.of()), new HeaderParams("text/plain", Map.of()), "text/plain",
                        "7bit", bodyStart, bodyEnd, container);
                return;
            }
            String childDefault = subtype.equals("digest") ? "message/rfc822" : "text/plain";
            String childContainer = subtype.equals("alternative") || container.equals("alternative")
                    ? "alternative" : subtype;
            partCount[0] += bodies.size();
            if (partCount[0] > MAX_PARTS) {
                throw new MailLimitException("more MIME parts than the limit of " + MAX_PARTS);
            }
            List<RawHeaders> children = new ArrayList<>();
            for (int[] body : bodies) {
                RawHeaders child = RawHeaders.read(data, body[0], body[1]);
                checkHeaderSize(body[0], child.bodyStart);
                children.add(child);
            }
            int before = contentCount();
            if (subtype.equals("alternative")) {
                alternative(children, bodies, childDefault, depth);
            } else {
                for (int i = 0; i < children.size(); i++) {
                    entity(children.get(i).fields, children.get(i).bodyStart, bodies.get(i)[1], childDefault,
                            childContainer, depth + 1);
                }
            }
            if (contentCount() == before) {
                problems.add("multipart/" + subtype + " without content (" + bodies.size()
                        + " empty part(s)); preamble and epilogue ignored");
            }
        }

        private int contentCount() {
            return (plain == null ? 0 : plain.length() + 1) + (html == null ? 0 : html.length() + 1) + parts.size()
                    + attached.size();
        }

        /** Takes the first text/plain and the last rich alternative (HTML, or a multipart holding it). */
        private void alternative(List<RawHeaders> children, List<int[]> bodies, String childDefault, int depth)
                throws UnparseableMailException {
            int plainIndex = -1;
            int richIndex = -1;
            for (int i = 0; i < children.size(); i++) {
                MailHeaders h = new MailHeaders(children.get(i).fields);
                String type = HeaderParams.parse(h.first("Content-Type").orElse(null)).value();
                if (type.isEmpty()) {
                    type = childDefault;
                }
                if (isFile(h)) {
                    continue;
                }
                if (type.equals("text/plain") && plainIndex < 0) {
                    plainIndex = i;
                } else if (type.equals("text/html") || type.startsWith("multipart/")) {
                    richIndex = i;
                }
            }
            for (int i = 0; i < children.size(); i++) {
                MailHeaders h = new MailHeaders(children.get(i).fields);
                String type = HeaderParams.parse(h.first("Content-Type").orElse(null)).value();
                boolean keep = i == plainIndex || i == richIndex || isFile(h) || type.equals("text/calendar")
                        || (plainIndex < 0 && richIndex < 0 && i == children.size() - 1);
                if (keep) {
                    entity(children.get(i).fields, children.get(i).bodyStart, bodies.get(i)[1], childDefault,
                            "alternative", depth + 1);
                }
            }
        }

        private void attachedMessage(MailHeaders h, HeaderParams ct, String cte, int bodyStart, int bodyEnd,
                int depth) throws UnparseableMailException {
            byte[] inner;
            int innerStart;
            int innerEnd;
            if (cte.equals("base64") || cte.equals("quoted-printable")) {
                inner = readAll(new RawContent(data, bodyStart, bodyEnd - bodyStart, cte).open(), Integer.MAX_VALUE - 16);
                innerStart = 0;
                innerEnd = inner.length;
            } else {
                inner = data;
                innerStart = bodyStart;
                innerEnd = bodyEnd;
            }
            try {
                if (innerEnd <= innerStart) {
                    throw new UnparseableMailException("empty attached message");
                }
                attached.add(parseMessage(inner, innerStart, innerEnd, depth + 1, partCount));
            } catch (MailLimitException e) {
                throw e; // a limit holds for the whole mail
            } catch (UnparseableMailException e) {
                problems.add("attached message kept as a file: " + e.getMessage());
                leaf(h, ct, ct.value(), cte, bodyStart, bodyEnd, "");
            }
        }

        private void leaf(MailHeaders h, HeaderParams ct, String type, String cte, int bodyStart, int bodyEnd,
                String container) {
            boolean text = type.equals("text/plain") || type.equals("text/html");
            // a text part with a file name is a file, except when it is the whole message and not an attachment
            boolean wholeMessage = container.isEmpty() && !HeaderParams.parse(h.first("Content-Disposition")
                    .orElse(null)).value().equals("attachment");
            if (text && (wholeMessage || !isFile(h))) {
                bodyText(ct, type, cte, bodyStart, bodyEnd, container);
                return;
            }
            HeaderParams cd = HeaderParams.parse(h.first("Content-Disposition").orElse(null));
            String contentId = h.first("Content-ID").map(v -> v.trim().replaceAll("^<+|>+$", "").trim())
                    .filter(v -> !v.isEmpty()).orElse(null);
            String filename = FileNames.withExtension(FileNames.sanitize(rawFileName(h)), type);
            if (filename == null) {
                filename = FileNames.madeUp(type, parts.size() + 1);
            }
            boolean inline = cd.value().equals("inline") || (cd.value().isEmpty() && contentId != null);
            RawContent content = new RawContent(data, bodyStart, bodyEnd - bodyStart, cte);
            if (Tnef.isTnef(type, filename) && tnef(content)) {
                return;
            }
            parts.add(new MailPart(filename, type, bodyEnd - bodyStart, inline, contentId, content));
        }

        /** Replaces a winmail.dat by the files inside it; false (keep it as a file) when it cannot be read. */
        private boolean tnef(RawContent content) {
            Tnef.Content inside;
            try (InputStream in = content.open()) {
                inside = Tnef.read(in.readAllBytes());
            } catch (IOException e) {
                problems.add("winmail.dat kept as a file: " + e.getMessage());
                return false;
            }
            for (Tnef.File f : inside.files()) {
                String name = FileNames.sanitize(f.name());
                String type = FileNames.typeOf(name);
                if (name == null) {
                    name = FileNames.madeUp(type, parts.size() + 1);
                }
                byte[] bytes = f.data();
                parts.add(new MailPart(name, type, bytes.length, false, null, new BytesContent(bytes)));
            }
            if (inside.body() != null && !inside.body().isBlank()) {
                tnefBody = inside.body().replace("\r\n", "\n");
            }
            return true;
        }

        private void bodyText(HeaderParams ct, String type, String cte, int bodyStart, int bodyEnd, String container) {
            byte[] bytes = readAll(new RawContent(data, bodyStart, bodyEnd - bodyStart, cte).open(), MAX_TEXT_BYTES);
            if (bytes.length >= MAX_TEXT_BYTES) {
                problems.add(type + " body longer than " + MAX_TEXT_BYTES + " bytes, cut");
            }
            String label = ct.param("charset");
            Charset charset = Charsets.forLabel(label);
            if (label == null && type.equals("text/html")) {
                Matcher m = META_CHARSET.matcher(new String(bytes, 0, Math.min(bytes.length, 4096),
                        StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    charset = Charsets.forLabel(m.group(1));
                }
            } else if (label != null && charset == null && !label.trim().matches("(?i)\"?(us-)?ascii\"?")
                    && !label.isBlank()) {
                problems.add("unknown charset '" + abbreviate(label) + "', guessed from the content");
            }
            String s = Charsets.decode(bytes, charset).replace("\r\n", "\n").replace('\r', '\n');
            if (type.equals("text/plain") && "flowed".equalsIgnoreCase(trim(ct.param("format")))) {
                s = FormatFlowed.decode(s, "yes".equalsIgnoreCase(trim(ct.param("delsp"))));
            }
            if (type.equals("text/plain")) {
                UuEncoded.Extracted uu = UuEncoded.extract(s);
                for (UuEncoded.Block b : uu.blocks()) {
                    String name = FileNames.sanitize(b.name());
                    String fileType = FileNames.typeOf(name);
                    parts.add(new MailPart(name == null ? FileNames.madeUp(fileType, parts.size() + 1) : name, fileType,
                            b.encoded().length, false, null, b));
                }
                s = uu.text();
            }
            if (s.isBlank()) {
                return; // an empty text part is no body (mailers add them around attachments)
            }
            boolean inAlternative = container.equals("alternative");
            if (type.equals("text/plain")) {
                if (plain == null) {
                    plain = new StringBuilder(s);
                } else if (!inAlternative) { // Apple Mail & co. split the text around inline images
                    plain.append('\n').append(s);
                }
            } else if (html == null) {
                html = new StringBuilder(s);
            } else {
                html.append('\n').append(s);
            }
        }

        private byte[] readAll(InputStream in, int max) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while (out.size() < max && (n = in.read(buffer, 0, Math.min(buffer.length, max - out.size()))) > 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) { // cannot happen on a byte array; keep what was read
                problems.add("content cut short: " + e.getMessage());
            }
            return out.toByteArray();
        }
    }

    /** A leaf that is a file: attachment disposition or a file name (an inline text part with a name is a file). */
    private static boolean isFile(MailHeaders h) {
        String disposition = HeaderParams.parse(h.first("Content-Disposition").orElse(null)).value();
        return disposition.equals("attachment") || rawFileName(h) != null;
    }

    private static String rawFileName(MailHeaders h) {
        String name = HeaderParams.parse(h.first("Content-Disposition").orElse(null)).param("filename");
        if (name == null || name.isBlank()) {
            name = HeaderParams.parse(h.first("Content-Type").orElse(null)).param("name");
        }
        return name == null || name.isBlank() ? null : EncodedWords.decode(name); // Outlook, Gmail: "=?utf-8?B?...?="
    }

    private static String messageId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String id = firstAngleId(value);
        if (id != null) {
            return id;
        }
        String v = value.trim();
        return v.matches("[^\\s<>]+") ? "<" + v + ">" : null;
    }

    private static String firstAngleId(String value) {
        Matcher m = ANGLE_ID.matcher(value);
        return m.find() && m.group().length() > 2 ? m.group() : null;
    }

    private static Instant date(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add("no Date header");
            return null;
        }
        try {
            Date d = DATE_FORMAT.get().parse(value.trim(), new ParsePosition(0));
            if (d != null) {
                return d.toInstant();
            }
        } catch (RuntimeException e) {
            // fall through to the formats some scripts and old clients write
        }
        for (DateTimeFormatter format : FALLBACK_DATES) {
            try {
                return ZonedDateTime.parse(value.trim().replaceAll("\\s+", " "), format).toInstant();
            } catch (RuntimeException e) {
                // next format
            }
        }
        problems.add("unparseable Date '" + abbreviate(value) + "'");
        return null;
    }

    private static List<EmailAddress> addresses(MailHeaders headers, String name, List<String> problems) {
        List<EmailAddress> out = new ArrayList<>();
        for (String value : headers.values(name)) {
            try {
                for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                    String address = a.getAddress();
                    if (address == null || address.isBlank() || a.isGroup() || BAD_ADDRESS_CHARS.matcher(address).find()) {
                        continue;
                    }
                    String personal = EncodedWords.decode(a.getPersonal());
                    out.add(new EmailAddress(address, personal));
                }
            } catch (AddressException | RuntimeException e) {
                problems.add("unparseable " + name + " '" + abbreviate(value) + "': " + e.getMessage());
                Matcher m = BARE_ADDRESS.matcher(value);
                while (m.find()) {
                    out.add(EmailAddress.of(m.group()));
                }
            }
        }
        return out;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    static String abbreviate(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 57) + "..." : t;
    }
}
