package dev.emailchannel.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.session.SessionStore.Round;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopGuardTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    final LoopGuard guard = new LoopGuard(30, Duration.ofMinutes(10));

    /** Rounds newest first: each inbound mail {@code answerAfter} after our reply, replies a minute apart. */
    static List<Round> rounds(int count, Duration answerAfter) {
        List<Round> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant ourReply = T0.minus(Duration.ofMinutes(i));
            out.add(new Round(ourReply.plus(answerAfter), ourReply));
        }
        return out;
    }

    @Test
    void should_answer_a_person_who_writes_a_dozen_mails_in_a_few_minutes() {
        List<Round> person = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            person.add(new Round(T0.minusSeconds(20L * i), null)); // new mails, not answers to our replies
        }
        assertThat(guard.holdReason("jane@example.com", 11, person)).isEmpty();
        assertThat(guard.holdReason("jane@example.com", 11, rounds(12, Duration.ofMinutes(3)))).isEmpty();
    }

    @Test
    void should_hold_when_another_robot_answers_every_reply_within_seconds() {
        assertThat(guard.holdReason("bot@example.com", 4, rounds(4, Duration.ofSeconds(3))))
                .hasValueSatisfying(r -> assertThat(r).contains("within 30 s"));
        assertThat(guard.holdReason("bot@example.com", 3, rounds(3, Duration.ofSeconds(3)))).as("three rounds")
                .isEmpty();
        List<Round> mixed = rounds(4, Duration.ofSeconds(3));
        mixed.set(2, new Round(T0, T0.minusSeconds(120)));
        assertThat(guard.holdReason("bot@example.com", 4, mixed)).as("one slow round breaks the pattern").isEmpty();
    }

    @Test
    void should_hold_at_the_cap_counted_on_the_address_the_reply_goes_to() {
        assertThat(guard.holdReason("desk@example.com", 29, List.of())).isEmpty();
        assertThat(guard.holdReason("desk@example.com", 30, List.of()))
                .hasValueSatisfying(r -> assertThat(r).contains("LOOP_GUARD_MAX_REPLIES=30").contains("desk@"));
    }
}
