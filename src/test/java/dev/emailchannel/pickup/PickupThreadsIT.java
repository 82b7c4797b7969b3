package dev.emailchannel.pickup;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.emailchannel.testing.AcmeMailServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Regression guard for "no thread per mailbox": 200 mailboxes on GreenMail (IMAPS, IDLE) leave the JVM with the
 * engine's fixed handful of threads, whatever the number of mailboxes. Thread counts are deterministic; no timing is
 * asserted here (the figures are in bench/).
 */
class PickupThreadsIT {

    private static final int MAILBOXES = 200;
    private static final int WORKERS = 4;

    @Test
    void should_watch_200_mailboxes_on_a_fixed_handful_of_threads() throws Exception {
        GreenMail mail = AcmeMailServers.start();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < MAILBOXES; i++) {
            String address = "box" + i + "@acme.test";
            mail.setUser(address, address, "pw-" + i);
            addresses.add(address);
        }
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        List<RecordingSink> sinks = new ArrayList<>();
        List<MailboxWatch> watches = new ArrayList<>();
        try (PickupEngine engine = new PickupEngine(PickupSettings.defaults().withWorkers(WORKERS))) {
            for (int i = 0; i < MAILBOXES; i++) {
                RecordingSink sink = new RecordingSink();
                sinks.add(sink);
                watches.add(engine.watch(new MailboxSource("box" + i, addresses.get(i), "127.0.0.1",
                        mail.getImaps().getPort(), "INBOX", new Properties(),
                        PickupEngineGreenMailIT.password(addresses.get(i), "pw-" + i), null, true, Duration.ofHours(1)),
                        sink, PickupListener.NONE));
            }
            CompletableFuture.allOf(watches.stream().map(MailboxWatch::started).toArray(CompletableFuture[]::new))
                    .get(180, TimeUnit.SECONDS);
            assertThat(watches).allSatisfy(w -> assertThat(w.status().mode()).isEqualTo(PickupMode.IDLE));

            GreenMailUtil.sendTextEmail(addresses.get(137), AcmeMailServers.JANE, "to box 137", "hello",
                    mail.getSmtp().getServerSetup());
            sinks.get(137).awaitContaining("Subject: to box 137", Duration.ofSeconds(30));

            List<String> engineThreads = new ArrayList<>();
            List<String> otherNewThreads = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.isAlive() || before.contains(t)) {
                    continue;
                }
                if (t.getName().startsWith("pickup-")) {
                    engineThreads.add(t.getName());
                } else if (!t.getName().contains("<-")) { // GreenMail's server side: a thread per connection
                    otherNewThreads.add(t.getName());
                }
            }
            assertThat(engineThreads).as("engine threads").hasSizeLessThanOrEqualTo(2 + 3 * WORKERS)
                    .containsOnlyOnce("pickup-idle", "pickup-timer")
                    .allMatch(n -> n.matches("pickup-(idle|timer|worker-[1-4]|store-[1-4]|idle-exit-[1-4])"));
            assertThat(otherNewThreads).as("threads Jakarta Mail would start per store, folder or socket").isEmpty();
            assertThat(sinks).filteredOn(s -> !s.stored.isEmpty()).containsExactly(sinks.get(137));
        } finally {
            mail.stop();
        }
    }
}
