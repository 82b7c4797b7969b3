package dev.emailchannel.reply;

import dev.emailchannel.session.SessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a reply must be held instead of sent, to stop mail loops without ever cutting a person off
 * (SPEC §7). Two signs of another robot answering our answers:
 * <ul>
 *   <li>ping-pong: the customer's latest {@value #PING_PONG_ROUNDS} mails each answered a reply of ours within
 *       {@link #FAST} of it — round after round faster than a person reads and writes;</li>
 *   <li>the cap: {@code LOOP_GUARD_MAX_REPLIES} replies to the address the reply goes to (Reply-To included) within
 *       {@code LOOP_GUARD_WINDOW}, whatever the pace.</li>
 * </ul>
 * A held reply is kept in the outbox, listed and releasable — never dropped.
 */
public final class LoopGuard {

    public static final int DEFAULT_MAX_REPLIES = 30;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    static final int PING_PONG_ROUNDS = 4;
    static final Duration FAST = Duration.ofSeconds(30);

    /** The customer answered a reply of ours within {@link #FAST} of it going out. */
    static boolean fast(SessionStore.Round round) {
        return round.answeredReplyAt() != null && round.receivedAt() != null
                && !round.receivedAt().isBefore(round.answeredReplyAt())
                && Duration.between(round.answeredReplyAt(), round.receivedAt()).compareTo(FAST) <= 0;
    }

    private final int maxReplies;
    private final Duration window;

    public LoopGuard(int maxReplies, Duration window) {
        if (maxReplies < 1) {
            throw new IllegalArgumentException("LOOP_GUARD_MAX_REPLIES must be at least 1, not " + maxReplies);
        }
        this.maxReplies = maxReplies;
        this.window = window;
    }

    public Duration window() {
        return window;
    }

    /**
     * @param recentReplies replies already sent or queued to {@code recipient} within the window
     * @param latestRounds  the customer's latest inbound mails, newest first (this one included)
     * @return why the reply is held, or empty to send it
     */
    public Optional<String> holdReason(String recipient, int recentReplies, List<SessionStore.Round> latestRounds) {
        if (latestRounds.size() >= PING_PONG_ROUNDS
                && latestRounds.subList(0, PING_PONG_ROUNDS).stream().allMatch(LoopGuard::fast)) {
            return Optional.of("mail loop guard: " + recipient + " answered our last " + PING_PONG_ROUNDS
                    + " replies within " + FAST.toSeconds() + " s each (another robot?)");
        }
        if (recentReplies >= maxReplies) {
            return Optional.of("mail loop guard: " + recentReplies + " replies to " + recipient + " in the last "
                    + window.toMinutes() + " min (LOOP_GUARD_MAX_REPLIES=" + maxReplies + ")");
        }
        return Optional.empty();
    }
}
