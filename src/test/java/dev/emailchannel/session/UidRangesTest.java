package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UidRangesTest {

    @Test
    void should_join_uids_close_together_and_split_at_wide_gaps() {
        List<long[]> ranges = UidRanges.of(List.of(907L, 3L, 900L, 1L, 2L, 1_402L, 1_145L), 256);
        assertThat(ranges).containsExactly(new long[] {1, 3}, new long[] {900, 1_145}, new long[] {1_402, 1_402});
    }

    @Test
    void should_keep_a_gap_of_exactly_the_limit_in_one_range() {
        assertThat(UidRanges.of(List.of(10L, 266L, 523L), 256)).containsExactly(new long[] {10, 266},
                new long[] {523, 523});
    }

    @Test
    void should_give_one_range_per_uid_when_all_are_far_apart_and_none_for_no_uid() {
        assertThat(UidRanges.of(List.of(1L, 1_000L, 4_294_967_295L), 256)).containsExactly(new long[] {1, 1},
                new long[] {1_000, 1_000}, new long[] {4_294_967_295L, 4_294_967_295L});
        assertThat(UidRanges.of(List.of(), 256)).isEmpty();
    }
}
