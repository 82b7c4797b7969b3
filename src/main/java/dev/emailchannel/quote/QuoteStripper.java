package dev.emailchannel.quote;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a plain-text mail body into what the sender newly wrote and what is quoted history, signature or
 * client footer.
 *
 * <p>Each line is classified once (empty, delimiter, mobile footer, attribution/"original message" marker,
 * header, quote, text; see {@link LineClassifier}); {@link ContextRules} then keeps a marker only where its
 * surroundings corroborate it (losing words the customer wrote is worse than keeping a line of history), and
 * {@link KeepRules} decides on the string of line classes with linear scans. There is no regular expression over the
 * whole text, so the running time is linear in the size of the body.
 *
 * <p>Quotes between answers (inline replies) stay in {@link Result#kept()}, as does a body that is nothing but a
 * quote (what the public reply-trimming suites expect); {@link Result#blocks()} tells the customer's own blocks from
 * the quotes they answer, and {@link Result#history()} is the removed history without its quote marks.
 */
public final class QuoteStripper {

    /**
     * @param kept    the kept (new) text, stripped, with inline quotes; never null
     * @param removed the removed lines (history, signature, footers), stripped; never null
     * @param history the removed quoted history only (no signature or footer), quote marks removed; never null
     * @param blocks  the kept text as runs of the sender's own lines and of quoted lines, in order
     */
    public record Result(String kept, String removed, String history, List<Block> blocks) {
        public Result {
            blocks = List.copyOf(blocks);
        }

        public boolean removedSomething() {
            return !removed.isEmpty();
        }
    }

    /**
     * A run of kept lines.
     *
     * @param quote whether the lines are quoted (an inline quote the sender answered), else the sender's own text
     * @param text  the lines without blank lines around them; quote marks removed from quoted lines
     */
    public record Block(boolean quote, String text) {
    }

    private static final Result EMPTY_RESULT = new Result("", "", "", List.of());

    /** Strips quoted history, signatures after a delimiter line and mobile/client footers. */
    public Result strip(String text) {
        return run(text, true, null);
    }

    /**
     * As {@link #strip(String)}, with the subject of the mail: a header block whose Subject matches it is history
     * for sure (corroboration), one that matches nothing needs other evidence.
     */
    public Result strip(String text, String threadSubject) {
        return run(text, true, threadSubject);
    }

    /** Strips quoted history only; signatures and footers stay (what talon's {@code extract_from_plain} does). */
    public Result stripQuotesOnly(String text) {
        return run(text, false, null);
    }

    private Result run(String text, boolean signatures, String threadSubject) {
        if (text == null || LineClassifier.isBlank(text)) {
            return EMPTY_RESULT;
        }
        List<String> lines = splitAttributionsWithText(splitLines(text));
        char[] cls = classify(lines, signatures);
        ContextRules.apply(lines, cls, threadSubject, signatures);
        boolean[] keep = KeepRules.decide(cls);
        return assemble(lines, cls, keep);
    }

    /** One class per line; wrapped attribution lines are joined (their continuation lines become JOINED). */
    private static char[] classify(List<String> lines, boolean signatures) {
        int n = lines.size();
        char[] cls = new char[n];
        boolean inCode = false;
        for (int i = 0; i < n; i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inCode = !inCode;
                cls[i] = LineClassifier.TEXT;
                continue;
            }
            if (inCode) {
                cls[i] = LineClassifier.isBlank(line) ? LineClassifier.EMPTY : LineClassifier.TEXT;
                continue;
            }
            String alt = alternativeQuote(line);
            if (alt != null) {
                lines.set(i, alt);
                line = alt;
            }
            char c = LineClassifier.classify(line);
            int consumed = 0;
            if (c == LineClassifier.TEXT || c == LineClassifier.QUOTE || c == LineClassifier.HEADER
                    || c == LineClassifier.EMBEDDED && !endsWithColon(line)) {
                consumed = joinWrappedAttribution(lines, cls, i);
                if (consumed > 0) {
                    c = LineClassifier.EMBEDDED;
                }
            }
            if (c == LineClassifier.QUOTE && isShellPrompt(line) && previousIsText(cls, i)) {
                c = LineClassifier.TEXT; // "> npm run build" right below the sender's own text is a prompt
            }
            if (!signatures) {
                if (c == LineClassifier.SIGNATURE) {
                    c = LineClassifier.TEXT;
                } else if (c == LineClassifier.DELIMITER) {
                    c = isLongRule(line) && nextIsHeaderish(lines, i) ? LineClassifier.EMBEDDED : LineClassifier.TEXT;
                }
            }
            cls[i] = c;
            i += consumed;
        }
        return cls;
    }

    private static Result assemble(List<String> lines, char[] cls, boolean[] keep) {
        StringBuilder kept = new StringBuilder();
        StringBuilder removed = new StringBuilder();
        StringBuilder history = new StringBuilder();
        List<Block> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        boolean blockIsQuote = false;
        boolean inHistory = false;
        for (int i = 0; i < lines.size(); i++) {
            char c = cls[i];
            if (c == LineClassifier.JOINED) {
                continue; // continuation of a joined attribution line
            }
            String line = lines.get(i);
            if (keep[i]) {
                kept.append(line).append('\n');
                inHistory = false;
                boolean quote = c == LineClassifier.QUOTE;
                if (c != LineClassifier.EMPTY && quote != blockIsQuote) {
                    addBlock(blocks, block, blockIsQuote);
                    blockIsQuote = quote;
                }
                block.append(quote ? unquote(line) : line).append('\n');
                continue;
            }
            removed.append(line).append('\n');
            if (c == LineClassifier.EMBEDDED || c == LineClassifier.QUOTE || c == LineClassifier.HEADER) {
                inHistory = true;
            }
            if (inHistory) {
                history.append(unquote(line)).append('\n');
            }
        }
        addBlock(blocks, block, blockIsQuote);
        return new Result(kept.toString().strip(), removed.toString().strip(), history.toString().strip(), blocks);
    }

    private static void addBlock(List<Block> blocks, StringBuilder block, boolean quote) {
        String text = trimBlankLines(block.toString());
        if (!text.isEmpty()) {
            blocks.add(new Block(quote, text));
        }
        block.setLength(0);
    }

    /** The text without blank lines at its start and trailing whitespace at its end (indentation stays). */
    private static String trimBlankLines(String s) {
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                start = i + 1;
            } else if (!Character.isWhitespace(c) && c != '\u00a0') {
                break;
            }
            i++;
        }
        return i >= s.length() ? "" : s.substring(start).stripTrailing();
    }

    /** A line without its quote marks ("> > text" and ">> text" become "text"). */
    static String unquote(String line) {
        int i = 0;
        int n = line.length();
        while (true) {
            int j = i;
            while (j < n && (line.charAt(j) == ' ' || line.charAt(j) == '\t')) {
                j++;
            }
            if (j < n && line.charAt(j) == '>') {
                i = j + 1;
                if (i < n && line.charAt(i) == ' ') {
                    i++;
                }
            } else {
                break;
            }
        }
        return line.substring(i);
    }

    /**
     * Yahoo Mail for Android writes the first quoted line on the attribution line itself
     * ("On Mon, Mar 3, 2025 at 9:14 AM, X&lt;x@y.org&gt; wrote:   Hi Linda,"): such a line becomes two lines. Only
     * lines with an address, a colon followed by at least two spaces, and an attribution before it. Linear.
     */
    static List<String> splitAttributionsWithText(List<String> lines) {
        List<String> out = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int cut = line.length() <= LineClassifier.MAX_MARKER_LINE && line.indexOf('@') > 0 ? attributionEnd(line) : -1;
            if (cut > 0) {
                if (out == null) {
                    out = new ArrayList<>(lines.subList(0, i));
                }
                out.add(line.substring(0, cut));
                out.add(line.substring(cut).strip());
            } else if (out != null) {
                out.add(line);
            }
        }
        return out == null ? lines : out;
    }

    private static int attributionEnd(String line) {
        for (int i = line.indexOf(':'); i > 0; i = line.indexOf(':', i + 1)) {
            if (i + 3 < line.length() && line.charAt(i + 1) == ' ' && line.charAt(i + 2) == ' '
                    && !LineClassifier.isBlank(line.substring(i + 1)) && line.lastIndexOf('@', i) > 0
                    && !LineClassifier.isQuote(line) && LineClassifier.isAttribution(line.substring(0, i + 1))) {
                return i + 1;
            }
        }
        return -1;
    }

    private static final String[] COMMANDS = {"$ ", "# ", "npm ", "npx ", "mvn ", "gradle ", "git ", "ls", "cd ",
        "sudo ", "docker ", "kubectl ", "curl ", "wget ", "pip ", "python", "java ", "node ", "yarn ", "make", "./",
        "cat ", "echo ", "ssh ", "scp ", "rm ", "cp ", "mv ", "grep ", "tail ", "systemctl ", "journalctl ", "pnpm ",
        "cargo ", "go ", "dotnet ", "helm ", "terraform ", "ansible", "apt ", "apt-get ", "brew ", "yum ", "dnf ",
        "chmod ", "chown ", "mkdir ", "ping ", "traceroute ", "nslookup ", "dig ",
        "openssl ", "psql ", "mysql ", "sqlite3 ", "redis-cli", "bundle ", "rails ", "rake ", "php ", "composer ",
        "ruby ", "perl ", "pytest", "tox", "ps ", "df ", "du ", "uname", "whoami", "export ",
        "source ", "vim ", "nano ", "tar ", "unzip ", "zip ", "ipconfig", "ifconfig", "netstat",
        "Get-", "Set-"};

    /** "&gt; npm run build": a single-level quote whose content is a shell command. */
    static boolean isShellPrompt(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '>' || line.length() > 200) {
            return false;
        }
        i++;
        if (i < line.length() && line.charAt(i) == '>') {
            return false;
        }
        String rest = line.substring(i).stripLeading();
        for (String c : COMMANDS) {
            if (rest.startsWith(c) && (rest.length() == c.length() || c.endsWith(" ") || rest.charAt(c.length()) == ' ')) {
                return true;
            }
        }
        return false;
    }

    private static boolean previousIsText(char[] cls, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (cls[k] == LineClassifier.EMPTY || cls[k] == LineClassifier.JOINED) {
                continue;
            }
            return cls[k] == LineClassifier.TEXT;
        }
        return false;
    }

    private static boolean isLongRule(String line) {
        String t = line.strip();
        return t.length() >= 5 && (t.charAt(0) == '_' || t.charAt(0) == '-');
    }

    private static boolean nextIsHeaderish(List<String> lines, int i) {
        for (int j = i + 1; j < lines.size() && j < i + 4; j++) {
            String l = lines.get(j);
            if (LineClassifier.isBlank(l)) {
                continue;
            }
            return LineClassifier.isHeaderLine(l) || LineClassifier.isAttribution(l) || LineClassifier.isOriginalMessageMarker(l);
        }
        return false;
    }

    /** "mysql&gt; SELECT …" is a console session the sender pasted, not a "Name&gt; text" quote. */
    private static final java.util.Set<String> PROGRAM_PROMPTS = java.util.Set.of("mysql", "mariadb", "sqlite", "psql",
            "postgres", "sql", "scala", "ghci", "irb", "pry", "iex", "julia", "node", "deno", "redis", "mongo", "mongosh",
            "jshell", "ftp", "sftp", "telnet", "gdb", "lldb", "hive", "spark", "cqlsh", "beeline", "bash", "sh", "zsh",
            "py", "python", "php", "ruby", "lua", "clj", "user", "cmd", "ps", "db", "r", "octave", "matlab", "sage");

    /**
     * "Usenet" quote styles: "Name&gt; text" and "| text" become "&gt; text". Returns null when the line is not one.
     */
    private static String alternativeQuote(String line) {
        if (line.isEmpty()) {
            return null;
        }
        char c0 = line.charAt(0);
        if (c0 == '|' && line.indexOf('|', 1) < 0) {
            return ">" + line.substring(1);
        }
        if (Character.isLetter(c0)) {
            int i = 0;
            while (i < line.length() && i <= 20 && Character.isLetter(line.charAt(i))) {
                i++;
            }
            if (i < line.length() && i <= 20 && line.charAt(i) == '>' && (i + 1 == line.length() || line.charAt(i + 1) == ' ')
                    && !PROGRAM_PROMPTS.contains(line.substring(0, i).toLowerCase(java.util.Locale.ROOT))) {
                return line.substring(i);
            }
        }
        return null;
    }

    /**
     * Attribution lines wrapped over several lines ("On Tue, 3 Mar 2020 at 10:00, Jane Doe &lt;\njane@x.org&gt; wrote:")
     * are joined into one line. Returns how many following lines were joined (0 when none).
     */
    private static int joinWrappedAttribution(List<String> lines, char[] cls, int i) {
        String line = lines.get(i);
        if (line.length() > 300) {
            return 0;
        }
        String first = LineClassifier.stripLead(line, true);
        boolean opener = LineClassifier.startsWithOpener(first);
        boolean hint = opener || first.indexOf('<') >= 0;
        String trimmed = first.strip();
        boolean sentenceEnd = trimmed.endsWith("!") || trimmed.endsWith("?") || trimmed.endsWith(".")
                && trimmed.length() > 1 && Character.isLetter(trimmed.charAt(trimmed.length() - 2)) && trimmed.indexOf('<') < 0;
        if (!hint || sentenceEnd) {
            return 0;
        }
        int textLines = 0;
        StringBuilder joined = new StringBuilder(line);
        int k = 0;
        for (int j = i + 1; j < lines.size() && j <= i + 5; j++) {
            String next = lines.get(j);
            if (next.length() > 300) {
                return 0;
            }
            if (LineClassifier.isBlank(next)) {
                if (!opener) {
                    return 0;
                }
                continue;
            }
            if (LineClassifier.startsWithOpener(LineClassifier.stripLead(next, true)) || ++textLines > 3) {
                return 0;
            }
            joined.append(' ').append(next);
            k = j - i;
            String candidate = joined.toString();
            if (LineClassifier.isAttribution(candidate)) {
                // "... <a@b.org>" + "wrote:" on the next line: take the longer attribution
                int nx = j + 1;
                while (nx < lines.size() && nx <= i + 6 && LineClassifier.isBlank(lines.get(nx)) && opener) {
                    nx++;
                }
                if (!endsWithColon(candidate) && nx < lines.size() && lines.get(nx).length() < 40 && endsWithColon(lines.get(nx))) {
                    String longer = candidate + " " + lines.get(nx);
                    if (LineClassifier.isAttribution(longer)) {
                        candidate = longer;
                        k = nx - i;
                    }
                }
                lines.set(i, candidate);
                for (int m = 1; m <= k; m++) {
                    lines.set(i + m, "");
                    cls[i + m] = LineClassifier.JOINED;
                }
                return k;
            }
            if (joined.length() > 400) {
                return 0;
            }
        }
        return 0;
    }

    private static boolean endsWithColon(String line) {
        String t = line.strip();
        return t.endsWith(":") || t.endsWith("：");
    }

    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int len = text.length();
        if (len > 0 && text.charAt(0) == '\ufeff') {
            start = 1;
        }
        for (int i = start; i < len; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < len) {
            lines.add(text.substring(start));
        }
        return lines;
    }
}
