package dev.emailchannel.bench;

import dev.emailchannel.secrets.SecretMasker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What masking secrets costs per log line ({@link SecretMasker}, used by every appender). Not a unit test: run
 * {@code bench/log-masking.sh [mailboxes]}. A connection of N OAuth mailboxes has per mailbox a refresh token, a
 * client secret and up to three access tokens (the newest kept), plus the connection's tokens.
 */
public final class LogMaskingBenchmark {

    private LogMaskingBenchmark() {
    }

    public static void main(String[] args) {
        int mailboxes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> secrets = new ArrayList<>(List.of("agent-token-0123456789", "api-token-abcdefghij",
                "db-password-xyz", "signing-secret-42"));
        for (int i = 0; i < mailboxes; i++) {
            secrets.add("1//0g" + i + "refresh-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
            secrets.add("GOCSPX-client-secret-" + i);
            for (int t = 0; t < 3; t++) {
                secrets.add("ya29.a0AfB_byC" + i + "x" + t + "-access-token-abcdefghijklmnopqrstuvwxyz0123456789");
            }
        }
        SecretMasker masker = new SecretMasker(secrets);
        String line = "2026-12-01T12:00:00.000Z INFO  [Camel (email-channel) thread #7 - imaps://imap.gmail.com] "
                + "AgentResponseProcessor - support@acme.test: <CAF=abc123@mail.gmail.com> delivered to the agent "
                + "(session 5f0c2d3e), reply <x@acme.test> queued";
        StringBuilder trace = new StringBuilder("ERROR [main] X - failed\njava.lang.IllegalStateException: boom\n");
        for (int i = 0; i < 60; i++) {
            trace.append("\tat org.apache.camel.processor.Pipeline$PipelineTask.run(Pipeline.java:").append(i)
                    .append(")\n");
        }
        String withSecret = line + " Bearer " + secrets.get(secrets.size() - 1);
        System.out.printf(Locale.ROOT, "%d secrets, %d forms looked for%n", secrets.size(), masker.formCount());
        for (String[] c : new String[][] {{"plain line, no secret", line}, {"line with a secret", withSecret},
                {"60-frame stack trace", trace.toString()}}) {
            String text = c[1];
            long best = Long.MAX_VALUE;
            int reps = 20_000;
            for (int round = 0; round < 7; round++) {
                long start = System.nanoTime();
                int sink = 0;
                for (int i = 0; i < reps; i++) {
                    sink += masker.mask(text).length();
                }
                long perLine = (System.nanoTime() - start) / reps;
                best = Math.min(best, perLine);
                if (sink == 42) {
                    System.out.println();
                }
            }
            System.out.printf(Locale.ROOT, "%-24s %6d chars  %8.2f µs/line  %6.0f MB/s%n", c[0], text.length(),
                    best / 1000.0, text.length() * 1000.0 / best);
        }
    }
}
