package dev.emailchannel.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Authenticator;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The small parts of the pickup engine that need no server. */
class PickupPartsTest {

    private static MailboxSource source(Properties p, Duration interval, int port) {
        return new MailboxSource("m", "sales@acme.test", "imap.acme.test", port, "INBOX", p, new Authenticator() { },
                null, true, interval);
    }

    @Test
    void should_write_compact_uid_sets() {
        assertThat(UidCommands.uidSet(List.of(3L, 4L, 5L, 6L, 7L, 9L, 12L, 13L))).isEqualTo("3:7,9,12:13");
        assertThat(UidCommands.uidSet(List.of(42L))).isEqualTo("42");
        assertThat(UidCommands.uidSet(List.of(1L, 3L, 5L))).isEqualTo("1,3,5");
        assertThat(UidCommands.uidSet(List.of(4294967294L, 4294967295L))).isEqualTo("4294967294:4294967295");
    }

    @Test
    void should_double_the_delay_up_to_the_cap_with_jitter_below_it() {
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(8);
        for (int i = 0; i < 50; i++) {
            assertThat(Backoff.delay(1, initial, max)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1));
            assertThat(Backoff.delay(3, initial, max)).isBetween(Duration.ofMillis(3200), Duration.ofSeconds(4));
            assertThat(Backoff.delay(30, initial, max)).isBetween(Duration.ofMillis(6400), max);
        }
    }

    @Test
    void should_refuse_a_mailbox_that_cannot_work() {
        assertThatThrownBy(() -> source(new Properties(), Duration.ofSeconds(15), 0))
                .hasMessage("sales@acme.test: IMAP port 0 is out of range (1-65535)");
        assertThatThrownBy(() -> source(new Properties(), Duration.ZERO, 993))
                .hasMessage("sales@acme.test: the check interval must be positive, not PT0S");
        Properties trustAll = new Properties();
        trustAll.setProperty("mail.imaps.ssl.trust", "*");
        assertThatThrownBy(() -> source(trustAll, Duration.ofSeconds(15), 993))
                .hasMessageStartingWith("sales@acme.test: mail.imaps.ssl.trust is not supported by the pickup engine");
    }

    @Test
    void should_keep_its_own_copy_of_the_session_properties() {
        Properties p = new Properties();
        p.setProperty("mail.imaps.timeout", "1000");
        MailboxSource s = source(p, Duration.ofSeconds(15), 993);
        p.setProperty("mail.imaps.timeout", "2");
        s.sessionProperties().setProperty("mail.imaps.timeout", "3");
        assertThat(s.sessionProperties().getProperty("mail.imaps.timeout")).isEqualTo("1000");
        assertThat(s.toString()).doesNotContain("timeout");
    }

    @Test
    void should_refuse_settings_that_break_the_rules() {
        PickupSettings d = PickupSettings.defaults();
        assertThatThrownBy(() -> d.withIdle(Duration.ofMinutes(29), Duration.ofSeconds(30)))
                .hasMessageContaining("before 29 minutes");
        assertThatThrownBy(() -> d.withBatches(50, 8L << 20, 8L << 20)).hasMessageContaining("must hold one batch twice");
        assertThatThrownBy(() -> d.withWorkers(0)).hasMessageContaining("at least 1");
    }

    @Test
    void should_make_a_batch_wait_until_the_budget_has_room() throws Exception {
        ByteBudget budget = new ByteBudget(4 << 20);
        ByteBudget.Lease first = budget.acquire(1 << 20); // takes 2 MiB
        ByteBudget.Lease second = budget.acquire(1 << 20); // the other 2 MiB
        CompletableFuture<ByteBudget.Lease> third = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.acquire(100 << 20); // larger than the budget: takes all of it
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(third).isNotDone();
        first.close();
        assertThat(third).isNotDone();
        second.close();
        third.get(5, TimeUnit.SECONDS).close();
    }
}
