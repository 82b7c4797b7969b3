package dev.emailchannel.inbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Tells the dispatchers of this process that mail was stored, so they look for work at once instead of at their next poll. */
public final class WorkSignal {

    private final List<Dispatcher> dispatchers = new CopyOnWriteArrayList<>();

    void register(Dispatcher dispatcher) {
        dispatchers.add(dispatcher);
    }

    void unregister(Dispatcher dispatcher) {
        dispatchers.remove(dispatcher);
    }

    public void mailStored() {
        dispatchers.forEach(Dispatcher::wake);
    }
}
