package dev.emailchannel.inbound;

import static dev.emailchannel.testing.DispatchFixture.failure;
import static dev.emailchannel.testing.DispatchFixture.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.session.Inbox;
import dev.emailchannel.testing.DispatchFixture;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The auto-reply step on a plain exchange: the mail is finished as skipped, with its reason, and counted. */
class AutoReplyProcessorTest {

    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();
    final AutoReplyProcessor step = new AutoReplyProcessor(f.inbox(), f.metrics(), f.clock());

    @Test
    void should_finish_an_auto_reply_as_skipped_with_its_reason() throws Exception {
        Inbox.Claim claim = f.claim(resource("/mime/gmail-vacation.eml"));
        Exchange exchange = f.afterSession(claim);

        step.process(exchange);

        Inbox.Mail row = f.row(claim.id());
        assertThat(row.state()).isEqualTo(Inbox.SKIPPED);
        assertThat(row.lastError()).isEqualTo("Auto-Submitted: auto-replied");
        assertThat(row.finishedAt()).isEqualTo(DispatchFixture.NOW);
        assertThat(row.leaseOwner()).as("claim released").isNull();
        assertThat(f.count("email.channel.auto.replies")).isEqualTo(1);
        assertThat(f.count("email.channel.mails.delivered")).isZero();
        assertThat(f.outbox().list(null, 10, null)).as("nothing is answered").isEmpty();
    }

    @Test
    void should_leave_the_mail_to_the_dispatcher_that_holds_it_when_the_claim_was_lost() throws Exception {
        Inbox.Claim claim = f.claim(resource("/mime/postfix-dsn.eml"));
        Exchange exchange = f.afterSession(claim);
        Inbox.Claim current = f.takeOver(claim);

        Exception e = failure(step, exchange);

        assertThat(e).isInstanceOf(ClaimLostException.class);
        Inbox.Mail row = f.row(claim.id());
        assertThat(row.state()).isEqualTo(Inbox.PENDING);
        assertThat(row.leaseOwner()).isEqualTo(current.token());
        assertThat(f.count("email.channel.auto.replies")).isZero();
    }
}
