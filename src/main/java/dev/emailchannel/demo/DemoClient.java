package dev.emailchannel.demo;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import java.net.ConnectException;
import java.util.Date;
import java.util.Properties;

/**
 * {@code java -jar email-channel.jar send "text"}: writes to the running demo as its customer over SMTP, then waits
 * for the agent's reply in the customer's mailbox over IMAP and prints it.
 */
public final class DemoClient {

    private DemoClient() {
    }

    public static void send(String[] args) throws Exception {
        String text = args.length > 1 ? String.join(" ", java.util.Arrays.copyOfRange(args, 1, args.length))
                : "Hello, where is my order 1234?";
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", "127.0.0.1");
        props.setProperty("mail.smtp.port", String.valueOf(Demo.SMTP_PORT));
        Session session = Session.getInstance(props);
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(Demo.CUSTOMER, "Demo Customer"));
        msg.setRecipients(Message.RecipientType.TO, Demo.SUPPORT);
        msg.setSubject("Question from the demo customer");
        msg.setSentDate(new Date());
        msg.setText(text, "UTF-8");
        try {
            Transport.send(msg);
        } catch (MessagingException e) {
            if (e.getNextException() instanceof ConnectException || e.getCause() instanceof ConnectException) {
                System.err.println("The demo is not running (nothing answers on 127.0.0.1:" + Demo.SMTP_PORT
                        + "). Start it first in another terminal:\n\n    java -jar target/email-channel.jar demo\n\n"
                        + "then run send again.");
                System.exit(1);
            }
            throw e;
        }
        System.out.println("Sent to " + Demo.SUPPORT + ": " + text);
        System.out.println("Waiting for the reply in " + Demo.CUSTOMER + "'s inbox …");

        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Store store = session.getStore("imap");
            store.connect("127.0.0.1", Demo.IMAP_PORT, Demo.CUSTOMER, Demo.CUSTOMER_PASSWORD);
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                Message[] unseen = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                for (Message reply : unseen) {
                    String[] inReplyTo = reply.getHeader("In-Reply-To");
                    System.out.println("\nReply received:");
                    System.out.println("From: " + InternetAddress.toString(reply.getFrom()));
                    System.out.println("Subject: " + reply.getSubject());
                    System.out.println("In-Reply-To: " + (inReplyTo == null ? "-" : inReplyTo[0]));
                    System.out.println();
                    Object content = reply.getContent();
                    System.out.println(content instanceof String s ? s : "(" + reply.getContentType() + ")");
                    reply.setFlag(Flags.Flag.SEEN, true);
                }
                if (unseen.length > 0) {
                    return;
                }
            } finally {
                store.close();
            }
            Thread.sleep(1000);
        }
        System.err.println("No reply within 60 s: is the demo running (java -jar target/email-channel.jar demo)?");
        System.exit(1);
    }
}
