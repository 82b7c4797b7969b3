package dev.emailchannel.inbound;

import static dev.emailchannel.testing.DispatchFixture.BOX;
import static dev.emailchannel.testing.DispatchFixture.CONNECTION;
import static dev.emailchannel.testing.DispatchFixture.NOW;
import static dev.emailchannel.testing.DispatchFixture.janeAsks;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.emailchannel.inbox.WorkSignal;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.testing.DispatchFixture;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pickup step on a plain exchange around a real fetched mail (GreenMail IMAP): stored raw with its UID and
 * metadata, counted, mail headers dropped; a UID or Message-ID already in the inbox is not stored again.
 */
class StoreInboundProcessorTest {

    @RegisterExtension
    final DispatchFixture f = DispatchFixture.open();
    final StoreInboundProcessor step = new StoreInboundProcessor(f.inbox(), CONNECTION, new WorkSignal(), f.metrics(),
            f.clock());
    GreenMail imap;
    Store store;

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        if (imap != null) {
            imap.stop();
        }
    }

    /** Delivers the mail to the support mailbox on GreenMail and opens the INBOX over IMAP, as the pickup does. */
    Folder deliveredToImap(byte[]... mails) throws Exception {
        imap = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        imap.start();
        var user = imap.setUser(BOX, BOX, "support-pw");
        for (byte[] raw : mails) {
            user.deliver(mime(raw));
        }
        store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", imap.getImap().getPort(), BOX, "support-pw");
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        return inbox;
    }

    static MimeMessage mime(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    /** An exchange as the mailbox consumer makes it: the mail, camel-mail's copies of its headers, the route's variable. */
    Exchange fetched(Message message) {
        Exchange exchange = f.exchange();
        exchange.setIn(new MailMessage(exchange, message, true));
        exchange.getIn().setHeader("Subject", "Order 1234");
        exchange.getIn().setHeader("delete", "true"); // camel-mail 4.18 would obey these at commit
        exchange.getIn().setHeader("moveTo", "Trash");
        exchange.setVariable(InboundVariables.MAILBOX, BOX);
        return exchange;
    }

    @Test
    void should_store_a_fetched_mail_raw_with_its_uid_and_drop_its_headers() throws Exception {
        Folder folder = deliveredToImap(janeAsks("<q1@example.com>", "Where is my order?"));
        Message message = folder.getMessage(1);
        Exchange exchange = fetched(message);

        step.process(exchange);

        assertThat(exchange.getIn().getHeaders()).as("nothing of the mail is obeyed or passed on").isEmpty();
        assertThat(exchange.getIn().getBody()).isNull();
        List<Inbox.Mail> rows = f.inbox().list(new Inbox.Filter(null, null, null), 10, null);
        assertThat(rows).singleElement().satisfies(row -> {
            UIDFolder uids = (UIDFolder) folder;
            assertThat(row.state()).isEqualTo(Inbox.PENDING);
            assertThat(row.mailbox()).isEqualTo(BOX);
            assertThat(row.uidValidity()).isEqualTo(uids.getUIDValidity());
            assertThat(row.uid()).isEqualTo(uids.getUID(message));
            assertThat(row.messageId()).isEqualTo("<q1@example.com>");
            assertThat(row.customer()).isEqualTo("jane@example.com");
            assertThat(row.fromHeader()).isEqualTo("Jane Doe <jane@example.com>");
            assertThat(row.subject()).isEqualTo("Order 1234");
            assertThat(row.receivedAt()).isEqualTo(message.getReceivedDate().toInstant());
            assertThat(row.storedAt()).isEqualTo(NOW);
            assertThat(row.eventId()).as("stable: from the connection, mailbox and Message-ID").isEqualTo(
                    InboundMails.of(CONNECTION, BOX, janeAsks("<q1@example.com>", "other bytes"), null, null, null)
                            .eventId());
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            assertThat(f.inbox().raw(row.id())).isEqualTo(raw.toByteArray());
            assertThat(row.size()).isEqualTo(raw.size());
        });
        assertThat(f.count("email.channel.mails.fetched")).isEqualTo(1);
        assertThat(f.timed("email.channel.pickup.latency")).isEqualTo(1);
    }

    @Test
    void should_only_mark_read_a_mail_whose_uid_is_already_in_the_inbox() throws Exception {
        Folder folder = deliveredToImap(janeAsks("<q1@example.com>", "Where is my order?"));
        step.process(fetched(folder.getMessage(1)));
        // stored, then a crash before the mail was flagged read: the next pickup sees it again
        Exchange again = fetched(folder.getMessage(1));

        step.process(again);

        assertThat(f.inbox().list(new Inbox.Filter(null, null, null), 10, null)).hasSize(1);
        assertThat(again.getIn().getHeaders()).isEmpty();
        assertThat(f.count("email.channel.mails.fetched")).isEqualTo(1);
    }

    @Test
    void should_store_a_mail_once_by_its_message_id_and_one_without_by_its_content() throws Exception {
        step.process(fetched(mime(janeAsks("<q1@example.com>", "Where is my order?"))));
        step.process(fetched(mime(janeAsks("<q1@example.com>", "Where is my order?")))); // copied to another folder
        byte[] noId = DispatchFixture.mail("From: bob@example.com\nTo: support@acme.test\nSubject: Hi", "No id");
        step.process(fetched(mime(noId)));
        step.process(fetched(mime(noId)));
        step.process(fetched(mime(DispatchFixture.mail("From: bob@example.com\nTo: support@acme.test\nSubject: Hi",
                "Another text, no id either"))));

        List<Inbox.Mail> rows = f.inbox().list(new Inbox.Filter(null, null, null), 10, null);
        assertThat(rows).hasSize(3);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.uid()).as("no UID outside an IMAP folder").isNull();
            assertThat(row.receivedAt()).isNull();
        });
        assertThat(rows).extracting(Inbox.Mail::eventId).doesNotHaveDuplicates();
        assertThat(f.count("email.channel.mails.fetched")).isEqualTo(3);
        assertThat(f.timed("email.channel.pickup.latency")).as("no arrival time, no latency").isZero();
    }
}
