package dev.emailchannel.connect;

import java.io.IOException;
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
 */
public final class NoDelaySocketFactory extends SslSocketFactoryWrapper {

    /** Over the JVM's default TLS socket factory (its trust store: {@code -Djavax.net.ssl.trustStore}). */
    public NoDelaySocketFactory() {
        this((SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    public NoDelaySocketFactory(SSLSocketFactory delegate) {
        super(delegate);
    }

    /** Before the handshake, which Angus Mail starts once it has the socket (or the first read or write does). */
    @Override
    protected Socket made(Socket tcp, Socket made) throws IOException {
        tcp.setTcpNoDelay(true);
        return made;
    }
}
