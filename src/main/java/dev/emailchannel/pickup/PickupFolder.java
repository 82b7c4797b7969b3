package dev.emailchannel.pickup;

import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/**
 * The IMAP folder class of the engine's sessions ({@code mail.imaps.folder.class}): it reports new mail and a lost
 * connection straight from the server's responses, on whatever thread reads them (the IdleManager's select thread
 * while idling, a worker otherwise).
 *
 * <p>Why not a {@code MessageCountListener}: Jakarta Mail delivers listener events through an event queue, and each
 * queue starts a thread of its own (one per folder with the default {@code mail.event.scope}). Seeing {@code EXISTS}
 * here means no listener is ever registered, so no event queue and no event thread exist at all. It also sees every
 * {@code EXISTS}, even one that does not raise the folder's message count (the listener path skips those).
 *
 * <p>One more case is caught here: the server may send {@code * n EXISTS} in the same TLS record as the IDLE
 * continuation ({@code + idling}), when mail arrived between the last check and the IDLE command. That response then
 * sits in the client's buffers, where the IdleManager's selector cannot see it until more data arrives. When the
 * continuation is read, unread buffered input is treated as possible new mail.
 */
public class PickupFolder extends IMAPFolder {

    /** What the folder reports. Called with the folder's message cache lock held: only record and hand off. */
    interface ServerEvents {
        void newMail();

        void connectionLost();
    }

    private volatile ServerEvents events;

    public PickupFolder(String fullName, char separator, IMAPStore store, Boolean isNamespace) {
        super(fullName, separator, store, isNamespace);
    }

    public PickupFolder(ListInfo li, IMAPStore store) {
        super(li, store);
    }

    void events(ServerEvents events) {
        this.events = events;
    }

    @Override
    public void handleResponse(Response r) {
        ServerEvents e = events;
        if (e != null) {
            if (r.isBYE()) {
                e.connectionLost();
            } else if (r.isContinuation()) {
                if (protocol != null && protocol.hasResponse()) {
                    e.newMail();
                }
            } else if (r instanceof IMAPResponse ir && ir.keyEquals("EXISTS")) {
                e.newMail();
            }
        }
        super.handleResponse(r);
    }
}
