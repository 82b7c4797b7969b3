package dev.emailchannel.inbound;

import static dev.emailchannel.testing.DispatchFixture.BOX;
import static dev.emailchannel.testing.DispatchFixture.CONNECTION;
import static dev.emailchannel.testing.DispatchFixture.NOW;
import static dev.emailchannel.testing.DispatchFixture.janeAsks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.inbox.WorkSignal;
import dev.emailchannel.mailbox.MailboxConsumer;
import dev.emailchannel.pickup.FetchedMail;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.testing.DispatchFixture;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pickup step on a plain exchange as the mailbox consumer makes it (a fetched batch): every mail stored raw with
 * its UID and metadata in one transaction, counted; a Message-ID (or, without one, content) already in the inbox is
 * not stored again, and its UID is known afterwards.
 */
class StoreInboundProcessorTest {

    static final long UID_VALIDITY = 77;
    static final Instant ARRIVED = Instant.parse("2026-12-01T09:59:58Z");

    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();
    final StoreInboundProcessor step = new StoreInboundProcessor(f.inbox(), CONNECTION, new WorkSignal(), f.metrics(),
            f.clock());

    Exchange batch(FetchedMail... mails) {
        Exchange exchange = f.exchange();
        exchange.setVariable(InboundVariables.MAILBOX, BOX);
        exchange.setVariable(MailboxConsumer.BATCH, List.of(mails));
        exchange.setVariable(MailboxConsumer.UID_VALIDITY, UID_VALIDITY);
        return exchange;
    }

    @Test
    void should_store_exactly_the_mail_out_of_the_imap_response_it_arrived_in() {
        byte[] mail = janeAsks("<slice@example.com>", "Where is my order?");
        byte[] noId = DispatchFixture.mail("From: bob@example.com\nTo: support@acme.test\nSubject: Hi", "no id");
        byte[] prefix = "* 3 FETCH (UID 21 BODY[] {999}\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] response = new byte[prefix.length + mail.length + noId.length + 3];
        System.arraycopy(prefix, 0, response, 0, prefix.length);
        System.arraycopy(mail, 0, response, prefix.length, mail.length);
        System.arraycopy(noId, 0, response, prefix.length + mail.length, noId.length);
        response[response.length - 3] = ')';

        step.process(batch(new FetchedMail(21, response, prefix.length, mail.length, ARRIVED),
                new FetchedMail(22, response, prefix.length + mail.length, noId.length, ARRIVED)));

        List<Inbox.Mail> rows = f.inbox().list(new Inbox.Filter(null, null, null), 10, null);
        assertThat(rows).extracting(Inbox.Mail::uid).containsExactly(22L, 21L);
        assertThat(f.inbox().raw(rows.get(1).id())).isEqualTo(mail);
        assertThat(rows.get(1).size()).isEqualTo(mail.length);
        assertThat(rows.get(1).messageId()).isEqualTo("<slice@example.com>");
        assertThat(f.inbox().raw(rows.get(0).id())).isEqualTo(noId);
        assertThat(rows.get(0).messageKey()).as("a mail without Message-ID is keyed by its own bytes only")
                .isEqualTo(InboundMails.of(CONNECTION, BOX, noId, null, null, null).messageKey());
    }

    @Test
    void should_store_a_fetched_batch_raw_with_uids_and_metadata() {
        byte[] first = janeAsks("<q1@example.com>", "Where is my order?");
        byte[] second = janeAsks("<q2@example.com>", "And the invoice?");

        step.process(batch(new FetchedMail(11, first, ARRIVED), new FetchedMail(12, second, ARRIVED)));

        List<Inbox.Mail> rows = f.inbox().list(new Inbox.Filter(null, null, null), 10, null);
        assertThat(rows).hasSize(2);
        Inbox.Mail row = rows.get(1); // newest first
        assertThat(row.state()).isEqualTo(Inbox.PENDING);
        assertThat(row.mailbox()).isEqualTo(BOX);
        assertThat(row.uidValidity()).isEqualTo(UID_VALIDITY);
        assertThat(row.uid()).isEqualTo(11);
        assertThat(row.messageId()).isEqualTo("<q1@example.com>");
        assertThat(row.customer()).isEqualTo("jane@example.com");
        assertThat(row.fromHeader()).isEqualTo("Jane Doe <jane@example.com>");
        assertThat(row.subject()).isEqualTo("Order 1234");
        assertThat(row.receivedAt()).isEqualTo(ARRIVED);
        assertThat(row.storedAt()).isEqualTo(NOW);
        assertThat(row.eventId()).as("stable: from the connection, mailbox and Message-ID").isEqualTo(
                InboundMails.of(CONNECTION, BOX, janeAsks("<q1@example.com>", "other bytes"), null, null, null)
                        .eventId());
        assertThat(f.inbox().raw(row.id())).isEqualTo(first);
        assertThat(row.size()).isEqualTo(first.length);
        assertThat(f.inbox().knownUids(BOX, UID_VALIDITY, List.of(11L, 12L, 13L))).containsExactlyInAnyOrder(11L, 12L);
        assertThat(f.count("email.channel.mails.fetched")).isEqualTo(2);
    }

    @Test
    void should_store_a_mail_once_by_its_message_id_and_one_without_by_its_content() {
        byte[] noId = DispatchFixture.mail("From: bob@example.com\nTo: support@acme.test\nSubject: Hi", "No id");
        step.process(batch(new FetchedMail(1, janeAsks("<q1@example.com>", "Where is my order?"), ARRIVED),
                new FetchedMail(2, noId, ARRIVED)));
        // the same mails again (copied in the folder, or stored before a crash lost their \Seen flag)
        step.process(batch(new FetchedMail(3, janeAsks("<q1@example.com>", "Where is my order?"), ARRIVED),
                new FetchedMail(4, noId, ARRIVED),
                new FetchedMail(5, DispatchFixture.mail("From: bob@example.com\nTo: support@acme.test\nSubject: Hi",
                        "Another text, no id either"), null)));

        List<Inbox.Mail> rows = f.inbox().list(new Inbox.Filter(null, null, null), 10, null);
        assertThat(rows).hasSize(3);
        assertThat(rows).extracting(Inbox.Mail::eventId).doesNotHaveDuplicates();
        assertThat(rows.get(0).receivedAt()).as("no INTERNALDATE").isNull();
        assertThat(f.count("email.channel.mails.fetched")).isEqualTo(3);
    }
}
