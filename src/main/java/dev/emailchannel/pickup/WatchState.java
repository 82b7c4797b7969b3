package dev.emailchannel.pickup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status of one watch and the calls to its listener, in one place: every change updates the snapshot and tells
 * the listener. Failures are logged once when they start or change (WARN) and at DEBUG while they repeat, so a server
 * that is down for an hour does not fill the log.
 */
final class WatchState {

    private static final Logger LOG = LoggerFactory.getLogger(WatchState.class);

    private final String id;
    private final String address;
    private final PickupListener listener;

    private boolean connected;
    private PickupMode mode;
    private Instant lastCheck;
    private long mailsStored;
    private String error;
    private Instant nextAttempt;
    private long idleReconnects;
    private long pollFallbacks;
    private long idleRenewals;

    WatchState(String id, String address, PickupListener listener) {
        this.id = id;
        this.address = address;
        this.listener = listener;
    }

    synchronized PickupStatus snapshot() {
        return new PickupStatus(id, address, connected, mode, lastCheck, mailsStored, error, nextAttempt,
                idleReconnects, pollFallbacks, idleRenewals);
    }

    void connected(PickupMode newMode, boolean reconnect) {
        synchronized (this) {
            if (reconnect && mode == PickupMode.IDLE) {
                idleReconnects++;
            }
            connected = true;
            mode = newMode;
        }
        LOG.info("{}: {} on {}", address, reconnect ? "connected again" : "connected", newMode);
        tell(l -> l.connected(newMode, reconnect));
    }

    void disconnected() {
        synchronized (this) {
            connected = false;
        }
    }

    void pollFallback(String reason) {
        synchronized (this) {
            pollFallbacks++;
        }
        LOG.info("{}: polling instead of IDLE: {}", address, reason);
        tell(l -> l.pollFallback(reason));
    }

    void lostMailFound(int count, long highestStored) {
        LOG.warn("{}: {} mail(s) above UID {} are marked on the server as stored by the channel but are missing from "
                + "the inbox (its database lost its last writes, e.g. when the process was killed): storing them again",
                address, count, highestStored);
    }

    void lostMailSearchRefused(String reply) {
        LOG.warn("{}: the server refused the search for mail flagged {} ({}); mail the inbox lost in a crash is not "
                + "looked for at this start", address, UidCommands.STORED, reply);
    }

    void keywordRefused(String reply) {
        LOG.warn("{}: the server refused the keyword {} ({}); stored mails are marked read without it from now on, so "
                + "mail the inbox loses in a crash cannot be found again (run the channel on PostgreSQL)", address,
                UidCommands.STORED, reply);
    }

    void mailStored(FetchedMail mail, Instant at) {
        synchronized (this) {
            mailsStored++;
        }
        if (mail.internalDate() != null) {
            Duration latency = Duration.between(mail.internalDate(), at);
            tell(l -> l.mailStored(mail.uid(), latency.isNegative() ? Duration.ZERO : latency));
        }
    }

    void checked(Instant at, int stored) {
        boolean recovered;
        synchronized (this) {
            lastCheck = at;
            recovered = error != null;
            error = null;
            nextAttempt = null;
        }
        if (recovered) {
            LOG.info("{}: pickup works again", address);
            tell(PickupListener::recovered);
        }
        tell(l -> l.checked(at, stored));
    }

    void idleRenewed() {
        synchronized (this) {
            idleRenewals++;
        }
    }

    void failed(String message, Instant retryAt, Throwable cause) {
        boolean changed;
        synchronized (this) {
            changed = !Objects.equals(error, message);
            error = message;
            nextAttempt = retryAt;
        }
        if (changed) {
            LOG.warn("{} (next attempt {})", message, retryAt);
            LOG.debug("{}: failure detail", address, cause);
        } else {
            LOG.debug("{} (again; next attempt {})", message, retryAt);
        }
        tell(l -> l.failed(message, retryAt));
    }

    private void tell(Consumer<PickupListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("{}: the pickup listener failed: {}", address, e.toString());
        }
    }
}
