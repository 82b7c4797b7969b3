package dev.emailchannel.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/**
 * Every TCP socket under a TLS connection of the channel has Nagle's algorithm off, the way Angus Mail makes them
 * (TLS layered over a plain socket it connected itself) and the others; TLS itself is the JVM default's.
 */
class NoDelaySocketFactoryTest {

    @Test
    void tls_over_a_plain_socket_switches_nagle_off_underneath() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            assertThat(plain.getTcpNoDelay()).isFalse(); // the JVM's default, as Angus Mail leaves it

            Socket tls = new NoDelaySocketFactory().createSocket(plain, "localhost", server.getLocalPort(), true);

            assertThat(plain.getTcpNoDelay()).isTrue();
            assertThat(tls).isInstanceOf(SSLSocket.class);
            assertThat(tls.getTcpNoDelay()).isTrue();
            assertThat(((SSLSocket) tls).getEnabledProtocols())
                    .containsExactly(((SSLSocket) SSLSocketFactory.getDefault().createSocket()).getEnabledProtocols());
            tls.close();
            assertThat(plain.isClosed()).as("autoClose passed on").isTrue();
        }
    }

    @Test
    void sockets_it_connects_itself_have_nagle_off() throws Exception {
        NoDelaySocketFactory factory = new NoDelaySocketFactory();
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             Socket unconnected = factory.createSocket();
             Socket byName = factory.createSocket("localhost", server.getLocalPort());
             Socket byAddress = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            assertThat(byName.getTcpNoDelay()).isTrue();
            assertThat(byAddress.getTcpNoDelay()).isTrue();
            assertThat(byName).isInstanceOf(SSLSocket.class);
        }
    }

    @Test
    void cipher_suites_are_the_delegates() {
        SSLSocketFactory jvm = (SSLSocketFactory) SSLSocketFactory.getDefault();
        NoDelaySocketFactory factory = new NoDelaySocketFactory(jvm);
        assertThat(factory.getDefaultCipherSuites()).containsExactly(jvm.getDefaultCipherSuites());
        assertThat(factory.getSupportedCipherSuites()).containsExactly(jvm.getSupportedCipherSuites());
    }
}
