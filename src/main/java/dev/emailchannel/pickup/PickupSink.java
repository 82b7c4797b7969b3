package dev.emailchannel.pickup;

import java.util.List;
import java.util.Set;

/**
 * Where fetched mail goes: the channel's durable inbox. Called on the engine's threads ({@code store} on its store
 * threads, while the mailbox's worker fetches the next batch), one call at a time per mailbox, UIDs and mails in
 * ascending UID order (arrival order).
 */
public interface PickupSink {

    /**
     * Which of these unread UIDs are already stored (e.g. stored, but the {@code \Seen} flag was lost when the
     * connection dropped). They are flagged {@code \Seen} and never downloaded again.
     */
    Set<Long> known(long uidValidity, List<Long> uids) throws Exception;

    /**
     * Stores a batch durably. Returns only when the mails are safe (committed); only then does the engine flag them
     * {@code \Seen} on the server. Throwing leaves them unread: the engine retries later with backoff.
     */
    void store(long uidValidity, List<FetchedMail> batch) throws Exception;

    /**
     * The highest UID (of this UIDVALIDITY) whose mail is stored, or null when none is. Mails the server shows as
     * stored by the channel above it were lost by the inbox (its last writes did not survive a crash) and are
     * fetched again; with nothing stored (a new database) nothing is.
     */
    Long highestStored(long uidValidity) throws Exception;
}
