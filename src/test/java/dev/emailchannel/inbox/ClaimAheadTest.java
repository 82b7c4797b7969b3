package dev.emailchannel.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClaimAheadTest {

    static final long MS = 1_000_000;

    @Test
    void should_hold_none_ahead_before_the_first_window_has_passed() {
        ClaimAhead ahead = ClaimAhead.byRate(8, Duration.ofMillis(200), 0);
        assertThat(ahead.ahead(0, 0)).isZero();
        assertThat(ahead.ahead(199 * MS, 50)).as("50 finished, but the window is not over").isZero();
    }

    @Test
    void should_hold_as_many_as_finished_in_the_last_window_at_most_the_maximum() {
        ClaimAhead ahead = ClaimAhead.byRate(8, Duration.ofMillis(200), 0);
        assertThat(ahead.ahead(200 * MS, 3)).isEqualTo(3);
        assertThat(ahead.ahead(300 * MS, 100)).as("kept until the next window ends").isEqualTo(3);
        assertThat(ahead.ahead(400 * MS, 100)).as("97 in the window, at most 8").isEqualTo(8);
        assertThat(ahead.ahead(800 * MS, 104)).as("4 in a window twice as long: 2 per 200 ms").isEqualTo(2);
    }

    @Test
    void should_hold_none_for_an_agent_that_takes_its_time() {
        ClaimAhead ahead = ClaimAhead.byRate(8, Duration.ofMillis(200), 0);
        assertThat(ahead.ahead(200 * MS, 40)).isEqualTo(8);
        assertThat(ahead.ahead(400 * MS, 40)).as("nothing finished in the last window").isZero();
        assertThat(ahead.ahead(1_400 * MS, 42)).as("2 in a second: under one per window").isZero();
    }

    @Test
    void should_hold_none_when_the_maximum_is_none() {
        ClaimAhead ahead = ClaimAhead.byRate(0, Duration.ofMillis(200), 0);
        assertThat(ahead.ahead(200 * MS, 500)).isZero();
    }

    @Test
    void should_always_hold_a_fixed_number() {
        assertThat(ClaimAhead.fixed(2).ahead(0, 0)).isEqualTo(2);
        assertThat(ClaimAhead.fixed(2).ahead(Long.MAX_VALUE, 0)).isEqualTo(2);
    }
}
