package dev.emailchannel.pickup;

import dev.emailchannel.connect.SslSocketFactoryWrapper;
import java.io.IOException;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocketFactory;

/**
 * The SSL socket factory of one mailbox's session: it wraps the factory the mailbox runtime configured (or the JVM's
 * default) and remembers the plain socket under each TLS connection, so that a connection that stopped answering can
 * be closed from outside.
 *
 * <p>Why: a thread leaving IDLE waits, without any timeout, for the server's answer to DONE (Angus Mail's
 * {@code IMAPFolder.waitIfIdle}), and the task reading that answer skips read timeouts while no byte arrives. Only
 * closing the socket underneath ends both. Closing the plain socket (a {@code SocketChannel}'s socket, as the
 * IdleManager needs) wakes a blocked reader at once; closing the TLS socket would first try to write close_notify.
 */
final class TrackingSocketFactory extends SslSocketFactoryWrapper {

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    TrackingSocketFactory(SSLSocketFactory delegate) {
        super(delegate);
    }

    /** Whether the current connection runs on a {@code SocketChannel} (which the IdleManager needs). */
    boolean channelBacked() {
        return open.stream().anyMatch(s -> !s.isClosed() && s.getChannel() != null);
    }

    /** Closes every connection made through this factory; a thread blocked reading one of them fails at once. */
    void closeAll() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        }
        open.clear();
    }

    /** Remembers {@code tcp}, the socket to close, and returns {@code made}, the socket Angus Mail uses. */
    @Override
    protected Socket made(Socket tcp, Socket made) {
        open.removeIf(Socket::isClosed);
        open.add(tcp);
        return made;
    }
}
