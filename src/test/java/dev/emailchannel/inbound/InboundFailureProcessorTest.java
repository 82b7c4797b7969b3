package dev.emailchannel.inbound;

import static dev.emailchannel.testing.DispatchFixture.NOW;
import static dev.emailchannel.testing.DispatchFixture.janeAsks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.emailchannel.agent.AgentSetupException;
import dev.emailchannel.agent.AgentUnavailableException;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.testing.DispatchFixture;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatch route's error step on a plain exchange, for each kind of failure: agent or storage unavailable
 * (pending, backoff, Retry-After honoured), the agent's set-up wrong (pending, shown in the status), the mail failing
 * on its own (parked at the third failure), a lost claim (nothing recorded).
 */
class InboundFailureProcessorTest {

    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();
    final InboundFailureProcessor step = new InboundFailureProcessor(f.inbox(), f.state(), f.metrics(), f.clock());

    /** Runs the step as the route's onException does: the failure in {@link Exchange#EXCEPTION_CAUGHT}. */
    Inbox.Mail fail(Inbox.Claim claim, Exception cause, boolean agentCalled) {
        Exchange exchange = f.exchange(claim);
        if (agentCalled) {
            exchange.setVariable(InboundVariables.AGENT_CALL_STARTED, System.nanoTime());
        }
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        step.process(exchange);
        return f.row(claim.id());
    }

    @Test
    void should_keep_the_mail_pending_with_growing_backoff_while_the_agent_is_unreachable() {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Hello"));

        Inbox.Mail first = fail(claim, new ConnectException("Connection refused"), true);

        assertThat(first.state()).isEqualTo(Inbox.PENDING);
        assertThat(first.failures()).as("not the mail's fault").isZero();
        assertThat(first.nextAttemptAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(first.lastError()).isEqualTo("Connection refused");
        assertThat(first.leaseOwner()).as("claim released").isNull();
        assertThat(f.agentCalls("unavailable")).isEqualTo(1);
        assertThat(f.state().agentError()).isNull();

        Inbox.Mail second = fail(f.claimNext(), new AgentUnavailableException("agent answered HTTP 503"), true);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.nextAttemptAt()).isEqualTo(NOW.plusSeconds(4));
        assertThat(second.failures()).isZero();

        Inbox.Claim claim3 = f.claimNext();
        for (int i = 3; i < 12; i++) {
            fail(claim3, new AgentUnavailableException("agent answered HTTP 502"), false);
            claim3 = f.claimNext();
        }
        Inbox.Mail later = fail(claim3, new AgentUnavailableException("agent answered HTTP 502"), false);
        assertThat(later.state()).as("never parked for an outage").isEqualTo(Inbox.PENDING);
        assertThat(later.nextAttemptAt()).as("capped at a minute").isEqualTo(NOW.plusSeconds(60));
        assertThat(f.count("email.channel.mails.parked")).isZero();
    }

    @Test
    void should_wait_as_long_as_the_agents_retry_after_asks_up_to_an_hour() {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Hello"));

        Inbox.Mail asked = fail(claim, new AgentUnavailableException("agent answered HTTP 429",
                Duration.ofSeconds(120)), true);
        assertThat(asked.nextAttemptAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(asked.lastError()).isEqualTo("agent answered HTTP 429");

        Inbox.Mail capped = fail(f.claimNext(), new AgentUnavailableException("agent answered HTTP 503",
                Duration.ofHours(5)), true);
        assertThat(capped.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(capped.state()).isEqualTo(Inbox.PENDING);
    }

    @Test
    void should_keep_the_mail_pending_and_show_the_agent_error_when_the_agents_set_up_is_wrong() {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Hello"));

        Inbox.Mail row = fail(claim, new AgentSetupException("agent answered HTTP 401: bad token"), true);

        assertThat(row.state()).isEqualTo(Inbox.PENDING);
        assertThat(row.failures()).isZero();
        assertThat(row.nextAttemptAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(f.state().agentError()).isEqualTo("agent answered HTTP 401: bad token");
        assertThat(f.agentCalls("unavailable")).as("the agent did not take it").isEqualTo(1);

        Inbox.Mail unknown = fail(f.claimNext(), new ResolveEndpointFailedException("kafka:agent",
                new IllegalArgumentException("No component found with scheme: kafka")), false);
        assertThat(unknown.state()).isEqualTo(Inbox.PENDING);
        assertThat(unknown.failures()).isZero();
        assertThat(f.state().agentError()).contains("kafka:agent");
    }

    @Test
    void should_park_a_mail_that_fails_on_its_own_at_its_third_failure() {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Hello"));
        RejectedMailException refused = new RejectedMailException("agent refused the email with HTTP 422", null);

        Inbox.Mail first = fail(claim, refused, true);
        assertThat(first.state()).isEqualTo(Inbox.PENDING);
        assertThat(first.failures()).isEqualTo(1);
        assertThat(first.nextAttemptAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(f.agentCalls("refused")).isEqualTo(1);

        Inbox.Mail second = fail(f.claimNext(), refused, true);
        assertThat(second.state()).isEqualTo(Inbox.PENDING);
        assertThat(second.failures()).isEqualTo(2);
        assertThat(f.count("email.channel.mails.parked")).isZero();

        Inbox.Mail third = fail(f.claimNext(), refused, true);
        assertThat(third.state()).isEqualTo(Inbox.PARKED);
        assertThat(third.failures()).isEqualTo(3);
        assertThat(third.finishedAt()).isEqualTo(NOW);
        assertThat(third.lastError()).isEqualTo("agent refused the email with HTTP 422");
        assertThat(f.count("email.channel.mails.parked")).isEqualTo(1);
        assertThat(f.inbox().raw(claim.id())).as("raw mail kept").isNotEmpty();
    }

    @Test
    void should_count_content_the_database_refuses_as_the_mails_own_failure() {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Hello"));

        Inbox.Mail row = fail(claim, new IllegalStateException("cannot store the message",
                new SQLException("Value too long for column \"SUBJECT\"", "22001")), false);

        assertThat(row.failures()).isEqualTo(1);
        assertThat(row.lastError()).isEqualTo("cannot store the message: Value too long for column \"SUBJECT\"");
        assertThat(f.agentCalls("refused")).as("no agent call was made").isZero();
    }

    @Test
    void should_record_nothing_when_the_claim_was_lost() {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Hello"));
        Inbox.Claim current = f.takeOver(claim);

        Inbox.Mail afterLost = fail(claim, new ClaimLostException(claim), true);
        Inbox.Mail afterFailure = fail(claim, new AgentUnavailableException("agent answered HTTP 503"), true);

        for (Inbox.Mail row : new Inbox.Mail[] {afterLost, afterFailure}) {
            assertThat(row.state()).isEqualTo(Inbox.PENDING);
            assertThat(row.leaseOwner()).as("the other dispatcher keeps it").isEqualTo(current.token());
            assertThat(row.failures()).isZero();
            assertThat(row.lastError()).isNull();
        }
        assertThat(f.agentCalls("unavailable")).as("both calls are timed").isEqualTo(2);
    }

    @Test
    void should_not_throw_when_the_failure_cannot_be_recorded() {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Hello"));
        Exchange exchange = f.exchange(claim);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new AgentUnavailableException("agent answered HTTP 503"));
        f.database().database().close(); // the database went away: the claim runs out and the mail is tried again

        assertThatCode(() -> step.process(exchange)).doesNotThrowAnyException();
    }
}
