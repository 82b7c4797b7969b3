package dev.emailchannel.connect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A TLS socket factory that hands out its delegate's sockets after a look at each: {@link #made} sees every socket
 * with the TCP socket under it. Angus Mail connects the plain socket itself and layers TLS over it through
 * {@link #createSocket(Socket, String, int, boolean)}, for implicit TLS and STARTTLS alike; the other methods connect
 * sockets of their own and are there for completeness.
 */
public abstract class SslSocketFactoryWrapper extends SSLSocketFactory {

    private final SSLSocketFactory delegate;

    protected SslSocketFactoryWrapper(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    /**
     * Called with each socket before it is handed out (and before any TLS handshake on it).
     *
     * @param tcp  the TCP socket underneath: the plain socket TLS was layered over, or {@code made} itself
     * @param made the socket handed out
     * @return the socket to hand out
     */
    protected abstract Socket made(Socket tcp, Socket made) throws IOException;

    private Socket made(Socket made) throws IOException {
        return made(made, made);
    }

    @Override
    public final Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return made(s, delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public final Socket createSocket() throws IOException {
        return made(delegate.createSocket());
    }

    @Override
    public final Socket createSocket(String host, int port) throws IOException {
        return made(delegate.createSocket(host, port));
    }

    @Override
    public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return made(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public final Socket createSocket(InetAddress host, int port) throws IOException {
        return made(delegate.createSocket(host, port));
    }

    @Override
    public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return made(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public final String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public final String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }
}
