package dev.emailchannel.connect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS socket factory of every IMAP and SMTP connection ({@code mail.<protocol>.ssl.socketFactory}): the JVM's
 * default (its trust store, its protocols), with Nagle's algorithm switched off on the TCP socket underneath
 * ({@code TCP_NODELAY}) before the TLS handshake.
 *
 * <p>Why: with Nagle on, a small TLS record written right after another one waits for the server to acknowledge the
 * first, and a server delays that acknowledgement by up to 40 ms when it has nothing to send. After the TLS handshake
 * of an SMTP connection the client's first command (EHLO) waited like that twice: an SMTP sign-in to Postfix took
 * 50-100 ms in Java and 3 ms in a client without the wait ({@code bench/mail-connect.sh} measures both ways). The
 * channel's dispatch starts only once the SMTP sign-in worked, and every reply is sent over a new SMTP connection.
 *
 * <p>Angus Mail connects the plain socket itself and layers TLS over it through
 * {@link #createSocket(Socket, String, int, boolean)} — for implicit TLS and for STARTTLS alike — so that method
 * switches the option; the others create and connect their own sockets and switch it too.
 */
public final class NoDelaySocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;

    /** Over the JVM's default TLS socket factory (its trust store: {@code -Djavax.net.ssl.trustStore}). */
    public NoDelaySocketFactory() {
        this((SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    public NoDelaySocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        noDelay(s);
        return delegate.createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket() throws IOException {
        // not connected yet: TCP_NODELAY may be set before connect, and stays
        return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(delegate.createSocket(address, port, localAddress, localPort));
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
