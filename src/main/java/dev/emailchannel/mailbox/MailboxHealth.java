package dev.emailchannel.mailbox;

import java.time.Instant;

/**
 * What is known about one mailbox at run time, as {@code GET /api/channel} shows it: the result of the last sign-in
 * check, the last pickup, the current error and when it is tried again, how mail is picked up and by which instance.
 * Thread-safe: every change replaces one immutable snapshot.
 */
public final class MailboxHealth {

    /** One consistent view of the mailbox's health. */
    public record Snapshot(Boolean imapOk, Boolean smtpOk, Instant lastPickup, String error, Instant retryAt,
            String pickupMode, String owner) {
    }

    private volatile Snapshot current = new Snapshot(null, null, null, null, null, null, null);
    private volatile Instant sendingPausedUntil;

    public Snapshot snapshot() {
        return current;
    }

    /** The result of a sign-in check; {@code error} null when both succeeded. */
    public synchronized void signedIn(boolean imapOk, boolean smtpOk, String error) {
        Snapshot s = current;
        current = new Snapshot(imapOk, smtpOk, s.lastPickup(), error, null, s.pickupMode(), s.owner());
    }

    /** A pickup went well: the error, if any, is over. */
    public synchronized void pickedUp(Instant when) {
        Snapshot s = current;
        current = new Snapshot(s.imapOk() == null ? Boolean.TRUE : s.imapOk(), s.smtpOk(), when, null, null,
                s.pickupMode(), s.owner());
    }

    /** Pickup failed; it is tried again at {@code retryAt} (null when unknown). */
    public synchronized void failed(String error, Instant retryAt) {
        Snapshot s = current;
        current = new Snapshot(s.imapOk(), s.smtpOk(), s.lastPickup(), error, retryAt, s.pickupMode(), s.owner());
    }

    /** The provider refused more mail for now (a quota or rate limit): the outbox holds this mailbox's mail until then. */
    public void pauseSending(Instant until) {
        sendingPausedUntil = until;
    }

    /** Until when the mailbox's outgoing mail waits, or null. */
    public Instant sendingPausedUntil() {
        return sendingPausedUntil;
    }

    /** The pickup's last failure is over. */
    public synchronized void recovered() {
        Snapshot s = current;
        current = new Snapshot(s.imapOk(), s.smtpOk(), s.lastPickup(), null, null, s.pickupMode(), s.owner());
    }

    /** How mail is picked up ({@code IDLE}, {@code POLL}) and by which instance; both null when not watched. */
    public synchronized void watched(String pickupMode, String owner) {
        Snapshot s = current;
        current = new Snapshot(s.imapOk(), s.smtpOk(), s.lastPickup(), owner == null ? null : s.error(),
                owner == null ? null : s.retryAt(), pickupMode, owner);
    }

    /** This instance watches the mailbox now (its pickup is starting). */
    public synchronized void owned(String owner) {
        Snapshot s = current;
        current = new Snapshot(s.imapOk(), s.smtpOk(), s.lastPickup(), null, null, null, owner);
    }

    /** The pickup's connection mode changed ({@code IDLE} or {@code POLL}). */
    public synchronized void watching(String pickupMode) {
        Snapshot s = current;
        current = new Snapshot(s.imapOk(), s.smtpOk(), s.lastPickup(), s.error(), s.retryAt(), pickupMode, s.owner());
    }

    /** True while this instance watches the mailbox and its pickup is failing (waiting for its next attempt). */
    public boolean failing() {
        Snapshot s = current;
        return s.owner() != null && s.error() != null;
    }

    /** True while this instance watches the mailbox. */
    public boolean watched() {
        return current.owner() != null;
    }
}
