package dev.emailchannel.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * UIDs grouped into the ranges a lookup asks the database for: the sorted UIDs, a new range wherever two neighbours
 * are more than a gap apart. New mail has UIDs next to each other, so a check of a mailbox's unread mail is usually
 * one range; an old unread mail far below them gets a range of its own instead of stretching one range over every
 * mail in between.
 */
final class UidRanges {

    /** Neighbouring UIDs at most this far apart share a range (the rows between them are read and left aside). */
    static final long MAX_GAP = 256;

    private UidRanges() {
    }

    /** @return {@code [first, last]} pairs, ascending, covering every UID in {@code uids}; empty for no UIDs */
    static List<long[]> of(Collection<Long> uids, long maxGap) {
        long[] sorted = uids.stream().mapToLong(Long::longValue).sorted().toArray();
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] - sorted[j] <= maxGap) {
                j++;
            }
            ranges.add(new long[] {sorted[i], sorted[j]});
            i = j + 1;
        }
        return ranges;
    }
}
