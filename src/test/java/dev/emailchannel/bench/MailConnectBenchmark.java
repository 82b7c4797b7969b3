package dev.emailchannel.bench;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.MailboxSettings.SmtpEncryption;
import dev.emailchannel.config.Secret;
import dev.emailchannel.connect.MailProtocols;
import dev.emailchannel.connect.SmtpSecurity;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.testing.RealMailServers;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * How long the channel's own IMAP and SMTP connections take to sign in (and to send one mail) against real Dovecot +
 * Postfix on this machine, with the channel's connection settings ({@link MailProtocols}: TLS through
 * {@code NoDelaySocketFactory}, Nagle's algorithm off) and with the same settings but Angus Mail's own sockets (Nagle
 * on), alternately in one run. The channel's dispatch starts only once the SMTP sign-in worked, and each reply is
 * sent over a new SMTP connection. Not a JUnit test: run {@code bench/mail-connect.sh [rounds]}.
 */
public final class MailConnectBenchmark {

    private static final String MAILBOX = RealMailServers.BOB;

    private MailConnectBenchmark() {
    }

    private interface Connect {
        void run(Properties p) throws Exception;
    }

    /** One thing timed: the channel's connection settings for it, and what is done with them. */
    private record Step(String name, Properties channel, Connect connect) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        RealMailServers servers = RealMailServers.get();
        System.setProperty("javax.net.ssl.trustStore", servers.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", servers.trustStorePassword());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        String password = servers.password(MAILBOX);
        MailboxSettings submission = settings(servers, servers.submissionPort(), SmtpEncryption.STARTTLS, password);
        MailboxSettings implicit = settings(servers, servers.smtpsPort(), SmtpEncryption.SSL, password);
        Properties starttls = MailProtocols.smtp(submission, SmtpSecurity.STARTTLS_REQUIRED);

        List<Step> steps = List.of(
                new Step("IMAP sign-in (imaps, folder checked)", MailProtocols.imap(submission), p -> {
                    Store store = Session.getInstance(p).getStore("imaps");
                    store.connect(servers.host(), servers.imapsPort(), MAILBOX, password);
                    try {
                        store.getFolder("INBOX").exists();
                    } finally {
                        store.close();
                    }
                }),
                new Step("SMTP sign-in (STARTTLS, submission)", starttls, p -> {
                    try (Transport t = Session.getInstance(p).getTransport("smtp")) {
                        t.connect(servers.host(), servers.submissionPort(), MAILBOX, password);
                    }
                }),
                new Step("SMTP sign-in (implicit TLS)", MailProtocols.smtp(implicit, SmtpSecurity.SSL), p -> {
                    try (Transport t = Session.getInstance(p).getTransport("smtps")) {
                        t.connect(servers.host(), servers.smtpsPort(), MAILBOX, password);
                    }
                }),
                new Step("one reply sent (STARTTLS: sign-in, send, close)", starttls, p -> {
                    Session session = Session.getInstance(p);
                    MimeMessage m = new MimeMessage(session);
                    m.setFrom(new InternetAddress(MAILBOX));
                    m.setRecipient(Message.RecipientType.TO, new InternetAddress(MAILBOX));
                    m.setSubject("Re: connect benchmark");
                    m.setText("One reply of the connect benchmark.\n");
                    try (Transport t = session.getTransport("smtp")) {
                        t.connect(servers.host(), servers.submissionPort(), MAILBOX, password);
                        t.sendMessage(m, m.getAllRecipients());
                    }
                }));

        System.out.printf(Locale.ROOT, "Dovecot + Postfix on %s; %d rounds after 3 warm-ups, the two ways alternately; "
                + "load %s%n", servers.host(), rounds, BenchFigures.loadAverage());
        for (Step step : steps) {
            Properties nagle = new Properties();
            nagle.putAll(step.channel());
            nagle.keySet().removeIf(k -> k.toString().endsWith(".ssl.socketFactory"));
            List<Double> withFactory = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            for (int round = -3; round < rounds; round++) {
                boolean factoryFirst = Math.floorMod(round, 2) == 0;
                for (boolean factory : factoryFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    long t0 = System.nanoTime();
                    step.connect().run(factory ? step.channel() : nagle);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (round >= 0) {
                        (factory ? withFactory : without).add(ms);
                    }
                }
            }
            double a = BenchFigures.median(withFactory);
            double b = BenchFigures.median(without);
            System.out.printf(Locale.ROOT, "%-50s channel (Nagle off) median %6.1f ms, Angus Mail's sockets (Nagle on) "
                    + "%6.1f ms; ratio %.2f%n", step.name(), a, b, a / b);
        }
        servers.clear(MAILBOX);
        System.out.println("reproduce: bench/mail-connect.sh [rounds]");
    }

    private static MailboxSettings settings(RealMailServers servers, int smtpPort, SmtpEncryption encryption,
            String password) {
        return new MailboxSettings(0, new EmailAddress(MAILBOX, "Bench"), new Secret(password), servers.host(),
                servers.imapsPort(), servers.host(), smtpPort, encryption, "Bench", "INBOX", "text/plain", null);
    }
}
