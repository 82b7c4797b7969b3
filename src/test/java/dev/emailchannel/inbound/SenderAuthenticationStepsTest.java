package dev.emailchannel.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.testing.DispatchFixture;
import dev.emailchannel.trust.SenderAuthentication;
import dev.emailchannel.trust.TrustedAuthservIds;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sender authentication through the parse and session steps: a mail whose DMARC fails at a trusted server never joins
 * the customer's open session (it gets an unverified one of its own); a verified mail and a mail nothing is known
 * about join as before; a forged result from an untrusted server changes nothing.
 */
class SenderAuthenticationStepsTest {

    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();
    final TrustedAuthservIds trusted = new TrustedAuthservIds(List.of("mx.acme.test"));

    static byte[] jane(String id, String authResults) {
        return DispatchFixture.mail((authResults == null ? "" : "Authentication-Results: " + authResults + "\n")
                + "From: Jane Doe <jane@example.com>\nTo: support@acme.test\nSubject: Order 1234\nMessage-ID: " + id,
                "Where is my order?");
    }

    /** Parse and session steps for one mail, then delivered (so the customer's next mail can be claimed). */
    Exchange dispatch(byte[] raw) throws Exception {
        var claim = f.claim(raw);
        Exchange exchange = f.exchange(claim);
        f.parseMail(trusted).process(exchange);
        f.sessionLookup(new AttachmentPolicy(10_485_760)).process(exchange);
        f.inbox().delivered(claim, null, null, DispatchFixture.NOW);
        return exchange;
    }

    @Test
    void should_give_a_mail_failing_dmarc_a_session_of_its_own_marked_unverified() throws Exception {
        SessionRef real = dispatch(jane("<a@example.com>",
                "mx.acme.test; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com; "
                        + "dmarc=pass header.from=example.com")).getVariable(InboundVariables.SESSION,
                                SessionRef.class);

        Exchange forged = dispatch(jane("<b@example.com>",
                "mx.acme.test; spf=fail smtp.mailfrom=example.com; dkim=none; dmarc=fail header.from=example.com"));

        SenderAuthentication auth = forged.getVariable(InboundVariables.AUTHENTICATION, SenderAuthentication.class);
        assertThat(auth.verified()).isFalse();
        assertThat(auth.dmarc()).isEqualTo("fail");
        SessionRef own = forged.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(own.id()).isNotEqualTo(real.id());
        assertThat(own.isNew()).isTrue();
        assertThat(f.sessions().session(own.id()).orElseThrow().verified()).isFalse();
        assertThat(f.sessions().messages(real.id())).as("the forger's mail is not in Jane's conversation").hasSize(1);

        SessionRef next = dispatch(jane("<c@example.com>", "mx.acme.test; dmarc=pass header.from=example.com"))
                .getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(next.id()).as("Jane's next verified mail joins her own session").isEqualTo(real.id());
        assertThat(f.sessions().sessions("jane@example.com", SessionStore.OPEN)).hasSize(2);
    }

    @Test
    void should_ignore_a_result_from_an_untrusted_server_and_join_as_before() throws Exception {
        SessionRef first = dispatch(jane("<a@example.com>", null)).getVariable(InboundVariables.SESSION,
                SessionRef.class);
        Exchange forgedHeader = dispatch(jane("<b@example.com>", "mx.forger.test; dmarc=pass header.from=example.com"));

        assertThat(forgedHeader.getVariable(InboundVariables.AUTHENTICATION, SenderAuthentication.class))
                .isEqualTo(SenderAuthentication.UNKNOWN);
        assertThat(forgedHeader.getVariable(InboundVariables.SESSION, SessionRef.class).id()).isEqualTo(first.id());
    }
}
