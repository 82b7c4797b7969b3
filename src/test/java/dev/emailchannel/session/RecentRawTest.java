package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecentRawTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void should_hand_out_a_copy_once() {
        RecentRaw recent = new RecentRaw(100, 50);
        byte[] buffer = bytes("xxHelloxx");
        recent.put(1, buffer, 2, 5);
        buffer[2] = 'J';
        assertThat(recent.bytes()).isEqualTo(5);
        assertThat(recent.take(1)).asString().isEqualTo("Hello");
        assertThat(recent.take(1)).isNull();
        assertThat(recent.take(2)).isNull();
        assertThat(recent.bytes()).isZero();
    }

    @Test
    void should_forget_the_oldest_first_and_keep_no_mail_over_the_bound() {
        RecentRaw recent = new RecentRaw(10, 6);
        recent.put(1, bytes("aaaa"), 0, 4);
        recent.put(2, bytes("bbbb"), 0, 4);
        recent.put(3, bytes("ccccccc"), 0, 7); // larger than one mail may be
        assertThat(recent.bytes()).isEqualTo(8);
        recent.put(4, bytes("dddddd"), 0, 6); // 14 bytes: the oldest goes
        assertThat(recent.bytes()).isEqualTo(10);
        assertThat(recent.take(1)).isNull();
        assertThat(recent.take(3)).isNull();
        assertThat(recent.take(2)).asString().isEqualTo("bbbb");
        assertThat(recent.take(4)).asString().isEqualTo("dddddd");
        assertThat(recent.bytes()).isZero();
    }

    @Test
    void should_count_a_row_put_twice_once() {
        RecentRaw recent = new RecentRaw(100, 50);
        recent.put(1, bytes("aaaa"), 0, 4);
        recent.put(1, bytes("bb"), 0, 2);
        assertThat(recent.bytes()).isEqualTo(2);
        assertThat(recent.take(1)).asString().isEqualTo("bb");
        assertThat(recent.bytes()).isZero();
    }
}
