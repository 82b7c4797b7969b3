package dev.emailchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.cluster.MailboxBalancer.Situation;
import dev.emailchannel.cluster.MailboxBalancer.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MailboxBalancerTest {

    private static List<String> mailboxes(int count) {
        return IntStream.range(0, count).mapToObj(i -> "box" + i + "@acme.test").toList();
    }

    private static List<String> members(int count) {
        return IntStream.range(0, count).mapToObj(i -> "node-" + i).toList();
    }

    @Test
    void should_decide_every_combination_as_specified() {
        int checked = 0;
        for (int bits = 0; bits < 1 << 7; bits++) {
            boolean selfPreferred = (bits & 1) != 0;
            boolean candidate = (bits & 2) != 0;
            boolean leader = (bits & 4) != 0;
            boolean preferredRuns = (bits & 8) != 0;
            boolean sessionUp = (bits & 16) != 0;
            boolean settled = (bits & 32) != 0;
            boolean backupDue = (bits & 64) != 0;
            String preferred = selfPreferred ? "me" : "other";
            Set<String> participants = new java.util.HashSet<>(Set.of("me", "third"));
            if (preferredRuns) {
                participants.add(preferred);
            }
            Step step = MailboxBalancer.decide(new Situation("me", preferred, candidate, leader, participants,
                    sessionUp, settled, backupDue));
            String at = "case " + Integer.toBinaryString(bits);

            assertThat(!step.owner() || (leader && sessionUp)).as(at + ": owns only what it leads, with a session").isTrue();
            assertThat(!step.handOver() || (leader && sessionUp && settled && !selfPreferred && preferredRuns))
                    .as(at + ": hands over only a led mailbox whose preferred owner runs").isTrue();
            assertThat(!step.handOver() || !step.owner()).as(at + ": a handed-over mailbox is not owned").isTrue();
            assertThat(!candidate || step.run()).as(at + ": never leaves an election for good").isTrue();
            if (!sessionUp) {
                assertThat(step).as(at).isEqualTo(new Step(candidate, false, false));
            } else if (selfPreferred) {
                assertThat(step).as(at).isEqualTo(new Step(candidate || settled, false, leader));
            } else {
                boolean handOver = leader && settled && preferredRuns;
                assertThat(step).as(at).isEqualTo(new Step(candidate || (settled && backupDue), handOver,
                        leader && !handOver));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(128);
    }

    @Test
    void should_give_every_member_the_same_number_of_mailboxes_give_or_take_one() {
        for (int n = 1; n <= 6; n++) {
            for (int m = 0; m <= 120; m++) {
                Map<String, String> owners = MailboxBalancer.preferredOwners(mailboxes(m), members(n));
                assertThat(owners).hasSize(m);
                assertThat(owners.values()).allMatch(members(n)::contains);
                Map<String, Long> load = owners.values().stream()
                        .collect(Collectors.groupingBy(o -> o, Collectors.counting()));
                long most = load.values().stream().mapToLong(Long::longValue).max().orElse(0);
                long least = members(n).stream().mapToLong(x -> load.getOrDefault(x, 0L)).min().orElse(0);
                assertThat(most - least).as(m + " mailboxes over " + n + " members").isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void should_give_the_same_answer_whatever_the_order_of_the_input() {
        List<String> boxes = new ArrayList<>(mailboxes(40));
        List<String> nodes = new ArrayList<>(members(5));
        Map<String, String> expected = MailboxBalancer.preferredOwners(boxes, nodes);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(boxes, random);
            Collections.shuffle(nodes, random);
            assertThat(MailboxBalancer.preferredOwners(boxes, nodes)).isEqualTo(expected);
        }
    }

    @Test
    void should_move_few_mailboxes_when_a_member_joins_or_leaves() {
        List<String> boxes = mailboxes(100);
        Map<String, String> three = MailboxBalancer.preferredOwners(boxes, members(3));
        Map<String, String> four = MailboxBalancer.preferredOwners(boxes, members(4));
        long movedToNewcomer = boxes.stream().filter(b -> four.get(b).equals("node-3")).count();
        long movedBetweenOld = boxes.stream().filter(b -> !four.get(b).equals("node-3")
                && !four.get(b).equals(three.get(b))).count();
        assertThat(movedToNewcomer).isEqualTo(25); // its fair share, no more
        assertThat(movedBetweenOld).as("reshuffled among the members already there").isLessThanOrEqualTo(10);

        Map<String, String> two = MailboxBalancer.preferredOwners(boxes, List.of("node-0", "node-1"));
        long survivorsMoved = boxes.stream().filter(b -> !three.get(b).equals("node-2")
                && !two.get(b).equals(three.get(b))).count();
        assertThat(survivorsMoved).as("mailboxes of the members that stay").isLessThanOrEqualTo(10);
    }

    @Test
    void should_assign_nothing_without_members() {
        assertThat(MailboxBalancer.preferredOwners(mailboxes(3), List.of())).isEmpty();
    }
}
