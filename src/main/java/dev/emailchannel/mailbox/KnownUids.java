package dev.emailchannel.mailbox;

import java.util.List;
import java.util.Set;

/** The UIDs (of one UIDVALIDITY) whose mail the inbox already holds, so that pickup never downloads them again. */
@FunctionalInterface
public interface KnownUids {

    Set<Long> known(String mailbox, long uidValidity, List<Long> uids);
}
