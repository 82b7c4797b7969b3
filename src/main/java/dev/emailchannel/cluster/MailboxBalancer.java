package dev.emailchannel.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who should watch which mailbox, and what this instance does about one mailbox now. Pure: no Camel, no clock, no
 * threads; {@link MailboxLeadership} feeds it what the cluster service reports.
 *
 * <p><b>Preferred owners</b> ({@link #preferredOwners}): rendezvous (highest random weight) hashing of mailbox ids
 * over the live members, with bounded loads: every member gets {@code floor(m/n)} or {@code ceil(m/n)} mailboxes.
 * Every instance computes the same answer from the same mailboxes and members, and a member joining or leaving
 * moves few mailboxes (mostly those it gains or had).
 *
 * <p><b>One mailbox</b> ({@link #decide}): the election (a Camel cluster view per mailbox) guarantees at most one
 * leader; this decides whether to run in it, whether to step down, and whether the leadership counts as ownership:
 * <ul>
 *   <li>the preferred owner always runs, and owns when it leads;</li>
 *   <li>any other instance runs as a standby once its backup delay has passed (so that the preferred owner gets to
 *   the front of the queue first), and owns when it leads, so that a mailbox is taken over as soon as its owner's
 *   session ends;</li>
 *   <li>a standby that leads while the preferred owner is running for the mailbox hands it over: it reports the
 *   loss first, then leaves the election and joins again at its back; only once the membership has settled, so
 *   that two instances with different momentary views do not pass a mailbox back and forth;</li>
 *   <li>without a session nothing is owned, whatever the views still say.</li>
 * </ul>
 */
public final class MailboxBalancer {

    private MailboxBalancer() {
    }

    /**
     * What one instance knows about one mailbox at one moment.
     *
     * @param self         this instance's id
     * @param preferred    the preferred owner ({@link #preferredOwners})
     * @param candidate    this instance runs in the mailbox's election
     * @param leader       this instance leads the mailbox's election
     * @param participants who runs in the election, as the view reports it; empty when the view cannot tell
     * @param sessionUp    the coordination session is alive
     * @param settled      the membership has not changed for a while
     * @param backupDue    this instance's backup delay for the mailbox has passed
     */
    public record Situation(String self, String preferred, boolean candidate, boolean leader, Set<String> participants,
                            boolean sessionUp, boolean settled, boolean backupDue) {
        public Situation {
            participants = Set.copyOf(participants);
        }
    }

    /**
     * What to do.
     *
     * @param run      be a candidate after this step
     * @param handOver leave the election now (and join again at the back when {@code run})
     * @param owner    this instance owns the mailbox: it watches it
     */
    public record Step(boolean run, boolean handOver, boolean owner) {
    }

    public static Step decide(Situation s) {
        if (!s.sessionUp()) {
            return new Step(s.candidate(), false, false);
        }
        if (s.self().equals(s.preferred())) {
            return new Step(s.candidate() || s.settled(), false, s.leader());
        }
        boolean handOver = s.leader() && s.settled() && s.participants().contains(s.preferred());
        boolean run = s.candidate() || (s.settled() && s.backupDue());
        return new Step(run, handOver, s.leader() && !handOver);
    }

    /**
     * The preferred owner of each mailbox.
     *
     * @return mailbox id → member id, for every mailbox; empty when there are no members
     */
    public static Map<String, String> preferredOwners(Collection<String> mailboxes, Collection<String> members) {
        List<String> memberList = List.copyOf(new TreeSet<>(members));
        List<String> order = new TreeSet<>(mailboxes).stream()
                .sorted(Comparator.comparingLong(MailboxBalancer::hash).thenComparing(Comparator.naturalOrder()))
                .toList();
        Map<String, String> owners = new LinkedHashMap<>();
        if (memberList.isEmpty()) {
            return owners;
        }
        int base = order.size() / memberList.size();
        int extra = order.size() % memberList.size(); // members that may carry one more than base
        Map<String, Integer> load = new HashMap<>();
        for (String mailbox : order) {
            List<String> ranking = memberList.stream()
                    .sorted(Comparator.comparingLong((String member) -> score(member, mailbox)).reversed()
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
            for (String member : ranking) {
                int carried = load.getOrDefault(member, 0);
                if (carried < base || (carried == base && extra > 0)) {
                    if (carried == base) {
                        extra--;
                    }
                    load.put(member, carried + 1);
                    owners.put(mailbox, member);
                    break;
                }
            }
        }
        return owners;
    }

    /** The rendezvous weight of a member for a mailbox: the same on every JVM. */
    static long score(String member, String mailbox) {
        return hash(member + '\n' + mailbox);
    }

    private static long hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (digest[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
