package dev.emailchannel.quote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubjectPrefixesTest {

    @Test
    void should_strip_reply_and_forward_prefixes_of_many_languages() {
        assertThat(SubjectPrefixes.bare("Re: AW: Fwd: WG: Order 1234")).isEqualTo("Order 1234");
        assertThat(SubjectPrefixes.bare("SV: Odp: RE[2]: Order")).isEqualTo("Order");
        assertThat(SubjectPrefixes.bare("回复：转发: 订单")).isEqualTo("订单");
        assertThat(SubjectPrefixes.bare("Order: 1234")).isEqualTo("Order: 1234");
    }

    @Test
    void should_tell_reply_from_forward_prefixes() {
        assertThat(SubjectPrefixes.isReply("AW")).isTrue();
        assertThat(SubjectPrefixes.isReply("Fwd")).isFalse();
        assertThat(SubjectPrefixes.isForward("TR")).isTrue();
        assertThat(SubjectPrefixes.isForward("Re")).isFalse();
    }

    @Test
    void should_match_thread_subjects_without_prefixes_case_or_spacing() {
        assertThat(SubjectPrefixes.sameThread("RE:  order 1234", "Re: AW: Order 1234")).isTrue();
        assertThat(SubjectPrefixes.sameThread("Booking", "Re: Order 1234")).isFalse();
    }
}
