package dev.emailchannel.mailbox;

import java.util.List;
import java.util.Set;

/**
 * What the inbox holds of a mailbox, by UID (of one UIDVALIDITY): so that pickup never downloads a stored mail again,
 * and takes again the mail the inbox lost.
 */
public interface KnownUids {

    /** The UIDs among {@code uids} whose mail the inbox holds. */
    Set<Long> known(String mailbox, long uidValidity, List<Long> uids);

    /** The highest UID whose mail the inbox holds, or null when it holds none. */
    Long highest(String mailbox, long uidValidity);
}
