package dev.emailchannel.agent;

import static dev.emailchannel.testing.DispatchFixture.BOX;
import static dev.emailchannel.testing.DispatchFixture.NOW;
import static dev.emailchannel.testing.DispatchFixture.failure;
import static dev.emailchannel.testing.DispatchFixture.janeAsks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.config.Secret;
import dev.emailchannel.inbound.ClaimLostException;
import dev.emailchannel.inbound.Failures;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.inbound.RejectedMailException;
import dev.emailchannel.reply.LoopGuard;
import dev.emailchannel.reply.ReplyComposer;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.session.StoredMessage;
import dev.emailchannel.testing.DispatchFixture;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's answer on a plain exchange: 2xx delivers the mail (a reply queued in the outbox and stored in the
 * session, in the same transaction; held when the loop guard says so); 5xx/408/429 mean the agent is unavailable
 * (Retry-After kept), 401/403/404/3xx its set-up is wrong, any other status refuses this mail; a lost claim records
 * nothing.
 */
class AgentResponseProcessorTest {

    final ObjectMapper json = new ObjectMapper();
    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();

    AgentResponseProcessor step(LoopGuard guard) {
        return new AgentResponseProcessor(json, f.inbox(), f.sessions(), f.outbox(),
                new ReplyComposer(DispatchFixture.CONNECTION, "-- \n{{ sender_name }} <{{ sender_email }}>"), guard,
                f.mailboxes(), f.state(), f.metrics(), f.clock());
    }

    AgentResponseProcessor step() {
        return step(new LoopGuard(LoopGuard.DEFAULT_MAX_REPLIES, LoopGuard.DEFAULT_WINDOW));
    }

    /** The exchange as the HTTP call leaves it: status, the agent's headers and body. */
    Exchange answered(Inbox.Claim claim, Integer status, String body, String retryAfter) throws Exception {
        Exchange exchange = f.afterSession(claim);
        exchange.setVariable(InboundVariables.AGENT_CALL_STARTED, System.nanoTime());
        exchange.getMessage().removeHeaders("*");
        if (status != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
        if (retryAfter != null) {
            exchange.getMessage().setHeader("Retry-After", retryAfter);
        }
        exchange.getMessage().setHeader("Set-Cookie", "agent-session=1");
        exchange.getMessage().setHeader("Content-Type", "application/json");
        exchange.getMessage().setBody(body);
        return exchange;
    }

    Inbox.Claim janesMail() {
        return f.claim(janeAsks("<q1@example.com>", "Where is my order?"));
    }

    MimeMessage queuedMail(long outboxId) throws Exception {
        Outbox.Claim sending = f.outbox().claim(outboxId, "test", NOW, Duration.ofSeconds(30)).orElseThrow();
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(sending.raw()));
    }

    @Test
    void should_deliver_the_mail_and_queue_the_reply_threaded_from_the_mailbox() throws Exception {
        Inbox.Claim claim = janesMail();
        Exchange exchange = answered(claim, 200, "{\"reply\": {\"text\": \"It ships **today**.\"}}", null);
        f.state().agentFailed("agent answered HTTP 401");

        step().process(exchange);

        assertThat(exchange.getMessage().getHeaders()).as("nothing of the agent's answer goes on").isEmpty();
        Inbox.Mail row = f.row(claim.id());
        assertThat(row.state()).isEqualTo(Inbox.DELIVERED);
        assertThat(row.finishedAt()).isEqualTo(NOW);
        assertThat(row.leaseOwner()).isNull();
        long outboxId = exchange.getVariable(InboundVariables.OUTBOX_ID, Long.class);
        Outbox.Entry entry = f.outbox().find(outboxId).orElseThrow();
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(entry.status()).isEqualTo(Outbox.PENDING);
        assertThat(entry.mailbox()).isEqualTo(BOX);
        assertThat(entry.recipient()).isEqualTo("jane@example.com");
        assertThat(entry.subject()).isEqualTo("Re: Order 1234");
        assertThat(entry.sessionId()).isEqualTo(session.id());
        assertThat(entry.messageId()).endsWith("@acme.test>");
        MimeMessage reply = queuedMail(outboxId);
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo("<q1@example.com>");
        assertThat(reply.getHeader("References", null)).isEqualTo("<q1@example.com>");
        assertThat(reply.getFrom()[0].toString()).isEqualTo("Acme Support <support@acme.test>");
        assertThat((String) reply.getContent()).contains("It ships **today**.")
                .contains("Acme Support <support@acme.test>");
        assertThat(f.sessions().messages(session.id())).extracting(StoredMessage::direction, StoredMessage::messageId)
                .containsExactly(tuple("IN", "<q1@example.com>"),
                        tuple("OUT", entry.messageId()));
        assertThat(f.count("email.channel.mails.delivered")).isEqualTo(1);
        assertThat(f.agentCalls("accepted")).isEqualTo(1);
        assertThat(exchange.getVariable(InboundVariables.AGENT_CALL_STARTED)).as("timed once").isNull();
        assertThat(f.state().agentError()).as("a call succeeded again").isNull();
    }

    @Test
    void should_answer_the_reply_to_address_when_the_mail_has_one() throws Exception {
        Inbox.Claim claim = f.claim(DispatchFixture.mail("From: Jane Doe <jane@example.com>\nReply-To: Orders "
                + "<orders@example.com>\nTo: support@acme.test\nSubject: Order 1234\nMessage-ID: <q1@example.com>",
                "Where is it?"));
        Exchange exchange = answered(claim, 200, "{\"reply\": \"On its way.\"}", null);

        step().process(exchange);

        Outbox.Entry entry = f.outbox().find(exchange.getVariable(InboundVariables.OUTBOX_ID, Long.class))
                .orElseThrow();
        assertThat(entry.recipient()).isEqualTo("orders@example.com");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"200,''", "202,'{\"status\": \"queued\"}'", "204,null",
        "200,'{\"reply\": null}'"})
    void should_deliver_the_mail_without_a_reply_when_the_agent_answers_later(int status, String body)
            throws Exception {
        Inbox.Claim claim = janesMail();
        Exchange exchange = answered(claim, status, body, null);

        step().process(exchange);

        assertThat(f.row(claim.id()).state()).isEqualTo(Inbox.DELIVERED);
        assertThat(exchange.getVariable(InboundVariables.OUTBOX_ID)).isNull();
        assertThat(f.outbox().list(null, 10, null)).isEmpty();
        assertThat(f.count("email.channel.mails.delivered")).isEqualTo(1);
    }

    @Test
    void should_take_a_non_http_endpoint_without_a_status_as_accepted() throws Exception {
        Inbox.Claim claim = janesMail();
        Exchange exchange = answered(claim, null, null, null);
        new AgentRequestProcessor(new AgentEndpoint("email", "seda:agent", new Secret("")), json,
                null).process(exchange); // an InOnly endpoint leaves the event itself as the body

        step().process(exchange);

        assertThat(f.row(claim.id()).state()).isEqualTo(Inbox.DELIVERED);
        assertThat(exchange.getVariable(InboundVariables.OUTBOX_ID)).isNull();
    }

    /** Each failed status, what it means, and the message the operator sees (with the agent's body in one line). */
    static Stream<Arguments> failedStatuses() {
        String body = ": {\"error\": \"no such tenant\"}";
        Stream.Builder<Arguments> all = Stream.builder();
        for (int status : new int[] {500, 502, 503, 504, 408, 429}) {
            all.add(Arguments.of(status, AgentUnavailableException.class, Inbox.Failure.TRANSIENT,
                    "agent answered HTTP " + status));
        }
        for (int status : new int[] {401, 403, 404, 301, 302, 307}) {
            all.add(Arguments.of(status, AgentSetupException.class, Inbox.Failure.AGENT_SETUP,
                    "agent answered HTTP " + status + body));
        }
        for (int status : new int[] {400, 413, 422}) {
            all.add(Arguments.of(status, RejectedMailException.class, Inbox.Failure.MAIL,
                    "agent refused the email with HTTP " + status + body));
        }
        return all.build();
    }

    /** 5xx/408/429: unavailable, retried; 401/403/404/3xx: the agent's set-up; other 4xx: this mail is refused. */
    @ParameterizedTest
    @MethodSource("failedStatuses")
    void should_record_nothing_and_say_what_a_failed_status_means(int status, Class<? extends Exception> thrown,
            Inbox.Failure kind, String message) throws Exception {
        Inbox.Claim claim = janesMail();
        Exchange exchange = answered(claim, status, "{\"error\":\n  \"no such tenant\"}", null);

        Exception e = failure(step(), exchange);

        assertThat(e).isInstanceOf(thrown).hasMessage(message);
        assertThat(Failures.classify(e)).contains(kind);
        if (e instanceof AgentUnavailableException unavailable) {
            assertThat(unavailable.retryAfter()).isEmpty();
        }
        Inbox.Mail row = f.row(claim.id());
        assertThat(row.state()).isEqualTo(Inbox.PENDING);
        assertThat(row.leaseOwner()).as("still claimed: the failure step records it").isEqualTo(claim.token());
        assertThat(f.outbox().list(null, 10, null)).isEmpty();
        assertThat(f.count("email.channel.mails.delivered")).isZero();
        assertThat(f.agentCalls("accepted")).isZero();
        assertThat(exchange.getVariable(InboundVariables.AGENT_CALL_STARTED))
                .as("left for the failure step to time").isNotNull();
        assertThat(exchange.getMessage().getHeaders()).isEmpty();
    }

    @Test
    void should_keep_the_agents_retry_after() throws Exception {
        Exception seconds = failure(step(), answered(janesMail(), 429, "slow down", "120"));
        assertThat(((AgentUnavailableException) seconds).retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(Failures.backoff(Inbox.Failure.TRANSIENT, 1, seconds)).isEqualTo(Duration.ofSeconds(120));

        String inTenMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(10));
        Exception date = failure(step(), answered(f.claim(DispatchFixture.mail("From: bob@example.com\n"
                + "To: support@acme.test\nSubject: Hi\nMessage-ID: <b1@example.com>", "Hi")), 503, "", inTenMinutes));
        assertThat(((AgentUnavailableException) date).retryAfter().orElseThrow())
                .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @CsvSource({"'not json', 'the agent''s answer is not JSON'",
        "'{\"reply\": {\"html\": \"\"}}', 'reply has neither \"text\" nor \"html\"'",
        "'{\"reply\": {\"text\": \"x\", \"attachments\": [{\"filename\": \"a.pdf\", \"data\": \"%%%\"}]}}', "
            + "'reply.attachments[0] (a.pdf) data is not base64'"})
    void should_refuse_an_answer_it_cannot_read_as_the_mails_own_failure(String body, String problem)
            throws Exception {
        Inbox.Claim claim = janesMail();
        Exchange exchange = answered(claim, 200, body, null);

        Exception e = failure(step(), exchange);

        assertThat(e).isInstanceOf(RejectedMailException.class).hasMessageContaining(problem);
        assertThat(f.row(claim.id()).state()).isEqualTo(Inbox.PENDING);
        assertThat(f.outbox().list(null, 10, null)).isEmpty();
    }

    @Test
    void should_hold_a_reply_the_loop_guard_stops_and_still_deliver_the_mail() throws Exception {
        f.outbox().enqueue(new Outbox.Draft(null, BOX, "<earlier@acme.test>", "Jane@Example.com", "Re: Order 1233",
                "raw".getBytes(), null), NOW.minusSeconds(60));
        Inbox.Claim claim = janesMail();
        Exchange exchange = answered(claim, 200, "{\"reply\": {\"text\": \"Again?\"}}", null);

        step(new LoopGuard(1, Duration.ofMinutes(10))).process(exchange);

        assertThat(f.row(claim.id()).state()).isEqualTo(Inbox.DELIVERED);
        assertThat(exchange.getVariable(InboundVariables.OUTBOX_ID)).as("not sent now").isNull();
        Outbox.Entry held = f.outbox().list(Outbox.HELD, 10, null).get(0);
        assertThat(held.recipient()).isEqualTo("jane@example.com");
        assertThat(held.holdReason()).isEqualTo("mail loop guard: 1 replies to jane@example.com in the last 10 min "
                + "(LOOP_GUARD_MAX_REPLIES=1)");
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(f.sessions().messages(session.id())).extracting(StoredMessage::direction)
                .as("the held reply is part of the conversation").containsExactly("IN", "OUT");
        assertThat(f.count("email.channel.replies.held")).isEqualTo(1);
        assertThat(f.count("email.channel.mails.delivered")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"reply\": {\"text\": \"On its way.\"}}", ""})
    void should_record_nothing_when_the_claim_was_lost(String body) throws Exception {
        Inbox.Claim claim = janesMail();
        Exchange exchange = answered(claim, 200, body, null);
        Inbox.Claim current = f.takeOver(claim);

        Exception e = failure(step(), exchange);

        assertThat(e).isInstanceOf(ClaimLostException.class);
        Inbox.Mail row = f.row(claim.id());
        assertThat(row.state()).isEqualTo(Inbox.PENDING);
        assertThat(row.leaseOwner()).isEqualTo(current.token());
        assertThat(f.outbox().list(null, 10, null)).as("the other dispatcher queues the reply, once").isEmpty();
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(f.sessions().messages(session.id())).extracting(StoredMessage::direction).containsExactly("IN");
        assertThat(f.count("email.channel.mails.delivered")).isZero();
        assertThat(exchange.getVariable(InboundVariables.OUTBOX_ID)).isNull();
    }
}
