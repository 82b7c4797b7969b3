package dev.emailchannel.bench;

import dev.emailchannel.mime.MailParser;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.ForwardedParser;
import dev.emailchannel.quote.HtmlQuoteStripper;
import dev.emailchannel.quote.QuoteStripper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy and speed benchmark of the quote stripper against the public reply-parsing corpora in
 * {@code ../shared/corpora} (see MANIFEST.md there). Not a unit test: run {@code bench/quote-corpus.sh}.
 * Arguments: [corpora dir] [-v] (verbose: print expected and actual for failures).
 */
public final class QuoteCorpusBenchmark {

    private final Path root;
    private final boolean verbose;
    private final QuoteStripper stripper = new QuoteStripper();
    private final HtmlQuoteStripper html = new HtmlQuoteStripper();
    private final ForwardedParser forwards = new ForwardedParser();
    private long bytesProcessed;
    private long nanosProcessing;
    private final List<String> corpusPlain = new ArrayList<>();
    private final List<String> corpusHtml = new ArrayList<>();

    private QuoteCorpusBenchmark(Path root, boolean verbose) {
        this.root = root;
        this.verbose = verbose;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("../shared/corpora");
        boolean verbose = false;
        for (String a : args) {
            if (a.equals("-v")) {
                verbose = true;
            } else {
                root = Path.of(a);
            }
        }
        if (!Files.isDirectory(root)) {
            System.out.println("Corpora not found at " + root.toAbsolutePath() + " — skipping the public suites.");
            QuoteCorpusBenchmark b = new QuoteCorpusBenchmark(root, verbose);
            b.fixtures(Path.of("src/test/resources/eml"));
            b.speed();
            return;
        }
        QuoteCorpusBenchmark b = new QuoteCorpusBenchmark(root, verbose);
        b.fixtures(Path.of("src/test/resources/eml"));
        b.all();
        b.speed();
    }

    private final class Suite {
        final String name;
        int passed;
        int total;
        int lost = -1; // -1: not counted for this suite (its expectation is not a customer text)
        final List<String> failures = new ArrayList<>();

        Suite(String name) {
            this.name = name;
        }

        /** Like {@link #check}, and counts the lines of the expected new text missing from the actual one. */
        void checkText(String id, String expected, String actual) {
            lost = Math.max(lost, 0) + lostLines(expected, actual);
            check(id, expected.equals(actual), expected, actual);
        }

        void check(String id, boolean ok, String expected, String actual) {
            total++;
            if (ok) {
                passed++;
            } else {
                failures.add(id);
                if (verbose) {
                    System.out.println("---- FAIL " + name + " " + id + "\n  expected: " + show(expected) + "\n  actual:   " + show(actual));
                }
            }
        }

        void print() {
            System.out.printf(Locale.ROOT, "%-40s %4d/%-4d (%5.1f %%)%s%n", name, passed, total,
                    total == 0 ? 0.0 : 100.0 * passed / total, lost < 0 ? "" : "   lost customer lines: " + lost);
            for (String f : failures) {
                System.out.println("    FAIL " + f);
            }
        }
    }

    /**
     * Lines of the expected text (stripped, non-blank) that the actual text does not have: words the customer wrote
     * and the agent would not see. Counted as a multiset, so a line expected twice must be there twice.
     */
    static int lostLines(String expected, String actual) {
        java.util.Map<String, Integer> have = new java.util.HashMap<>();
        for (String l : (actual == null ? "" : actual).split("\n")) {
            if (!l.isBlank()) {
                have.merge(l.strip(), 1, Integer::sum);
            }
        }
        int lost = 0;
        for (String l : expected.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            Integer n = have.get(l.strip());
            if (n == null || n == 0) {
                lost++;
            } else {
                have.put(l.strip(), n - 1);
            }
        }
        return lost;
    }

    private static String show(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.replace("\n", "\\n");
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }

    /**
     * The project's own client fixtures ({@code src/test/resources/eml/<family>/<name>.eml} with
     * {@code <name>.expected.txt}): exact matches and lost customer lines per family, through the whole pipeline
     * (MIME parser and {@link dev.emailchannel.quote.NewContentExtractor}), as the agent gets them.
     */
    private void fixtures(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            System.out.println("Fixtures not found at " + dir.toAbsolutePath());
            return;
        }
        MailParser parser = new MailParser();
        dev.emailchannel.quote.NewContentExtractor extractor = new dev.emailchannel.quote.NewContentExtractor();
        java.util.TreeMap<String, Suite> families = new java.util.TreeMap<>();
        Suite all = new Suite("all project fixtures");
        List<Path> emls;
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            emls = files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        for (Path eml : emls) {
            String family = dir.relativize(eml).getName(0).toString();
            String base = eml.getFileName().toString().replace(".eml", "");
            Path expectedFile = eml.resolveSibling(base + ".expected.txt");
            if (!Files.exists(expectedFile)) {
                continue;
            }
            String expected = normalize(Files.readString(expectedFile, StandardCharsets.UTF_8));
            String actual;
            try {
                actual = normalize(extractor.extract(parser.parse(Files.readAllBytes(eml))).text());
            } catch (Exception e) {
                actual = "(" + e + ")";
            }
            Suite f = families.computeIfAbsent(family, k -> new Suite("  " + k));
            f.checkText(base, expected, actual);
            all.checkText(family + "/" + base, expected, actual);
        }
        System.out.println();
        System.out.println("=== Project fixtures (" + emls.size() + " mails in " + dir + ")");
        for (Suite f : families.values()) {
            f.print();
        }
        all.print();
    }

    /** Only trailing whitespace is normalised, as in ClientEmlFixturesTest. */
    private static String normalize(String s) {
        StringBuilder b = new StringBuilder();
        for (String line : s.replace("\r\n", "\n").split("\n", -1)) {
            b.append(line.stripTrailing()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    private void all() throws IOException {
        List<Suite> suites = new ArrayList<>();
        suites.addAll(trimmer());
        suites.add(replyParser());
        suites.addAll(talon());
        suites.add(forwardParser());
        System.out.println();
        System.out.println("=== Accuracy (corpora at " + root.toAbsolutePath().normalize() + ")");
        for (Suite s : suites) {
            s.print();
        }
        if (nanosProcessing > 0) {
            System.out.printf(Locale.ROOT, "first (cold) pass over the corpora: %.1f MB/s over %d bytes%n",
                    bytesProcessed / 1e6 / (nanosProcessing / 1e9), bytesProcessed);
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<String[]> pairs(String corpus) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(root.resolve(corpus).resolve("pairs.tsv"), StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(lines.get(i).split("\t", -1));
            }
        }
        return rows;
    }

    private String read(String corpus, String path) throws IOException {
        return Files.readString(root.resolve(corpus).resolve(path), StandardCharsets.UTF_8);
    }

    private QuoteStripper.Result timedStrip(String text, boolean signatures) {
        long t0 = System.nanoTime();
        QuoteStripper.Result r = signatures ? stripper.strip(text) : stripper.stripQuotesOnly(text);
        corpusPlain.add(text);
        nanosProcessing += System.nanoTime() - t0;
        bytesProcessed += text.getBytes(StandardCharsets.UTF_8).length;
        return r;
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    // ------------------------------------------------------------------ suites

    private List<Suite> trimmer() throws IOException {
        Suite trimmed = new Suite("email_reply_trimmer trimmed");
        Suite elided = new Suite("email_reply_trimmer elided");
        Suite before = new Suite("email_reply_trimmer embedded/before");
        for (String[] row : pairs("email_reply_trimmer")) {
            String input = read("email_reply_trimmer", row[1]).strip();
            if (row[0].equals("trim")) {
                QuoteStripper.Result r = timedStrip(input, true);
                String expT = read("email_reply_trimmer", row[2]).strip();
                String expE = read("email_reply_trimmer", row[3]).strip();
                trimmed.checkText(name(row[1]), expT, r.kept());
                elided.check(name(row[1]), r.removed().equals(expE), expE, r.removed());
            } else if (row[0].equals("extract_embedded")) {
                String expBefore = read("email_reply_trimmer", row[3]).strip();
                ForwardedParser.Result f = forwards.parse(input, null);
                String note = f.found() ? f.note() : stripper.strip(input).kept();
                before.checkText(name(row[1]) + " (before)", expBefore, note);
            }
        }
        return List.of(trimmed, elided, before);
    }

    private Suite replyParser() throws IOException {
        Suite s = new Suite("email_reply_parser exact");
        for (String[] row : pairs("email_reply_parser")) {
            if (!row[0].equals("parse_reply_exact")) {
                continue;
            }
            String expected = unjson(row[2]);
            String input = read("email_reply_parser", row[1]);
            QuoteStripper.Result r = timedStrip(input, true);
            s.checkText(name(row[1]), expected, r.kept());
        }
        return s;
    }

    private static String unjson(String s) {
        String t = s.strip();
        if (t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length()) {
                char d = t.charAt(++i);
                b.append(d == 'n' ? '\n' : d == 't' ? '\t' : d);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String noSpace(String s) {
        return s == null ? "" : s.replaceAll("\\s+", "");
    }

    private List<Suite> talon() throws IOException {
        Suite plain = new Suite("talon standard_replies (plain)");
        Suite htmlSuite = new Suite("talon html_replies");
        Suite exact = new Suite("talon html exact + weak");
        Suite emlHtml = new Suite("talon standard_replies HTML part (extra)");
        Suite emlFull = new Suite("talon standard_replies via NewContentExtractor (extra)");
        dev.emailchannel.quote.NewContentExtractor extractor = new dev.emailchannel.quote.NewContentExtractor();
        MailParser parser = new MailParser();
        for (String[] row : pairs("talon")) {
            String kind = row[0];
            String path = row[1];
            String expected = row[2];
            try {
                switch (kind) {
                    case "plain_eml" -> {
                        ParsedMail mail = parser.parse(Files.readAllBytes(root.resolve("talon").resolve(path)));
                        String text = mail.plainText() == null ? "" : mail.plainText();
                        String exp = expected.startsWith("LITERAL:") ? unjson(expected.substring(8))
                                : read("talon", expected).strip();
                        String got = timedStrip(text, false).kept();
                        plain.checkText(name(path), exp, got);
                        if (mail.html() != null) {
                            String h = html.strip(mail.html()).text();
                            emlHtml.check(name(path), noSpace(h).equals("Hello"), "Hello", h);
                        }
                        String full = extractor.extract(mail).text();
                        emlFull.checkText(name(path), "Hello", full);
                    }
                    case "html" -> {
                        String exp = unjson(expected.substring(8));
                        String doc = read("talon", path);
                        corpusHtml.add(doc);
                        long t0 = System.nanoTime();
                        HtmlQuoteStripper.Result r = html.strip(doc);
                        nanosProcessing += System.nanoTime() - t0;
                        bytesProcessed += doc.length();
                        htmlSuite.check(name(path), noSpace(r.text()).equals(noSpace(exp)), exp, r.text());
                    }
                    case "html_exact" -> {
                        String exp = expected.substring(8);
                        HtmlQuoteStripper.Result r = html.strip(read("talon", path));
                        exact.check(name(path), noSpace(r.keptHtml()).equals(noSpace(exp)), exp, r.keptHtml());
                    }
                    case "plain_weak" -> {
                        String got = timedStrip(read("talon", path), false).kept();
                        exact.check(name(path), !got.isBlank() && !got.contains("From"), "non-empty, no From", got);
                    }
                    default -> {
                        // signature ML fixtures are not quote stripping; not scored
                    }
                }
            } catch (Exception e) {
                (kind.equals("plain_eml") ? plain : kind.equals("html") ? htmlSuite : exact)
                        .check(name(path) + " (" + e + ")", false, expected, String.valueOf(e));
            }
        }
        return List.of(plain, htmlSuite, exact, emlHtml, emlFull);
    }

    private Suite forwardParser() throws IOException {
        Suite s = new Suite("email-forward-parser");
        String body = read("email-forward-parser", "test/fixtures/gmail_en_body.txt");
        String constBody = body.substring(body.indexOf("\n\n") + 2).strip();
        String message = "Praesent suscipit egestas hendrerit.\n\nAliquam eget dui dui.";
        String subject = "Integer consequat non purus";
        for (String[] row : pairs("email-forward-parser")) {
            String in = read("email-forward-parser", row[1]);
            String subj = row[2].isEmpty() ? null : read("email-forward-parser", row[2]).strip();
            boolean expectFwd = row[3].equals("true");
            long t0 = System.nanoTime();
            ForwardedParser.Result r = forwards.parse(in, subj);
            nanosProcessing += System.nanoTime() - t0;
            bytesProcessed += in.length();
            String id = row[0] + " " + name(row[1]);
            if (!expectFwd) {
                s.check(id, !r.found(), "not forwarded", r.found() ? "forwarded: " + r.message() : "not forwarded");
                continue;
            }
            if (!r.found()) {
                s.check(id, false, "forwarded", "not forwarded");
                continue;
            }
            List<String> problems = new ArrayList<>();
            String fwdSubject = r.message().subject() == null ? "" : r.message().subject();
            if (!fwdSubject.equals(subject)) {
                problems.add("subject=" + show(fwdSubject));
            }
            String from = r.message().from() == null ? "" : r.message().from();
            if (!(from.contains("john.doe@acme.com") || from.contains("John Doe"))) {
                problems.add("from=" + show(from));
            }
            String expBody = row[5];
            String gotBody = r.message().text() == null ? "" : r.message().text().strip();
            if (expBody.equals("BODY")) {
                if (!gotBody.equals(constBody)) {
                    problems.add("body=" + show(gotBody));
                }
            } else if (expBody.startsWith("DERIVED")) {
                java.util.regex.Matcher sm = java.util.regex.Pattern.compile("Subject:[ \\t]*" + subject + "[ \\t]*\\r?\\n").matcher(in);
                String derived = sm.find() ? in.substring(sm.end()) : "";
                if (expBody.contains("quote prefixes removed")) {
                    derived = derived.replaceAll("(?m)^> ?", "");
                }
                derived = derived.replace("\ufeff", "").strip();
                if (!gotBody.equals(derived)) {
                    problems.add("body=" + show(gotBody));
                }
            }
            String expMsg = row[4];
            if (expMsg.equals("null") && !r.note().isEmpty()) {
                problems.add("note=" + show(r.note()));
            } else if (expMsg.equals("MESSAGE") && !r.note().equals(message)) {
                problems.add("note=" + show(r.note()));
            }
            if (expMsg.equals("MESSAGE")) {
                s.lost = Math.max(s.lost, 0) + lostLines(message, r.note());
            }
            s.check(id + (problems.isEmpty() ? "" : " " + problems), problems.isEmpty(), "", String.join("; ", problems));
        }
        return s;
    }

    // ------------------------------------------------------------------ speed

    private void speed() {
        StringBuilder big = new StringBuilder();
        int i = 0;
        while (big.length() < 5_000_000) {
            big.append("Line ").append(i).append(" of the new text, with some words in it.\n");
            if (i % 50 == 0) {
                big.append("\nOn Mon, 3 Mar 2025 at 10:").append(i % 60).append(", Jane <jane@example.com> wrote:\n");
            }
            big.append("> quoted line ").append(i).append(" > with > marks From: x Sent: y wrote:\n");
            i++;
        }
        String fiveMb = big.toString();
        StringBuilder lines = new StringBuilder();
        lines.append("Thanks, this is my answer.\n\nOn Tue, 4 Mar 2025 at 09:00, Bob <bob@example.com> wrote:\n");
        for (int k = 0; k < 100_000; k++) {
            lines.append(k % 3 == 0 ? "> " : ">> ").append("quoted ").append(k).append('\n');
        }
        String hundredK = lines.toString();
        StringBuilder longLine = new StringBuilder("On ");
        while (longLine.length() < 1_000_000) {
            longLine.append("On a wrote: b <x@y> ");
        }
        String pathological = longLine.toString();
        for (int w = 0; w < 5; w++) {
            stripper.strip(fiveMb);
            stripper.strip(hundredK);
            stripper.strip(pathological);
        }
        System.out.println();
        System.out.println("=== Speed (after 5 warm-up runs, best of 5)");
        if (!corpusPlain.isEmpty()) {
            long plainBytes = 0;
            for (String t : corpusPlain) {
                plainBytes += t.getBytes(StandardCharsets.UTF_8).length;
            }
            long htmlBytes = 0;
            for (String t : corpusHtml) {
                htmlBytes += t.getBytes(StandardCharsets.UTF_8).length;
            }
            long bestPlain = Long.MAX_VALUE;
            long bestHtml = Long.MAX_VALUE;
            for (int round = 0; round < 25; round++) {
                long t0 = System.nanoTime();
                for (String t : corpusPlain) {
                    stripper.strip(t);
                }
                long t1 = System.nanoTime();
                for (String t : corpusHtml) {
                    html.strip(t);
                }
                long t2 = System.nanoTime();
                if (round >= 5) {
                    bestPlain = Math.min(bestPlain, t1 - t0);
                    bestHtml = Math.min(bestHtml, t2 - t1);
                }
            }
            System.out.printf(Locale.ROOT, "%-40s %8.1f ms  (%.1f MB/s, %d bodies)%n", "corpora, plain-text bodies (warm)",
                    bestPlain / 1e6, plainBytes / 1e6 / (bestPlain / 1e9), corpusPlain.size());
            System.out.printf(Locale.ROOT, "%-40s %8.1f ms  (%.1f MB/s, %d documents)%n", "corpora, HTML bodies (warm)",
                    bestHtml / 1e6, htmlBytes / 1e6 / (bestHtml / 1e9), corpusHtml.size());
        }
        report("1 MB message (linearity)", fiveMb.substring(0, fiveMb.indexOf('\n', 1_000_000) + 1));
        report("5 MB message (" + fiveMb.length() / 1000 + " k chars)", fiveMb);
        report("10 MB message (linearity)", fiveMb + fiveMb);
        report("100,000-line quoted message", hundredK);
        report("1 MB single pathological line", pathological);
        String htmlDoc = "<html><body><div>Hello</div><div class=\"gmail_quote\"><blockquote>"
                + "<p>quoted paragraph with some text</p>".repeat(120_000) + "</blockquote></div></body></html>";
        for (int w = 0; w < 3; w++) {
            html.strip(htmlDoc);
        }
        long best = Long.MAX_VALUE;
        for (int w = 0; w < 3; w++) {
            long t0 = System.nanoTime();
            html.strip(htmlDoc);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf(Locale.ROOT, "%-40s %8.1f ms  (%.1f MB/s)%n", "5 MB Gmail HTML message", best / 1e6,
                htmlDoc.length() / 1e6 / (best / 1e9));
        // the whole extractor on a mail with both bodies (plain 5 MB + HTML 5 MB) and an inline forward in it
        dev.emailchannel.quote.NewContentExtractor extractor = new dev.emailchannel.quote.NewContentExtractor();
        dev.emailchannel.mime.ParsedMail mail = new dev.emailchannel.mime.ParsedMail("<b@x>", null, List.of(), null,
                List.of(), List.of(), List.of(), "Re: big", null, new dev.emailchannel.mime.MailHeaders(List.of()),
                fiveMb, htmlDoc, List.of(), List.of(), List.of());
        for (int w = 0; w < 3; w++) {
            extractor.extract(mail);
        }
        best = Long.MAX_VALUE;
        for (int w = 0; w < 3; w++) {
            long t0 = System.nanoTime();
            extractor.extract(mail);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf(Locale.ROOT, "%-40s %8.1f ms%n", "NewContentExtractor, 5 MB plain + 5 MB HTML", best / 1e6);
    }

    /**
     * Best of 7 runs, by wall-clock time and by the CPU time of the stripping thread (garbage collection, done by
     * other threads, not included). The CPU figure is the one to compare across runs: on a shared machine the
     * wall-clock time also counts the time other processes held the cores.
     */
    private void report(String label, String text) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        for (int k = 0; k < 7; k++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            stripper.strip(text);
            best = Math.min(best, System.nanoTime() - t0);
            bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - c0);
        }
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        String cpu = bestCpu <= 0 ? "below the clock's resolution"
                : String.format(Locale.ROOT, "%8.1f ms CPU (%6.1f MB/s)", bestCpu / 1e6, mb / (bestCpu / 1e9));
        System.out.printf(Locale.ROOT, "%-40s %8.1f ms wall (%6.1f MB/s)  %s%n", label, best / 1e6, mb / (best / 1e9), cpu);
    }
}
