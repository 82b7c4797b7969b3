package dev.emailchannel.bench;

import dev.emailchannel.testing.RealMailServers;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.eclipse.angus.mail.imap.IMAPMessage;

/**
 * The baseline the pickup and inbox benchmarks compare with: what a plain Jakarta Mail consumer does — search unseen,
 * then per message {@code BODY.PEEK[]} and {@code STORE +FLAGS (\Seen)}.
 */
final class BareImapLoop {

    /** What the loop does with each message it read, before flagging it. */
    interface Each {
        void read(Folder folder, Message message, byte[] raw) throws MessagingException;
    }

    private BareImapLoop() {
    }

    /** Drains the user's unread INBOX; returns how many messages were read. */
    static int drain(RealMailServers servers, String user, Each each) throws MessagingException, IOException {
        int n = 0;
        try (Store store = servers.openStore(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            for (Message m : inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))) {
                ((IMAPMessage) m).setPeek(true);
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                m.writeTo(raw);
                each.read(inbox, m, raw.toByteArray());
                n++;
                m.setFlag(Flags.Flag.SEEN, true);
            }
            inbox.close(false);
        }
        return n;
    }
}
