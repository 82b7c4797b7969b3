package dev.emailchannel.inbound;

import static dev.emailchannel.testing.DispatchFixture.failure;
import static dev.emailchannel.testing.DispatchFixture.janeAsks;
import static dev.emailchannel.testing.DispatchFixture.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.attachment.SkippedAttachment;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.session.StoredMessage;
import dev.emailchannel.testing.DispatchFixture;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session step on a plain exchange: one open session per customer, the mail stored in it once (fixed at the first
 * try, so a retry tells the agent the same {@code session.new}), the files chosen for the agent.
 */
class SessionProcessorTest {

    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();
    final SessionProcessor step = f.sessionLookup(new AttachmentPolicy(10_485_760));

    Exchange parsed(Inbox.Claim claim) throws Exception {
        Exchange exchange = f.exchange(claim);
        f.parseMail().process(exchange);
        return exchange;
    }

    @Test
    void should_open_a_session_for_a_new_customer_and_store_the_mail_in_it() throws Exception {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Where is my order?\n\nThanks,\nJane"));
        Exchange exchange = parsed(claim);

        step.process(exchange);

        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(session.isNew()).isTrue();
        assertThat(session.mailbox()).isEqualTo(DispatchFixture.BOX);
        Inbox.Mail row = f.row(claim.id());
        assertThat(row.sessionId()).isEqualTo(session.id());
        assertThat(row.sessionNew()).isTrue();
        assertThat(row.messageRow()).isNotNull();
        assertThat(f.sessions().messages(session.id())).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(row.messageRow());
            assertThat(m.direction()).isEqualTo("IN");
            assertThat(m.messageId()).isEqualTo("<q1@example.com>");
            assertThat(m.fromAddress()).isEqualTo("jane@example.com");
            assertThat(m.fromName()).isEqualTo("Jane Doe");
            assertThat(m.to()).isEqualTo("support@acme.test");
            assertThat(m.subject()).isEqualTo("Order 1234");
            assertThat(m.text()).isEqualTo("Where is my order?\n\nThanks,\nJane");
            assertThat(m.autoReplyReason()).isNull();
            assertThat(m.createdAt()).isEqualTo(DispatchFixture.NOW);
        });
        assertThat(exchange.getVariable(InboundVariables.ATTACHMENTS, AttachmentSelection.class).accepted()).isEmpty();
        assertThat(row.state()).as("still the dispatcher's, until the agent answers").isEqualTo(Inbox.PENDING);
    }

    @Test
    void should_join_the_customers_open_session_with_the_next_mail() throws Exception {
        Exchange first = parsed(f.claim(janeAsks("<q1@example.com>", "First")));
        step.process(first);
        f.inbox().delivered(first.getVariable(InboundVariables.CLAIM, Inbox.Claim.class), null, null,
                DispatchFixture.NOW);

        Exchange second = parsed(f.claim(janeAsks("<q2@example.com>", "Second")));
        step.process(second);

        SessionRef one = first.getVariable(InboundVariables.SESSION, SessionRef.class);
        SessionRef two = second.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(two.id()).isEqualTo(one.id());
        assertThat(two.isNew()).isFalse();
        assertThat(f.sessions().messages(one.id())).extracting(StoredMessage::text).containsExactly("First", "Second");
    }

    @Test
    void should_reuse_the_session_of_the_first_try_on_a_retry_and_store_the_mail_once() throws Exception {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Where is my order?"));
        Exchange first = parsed(claim);
        step.process(first);
        SessionRef session = first.getVariable(InboundVariables.SESSION, SessionRef.class);
        // the agent was unavailable; the retry comes with a new claim on the same mail
        f.inbox().failed(claim, Inbox.Failure.TRANSIENT, "HTTP 503", DispatchFixture.NOW, DispatchFixture.NOW);
        Exchange retry = parsed(f.claimNext());

        step.process(retry);

        SessionRef again = retry.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(again).isEqualTo(session);
        assertThat(again.isNew()).as("the agent is told session.new as at the first try").isTrue();
        assertThat(f.sessions().messages(session.id())).hasSize(1);
    }

    @Test
    void should_open_no_session_and_record_nothing_when_the_claim_was_lost() throws Exception {
        Inbox.Claim claim = f.claim(janeAsks("<q1@example.com>", "Where is my order?"));
        Exchange exchange = parsed(claim);
        f.takeOver(claim);

        Exception e = failure(step, exchange);

        assertThat(e).isInstanceOf(ClaimLostException.class);
        assertThat(Failures.classify(e)).as("nothing to record").isEmpty();
        assertThat(exchange.getVariable(InboundVariables.SESSION, SessionRef.class)).isNull();
        assertThat(f.sessions().sessions("jane@example.com", null)).as("no session opened for a mail not held")
                .isEmpty();
        assertThat(f.row(claim.id()).messageRow()).isNull();
    }

    @Test
    void should_pass_files_within_the_limit_to_the_agent_and_record_the_skipped_ones() throws Exception {
        Inbox.Claim claim = f.claim(resource("/mime/thunderbird-attachments.eml"));
        Exchange exchange = parsed(claim);

        f.sessionLookup(new AttachmentPolicy(100)).process(exchange);

        AttachmentSelection files = exchange.getVariable(InboundVariables.ATTACHMENTS, AttachmentSelection.class);
        assertThat(files.accepted()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("orders.csv");
            assertThat(a.size()).isEqualTo(41);
        });
        assertThat(files.skipped()).extracting(SkippedAttachment::filename, SkippedAttachment::reason)
                .containsExactly(tuple("invoice-2026-11.pdf", AttachmentPolicy.TOO_LARGE));
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(f.sessions().messages(session.id()).get(0).attachments())
                .extracting(StoredMessage.StoredAttachment::filename, StoredMessage.StoredAttachment::skippedReason)
                .containsExactly(tuple("orders.csv", null),
                        tuple("invoice-2026-11.pdf", AttachmentPolicy.TOO_LARGE));
        assertThat(f.sessions().messages(session.id()).get(0).attachments().get(0).sha256()).hasSize(64);
    }

    @Test
    void should_store_an_auto_reply_in_the_session_with_the_reason_it_is_not_answered() throws Exception {
        Exchange exchange = parsed(f.claim(resource("/mime/gmail-vacation.eml")));

        step.process(exchange);

        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        assertThat(f.sessions().messages(session.id())).singleElement()
                .extracting(StoredMessage::autoReplyReason).isEqualTo("Auto-Submitted: auto-replied");
    }
}
