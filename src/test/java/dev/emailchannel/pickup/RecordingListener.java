package dev.emailchannel.pickup;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes down what a watch tells its listener, one line per call, for assertions. */
final class RecordingListener implements PickupListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void connected(PickupMode mode, boolean reconnect) {
        events.add("connected " + mode + (reconnect ? " again" : ""));
    }

    @Override
    public void checked(Instant at, int stored) {
        events.add("checked " + stored);
    }

    @Override
    public void failed(String message, Instant nextAttempt) {
        events.add("failed " + message);
    }

    @Override
    public void recovered() {
        events.add("recovered");
    }

    @Override
    public void pollFallback(String reason) {
        events.add("poll fallback: " + reason);
    }
}
