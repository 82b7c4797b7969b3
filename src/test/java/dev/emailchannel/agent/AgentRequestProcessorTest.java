package dev.emailchannel.agent;

import static dev.emailchannel.testing.DispatchFixture.NOW;
import static dev.emailchannel.testing.DispatchFixture.janeAsks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.config.Secret;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.testing.DispatchFixture;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent call's request on a plain exchange: the JSON event as the body and exactly the headers the agent gets —
 * Content-Type, Idempotency-Key (= event_id, the same on every retry), Authorization only when AGENT_TOKEN is set.
 */
class AgentRequestProcessorTest {

    static final String URL = "http://127.0.0.1:9/agent/events";

    final ObjectMapper json = new ObjectMapper();
    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();

    AgentRequestProcessor step(String url, String token) {
        return new AgentRequestProcessor(new AgentEndpoint(DispatchFixture.CONNECTION, url, new Secret(token)), json,
                null);
    }

    /** The bytes the agent call sends: an http(s) agent gets a streamed entity, any other endpoint the bytes. */
    static byte[] body(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body instanceof org.apache.hc.core5.http.HttpEntity entity) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            entity.writeTo(out);
            assertThat(entity.getContentLength()).as("Content-Length of the streamed body").isEqualTo(out.size());
            return out.toByteArray();
        }
        return exchange.getMessage().getBody(byte[].class);
    }

    Exchange request(Inbox.Claim claim, AgentRequestProcessor step) throws Exception {
        Exchange exchange = f.afterSession(claim);
        // whatever headers an earlier step left must not reach the agent
        exchange.getMessage().setHeader("Subject", "Order 1234");
        exchange.getMessage().setHeader("X-Forwarded-For", "10.0.0.1");
        exchange.getMessage().setHeader("Authorization", "Bearer someone-elses");
        step.process(exchange);
        return exchange;
    }

    JsonNode event(Exchange exchange) throws Exception {
        return json.readTree(body(exchange));
    }

    @Test
    void should_post_the_event_as_json_with_the_idempotency_key_and_the_agent_token() throws Exception {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Where is my order?\n\nThanks,\nJane"));

        Exchange exchange = request(claim, step(URL, "agent-token-1"));

        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.CONTENT_TYPE, Exchange.HTTP_METHOD,
                "Idempotency-Key", "Authorization");
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        // camel-http's own enum: a String would be converted by a type-converter lookup on every call
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isSameAs(HttpMethods.POST);
        assertThat(exchange.getMessage().getHeader("Idempotency-Key")).isEqualTo(claim.mail().eventId());
        assertThat(exchange.getMessage().getHeader("Authorization")).isEqualTo("Bearer agent-token-1");

        JsonNode event = event(exchange);
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(event.get("type").asText()).isEqualTo("message");
        assertThat(event.get("event_id").asText()).isEqualTo(claim.mail().eventId());
        assertThat(event.get("connection").asText()).isEqualTo(DispatchFixture.CONNECTION);
        assertThat(event.get("session").get("id").asText()).isEqualTo(session.id());
        assertThat(event.get("session").get("new").isBoolean()).isTrue();
        assertThat(event.get("session").get("new").asBoolean()).isTrue();
        assertThat(event.get("mailbox").asText()).isEqualTo(DispatchFixture.BOX);
        assertThat(event.get("from").get("address").asText()).isEqualTo("jane@example.com");
        assertThat(event.get("from").get("name").asText()).isEqualTo("Jane Doe");
        assertThat(event.get("subject").asText()).isEqualTo("Order 1234");
        assertThat(event.get("text").asText()).isEqualTo("Where is my order?\n\nThanks,\nJane");
        assertThat(event.get("message_id").asText()).isEqualTo("<q1@example.com>");
        assertThat(event.get("received_at").asText()).isEqualTo(NOW.minusSeconds(60).toString());
        assertThat(event.get("auto_reply").asBoolean()).isFalse();
        assertThat(new String(body(exchange), StandardCharsets.UTF_8))
                .doesNotContain("agent-token-1");

        assertThat(exchange.getVariable(InboundVariables.AGENT_URI, String.class))
                .isEqualTo(URL + "?" + AgentEndpoint.HTTP_OPTIONS);
        assertThat(exchange.getVariable(InboundVariables.AGENT_CALL_STARTED)).isInstanceOf(Long.class);
    }

    @Test
    void should_send_no_authorization_header_without_an_agent_token() throws Exception {
        Exchange exchange = request(f.claim(janeAsks("<q1@example.com>", "Hello")), step(URL, ""));

        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.CONTENT_TYPE, Exchange.HTTP_METHOD,
                "Idempotency-Key");
    }

    @Test
    void should_send_the_same_event_id_on_every_retry_of_a_mail() throws Exception {
        Inbox.Claim first = f.claim(janeAsks("<q1@example.com>", "Hello"));
        Exchange one = request(first, step(URL, ""));
        f.inbox().failed(first, Inbox.Failure.TRANSIENT, "HTTP 503", NOW, NOW);
        Exchange two = request(f.claimNext(), step(URL, ""));

        assertThat(two.getMessage().getHeader("Idempotency-Key")).isEqualTo(one.getMessage().getHeader(
                "Idempotency-Key"));
        assertThat(event(two).get("event_id")).isEqualTo(event(one).get("event_id"));
        assertThat(event(two).get("session")).as("session.new as at the first try").isEqualTo(event(one).get("session"));
    }

    @Test
    void should_use_any_other_camel_endpoint_as_given_and_the_storage_time_without_an_arrival_time() throws Exception {
        Exchange exchange = request(f.claim(janeAsks("<q1@example.com>", "Hello"), null),
                step("seda:agent-events", ""));

        assertThat(exchange.getVariable(InboundVariables.AGENT_URI, String.class)).isEqualTo("seda:agent-events");
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(event(exchange).get("received_at").asText()).isEqualTo(NOW.toString());

        Exchange withQuery = request(f.claim(DispatchFixture.mail("From: bob@example.com\nTo: support@acme.test\n"
                + "Subject: Hi\nMessage-ID: <b1@example.com>", "Hello")),
                step("https://agent.example.com/events?tenant=7", ""));
        assertThat(withQuery.getVariable(InboundVariables.AGENT_URI, String.class))
                .isEqualTo("https://agent.example.com/events?tenant=7&" + AgentEndpoint.HTTP_OPTIONS);
    }

    @Test
    void should_sign_the_exact_bytes_sent_when_a_signing_secret_is_set() throws Exception {
        java.time.Clock clock = java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC);
        AgentSignature signature = new AgentSignature("signing-secret", clock);
        for (String url : new String[] {URL, "seda:agent"}) {
            Inbox.Claim claim = f.claim(janeAsks("<s-" + url.length() + "@example.com>", "Signed?"));
            Exchange exchange = request(claim, new AgentRequestProcessor(new AgentEndpoint(
                    DispatchFixture.CONNECTION, url, new Secret("")), json, signature));
            String header = exchange.getMessage().getHeader(AgentSignature.HEADER, String.class);
            assertThat(header).as(url).startsWith("t=" + NOW.getEpochSecond() + ",v1=");
            assertThat(AgentSignature.verify("signing-secret", header, body(exchange),
                    AgentSignature.DEFAULT_TOLERANCE, clock)).as(url).isTrue();
            assertThat(AgentSignature.verify("other-secret", header, body(exchange),
                    AgentSignature.DEFAULT_TOLERANCE, clock)).isFalse();
            f.inbox().delivered(claim, null, null, NOW);
        }
    }

    @Test
    void should_stream_a_file_as_base64_the_same_on_every_write_and_sign_those_bytes() throws Exception {
        byte[] file = new byte[200_003];
        new java.util.Random(3).nextBytes(file);
        String base64 = java.util.Base64.getMimeEncoder().encodeToString(file);
        byte[] raw = ("From: Jane Doe <jane@example.com>\r\nTo: support@acme.test\r\nSubject: Scan\r\n"
                + "Message-ID: <scan@example.com>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nThe scan.\r\n--b\r\n"
                + "Content-Type: application/pdf; name=scan.pdf\r\nContent-Disposition: attachment; filename=scan.pdf\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + base64 + "\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        java.time.Clock clock = java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC);
        AgentSignature signature = new AgentSignature("signing-secret", clock);
        Inbox.Claim claim = f.claim(raw);

        Exchange exchange = request(claim, new AgentRequestProcessor(new AgentEndpoint(DispatchFixture.CONNECTION,
                URL, new Secret("")), json, signature));

        byte[] first = body(exchange);
        assertThat(body(exchange)).as("written again, the same bytes").isEqualTo(first);
        assertThat(AgentSignature.verify("signing-secret", exchange.getMessage().getHeader(AgentSignature.HEADER,
                String.class), first, AgentSignature.DEFAULT_TOLERANCE, clock)).isTrue();
        JsonNode sent = json.readTree(first).get("attachments");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get("size").asLong()).isEqualTo(file.length);
        assertThat(sent.get(0).get("data").binaryValue()).isEqualTo(file);
        assertThat(new String(first, StandardCharsets.US_ASCII))
                .contains("\"data\":\"" + java.util.Base64.getEncoder().encodeToString(file) + "\"");
    }
}
