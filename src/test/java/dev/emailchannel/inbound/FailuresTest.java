package dev.emailchannel.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.agent.AgentSetupException;
import dev.emailchannel.agent.AgentUnavailableException;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void should_treat_an_unavailable_agent_or_database_as_transient() {
        assertThat(Failures.classify(new AgentUnavailableException("agent answered HTTP 503")))
                .contains(Inbox.Failure.TRANSIENT);
        assertThat(Failures.classify(new RuntimeCamelException(new ConnectException("Connection refused"))))
                .contains(Inbox.Failure.TRANSIENT);
        assertThat(Failures.classify(new SocketTimeoutException("Read timed out"))).contains(Inbox.Failure.TRANSIENT);
        assertThat(Failures.classify(new StoreException(new SQLException("connection lost", "08006"))))
                .contains(Inbox.Failure.TRANSIENT);
    }

    @Test
    void should_treat_the_agents_own_setup_as_not_the_mails_fault() {
        assertThat(Failures.classify(new AgentSetupException("agent answered HTTP 401")))
                .contains(Inbox.Failure.AGENT_SETUP);
        assertThat(Failures.classify(new ResolveEndpointFailedException("kafka:orders", "No component found")))
                .contains(Inbox.Failure.AGENT_SETUP);
    }

    @Test
    void should_blame_the_mail_for_content_the_database_refuses_and_for_refusals() {
        assertThat(Failures.classify(new StoreException(new SQLException("value too long", "22001"))))
                .contains(Inbox.Failure.MAIL);
        assertThat(Failures.classify(new StoreException(new SQLException("invalid byte sequence 0x00", "22021"))))
                .contains(Inbox.Failure.MAIL);
        assertThat(Failures.classify(new RejectedMailException("agent refused the email with HTTP 422", null)))
                .contains(Inbox.Failure.MAIL);
        assertThat(Failures.classify(new IllegalStateException("unforeseen"))).contains(Inbox.Failure.MAIL);
    }

    @Test
    void should_record_nothing_for_a_lost_claim() {
        assertThat(Failures.classify(new RuntimeCamelException(new ClaimLostException(
                new Inbox.Claim(new Inbox.Mail(5, "b", "k", "e", null, "c", null, null, null, null, 0, null, null,
                        "PENDING", 1, 0, null, null, null, null, null, null, null, null, null), "t"))))).isEmpty();
    }

    @Test
    void should_back_off_exponentially_capped_at_a_minute_and_honour_retry_after() {
        assertThat(Failures.backoff(Inbox.Failure.TRANSIENT, 1, new IOException())).isEqualTo(Duration.ofSeconds(2));
        assertThat(Failures.backoff(Inbox.Failure.TRANSIENT, 3, new IOException())).isEqualTo(Duration.ofSeconds(8));
        assertThat(Failures.backoff(Inbox.Failure.AGENT_SETUP, 40, new IOException()))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(Failures.backoff(Inbox.Failure.TRANSIENT, 1,
                new AgentUnavailableException("429", Duration.ofSeconds(120)))).isEqualTo(Duration.ofSeconds(120));
        assertThat(Failures.backoff(Inbox.Failure.TRANSIENT, 1,
                new AgentUnavailableException("429", Duration.ofDays(2)))).isEqualTo(Duration.ofHours(1));
    }
}
