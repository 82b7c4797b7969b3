/**
 * Picking up new mail from IMAP mailboxes (SPEC §4 "Pickup"): IMAP IDLE where the server offers it, polling at the
 * check interval otherwise (and as the safety poll under IDLE), many mailboxes on a few shared threads. Pure Angus Mail
 * (Jakarta Mail); nothing here knows Camel.
 *
 * <p>Use: one {@link dev.emailchannel.pickup.PickupEngine} per process;
 * {@link dev.emailchannel.pickup.PickupEngine#watch} per mailbox with a
 * {@link dev.emailchannel.pickup.MailboxSource} (servers, session properties, authenticator, IDLE on/off, check
 * interval), a {@link dev.emailchannel.pickup.PickupSink} (the durable inbox) and a
 * {@link dev.emailchannel.pickup.PickupListener} (status fields, metrics). The returned
 * {@link dev.emailchannel.pickup.MailboxWatch} gives the status, {@code started()} for the sign-in check at start,
 * {@code pickNow()} and {@code stop()}.
 *
 * <p>One check: {@code UID SEARCH UNSEEN}; UIDs the sink already holds are only flagged {@code \Seen}; the others are
 * fetched with {@code BODY.PEEK[]} in batches bounded by count and bytes, handed to the sink, and flagged
 * {@code \Seen} (one {@code UID STORE} per batch) only after the sink returned; a sink that throws leaves them unread
 * and the check is retried with backoff. Stopping never expunges.
 *
 * <p>In a Camel consumer: the consumer's {@code doStart} calls {@code watch} with a sink whose {@code store} runs the
 * batch through the route synchronously (one exchange per mail or per batch, e.g. with
 * {@code getProcessor().process(exchange)} on the calling worker thread) and returns only when the route committed the
 * inbox transaction, throwing when the exchange failed; {@code doStop} calls {@code stop}. The route then starts with
 * the store-in-inbox step and the DSL still shows the flow; the engine's workers are the consumer's threads.
 */
package dev.emailchannel.pickup;
