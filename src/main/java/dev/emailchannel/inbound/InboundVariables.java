package dev.emailchannel.inbound;

/**
 * Names of the exchange variables of the inbound pipeline. State lives in variables, never in headers: camel-http
 * and the smtp producer would send every header on.
 */
public final class InboundVariables {

    /** The address of the mailbox that received the mail (set by the route template). */
    public static final String MAILBOX = "mailbox";
    /** {@link dev.emailchannel.session.Inbox.Claim}: the inbound mail being dispatched and the claim on it. */
    public static final String CLAIM = "claim";
    /** {@link dev.emailchannel.mime.ParsedMail}. */
    public static final String MAIL = "mail";
    /** String: why the mail is not answered (auto-reply, bounce, own mail), or absent. */
    public static final String AUTO_REPLY = "autoReply";
    /** {@link dev.emailchannel.trust.SenderAuthentication}: what a trusted server found out about the sender. */
    public static final String AUTHENTICATION = "authentication";
    /** {@link dev.emailchannel.quote.NewContent}. */
    public static final String CONTENT = "content";
    /** {@link dev.emailchannel.session.SessionRef}. */
    public static final String SESSION = "session";
    /** {@link dev.emailchannel.attachment.AttachmentSelection}. */
    public static final String ATTACHMENTS = "attachments";
    /** The endpoint URI of the agent call. */
    public static final String AGENT_URI = "agentUri";
    /** Long: {@link System#nanoTime()} when the agent call began, for its latency. */
    public static final String AGENT_CALL_STARTED = "agentCallStarted";
    /** Long: the outbox entry of the agent's reply, when it gave one. */
    public static final String OUTBOX_ID = "outboxId";

    private InboundVariables() {
    }
}
