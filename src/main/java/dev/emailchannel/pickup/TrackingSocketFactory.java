package dev.emailchannel.pickup;

import java.io.IOException;
import java.net.InetAddress;
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
final class TrackingSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    TrackingSocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
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

    /** Remembers {@code plain}, the socket to close, and returns {@code made}, the socket Angus Mail uses. */
    private Socket track(Socket plain, Socket made) {
        open.removeIf(Socket::isClosed);
        open.add(plain);
        return made;
    }

    private Socket track(Socket made) {
        return track(made, made);
    }

    // Angus Mail layers TLS over a connected plain socket (the first method); the others are there for completeness.

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return track(s, delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket() throws IOException {
        return track(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return track(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return track(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return track(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return track(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }
}
