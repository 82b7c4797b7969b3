package dev.emailchannel.pickup;

import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * The IMAP commands of a check, by UID and on the folder's own connection: {@code UID SEARCH UNSEEN},
 * {@code UID FETCH (RFC822.SIZE INTERNALDATE)}, {@code UID FETCH (BODY.PEEK[])},
 * {@code UID STORE +FLAGS.SILENT (\Seen $EmailChannelStored)} and, once per watch, the search for stored mail the
 * inbox lost. Raw commands rather than {@code Message} objects: one round trip per batch, no per-message objects
 * cached in the folder, and the body bytes exactly as stored on the server.
 *
 * <p>Untagged responses other than FETCH (EXISTS, EXPUNGE, BYE, ...) are passed on to the folder, which keeps its
 * message count right and reports new mail ({@link PickupFolder}); our own FETCH responses are not (the folder would
 * cache their UIDs per message).
 */
final class UidCommands {

    /** Size and arrival time of a mail, read before its body so that batches can be bounded in bytes. */
    record Meta(long size, Instant internalDate) {
    }

    private UidCommands() {
    }

    /**
     * The keyword the pickup sets with {@code \Seen} on every mail it has stored, where the server keeps keywords: the
     * server then knows which read mails are the channel's, even when the channel's database does not any more.
     */
    static final String STORED = "$EmailChannelStored";

    static List<Long> searchUnseen(IMAPFolder folder) throws MessagingException {
        return search(folder, "UNSEEN");
    }

    /** The folder keeps keywords ({@code \*} or {@value #STORED} among its PERMANENTFLAGS). */
    static boolean keepsKeywords(IMAPFolder folder) {
        Flags permanent = folder.getPermanentFlags();
        return permanent != null && (permanent.contains(Flags.Flag.USER) || permanent.contains(STORED));
    }

    /** UIDs above {@code above} that carry {@value #STORED}, ascending. */
    static List<Long> searchStoredAbove(IMAPFolder folder, long above) throws MessagingException {
        List<Long> uids = search(folder, "UID " + (above + 1) + ":* KEYWORD " + STORED);
        uids.removeIf(uid -> uid <= above); // "n:*" names the last message even when its UID is below n
        return uids;
    }

    private static List<Long> search(IMAPFolder folder, String criteria) throws MessagingException {
        Response[] responses = run(folder, "UID SEARCH " + criteria);
        List<Long> uids = new ArrayList<>();
        for (Response r : responses) {
            if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                for (long uid = ir.readLong(); uid != -1; uid = ir.readLong()) {
                    uids.add(uid);
                }
            }
        }
        uids.sort(null);
        return uids;
    }

    /** Size and INTERNALDATE by UID; a UID expunged meanwhile is missing from the map. */
    static Map<Long, Meta> meta(IMAPFolder folder, List<Long> uids) throws MessagingException {
        Map<Long, Meta> meta = new HashMap<>();
        for (FetchResponse f : fetch(folder, uids, "(UID RFC822.SIZE INTERNALDATE)")) {
            UID uid = f.getItem(UID.class);
            RFC822SIZE size = f.getItem(RFC822SIZE.class);
            INTERNALDATE date = f.getItem(INTERNALDATE.class);
            if (uid != null) {
                meta.put(uid.uid, new Meta(size == null ? 0 : size.size,
                        date == null || date.getDate() == null ? null : date.getDate().toInstant()));
            }
        }
        return meta;
    }

    /** The raw mails, in the order of {@code uids}; a UID expunged meanwhile is left out. */
    static List<FetchedMail> bodies(IMAPFolder folder, List<Long> uids, Map<Long, Meta> meta) throws MessagingException {
        Map<Long, ByteArray> raw = new HashMap<>();
        for (FetchResponse f : fetch(folder, uids, "(UID BODY.PEEK[])")) {
            UID uid = f.getItem(UID.class);
            BODY body = f.getItem(BODY.class);
            if (uid != null && body != null && body.getByteArray() != null) {
                raw.put(uid.uid, body.getByteArray()); // the mail within the response's array: not copied
            }
        }
        List<FetchedMail> mails = new ArrayList<>(raw.size());
        for (Long uid : uids) {
            ByteArray b = raw.get(uid);
            if (b != null) {
                Meta m = meta.get(uid);
                mails.add(new FetchedMail(uid, b.getBytes(), b.getStart(), b.getCount(),
                        m == null ? null : m.internalDate()));
            }
        }
        return mails;
    }

    /** Flags the mails {@code \Seen}, and {@value #STORED} too when {@code stored} (the folder keeps keywords). */
    static void markSeen(IMAPFolder folder, List<Long> uids, boolean stored) throws MessagingException {
        run(folder, "UID STORE " + uidSet(uids) + " +FLAGS.SILENT (\\Seen" + (stored ? " " + STORED : "") + ")");
    }

    /** A compact UID set, e.g. {@code 3:7,9,12:13}, from ascending UIDs. */
    static String uidSet(List<Long> ascending) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < ascending.size()) {
            long start = ascending.get(i);
            long end = start;
            while (i + 1 < ascending.size() && ascending.get(i + 1) == end + 1) {
                end = ascending.get(++i);
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append(':').append(end);
            }
            i++;
        }
        return sb.toString();
    }

    private static List<FetchResponse> fetch(IMAPFolder folder, List<Long> uids, String items) throws MessagingException {
        List<FetchResponse> fetched = new ArrayList<>();
        for (Response r : run(folder, "UID FETCH " + uidSet(uids) + " " + items)) {
            if (r instanceof FetchResponse f) {
                fetched.add(f);
            }
        }
        return fetched;
    }

    private static Response[] run(IMAPFolder folder, String command) throws MessagingException {
        return (Response[]) folder.doCommand(p -> run(p, command));
    }

    private static Response[] run(IMAPProtocol p, String command) throws ProtocolException {
        Response[] responses = p.command(command, null);
        Response[] forFolder = responses.clone();
        for (int i = 0; i < forFolder.length; i++) {
            if (forFolder[i] instanceof FetchResponse) {
                forFolder[i] = null;
            }
        }
        p.notifyResponseHandlers(forFolder);
        p.handleResult(responses[responses.length - 1]);
        return responses;
    }
}
