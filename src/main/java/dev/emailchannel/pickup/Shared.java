package dev.emailchannel.pickup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** What all watches of one engine share: the settings and the few bounded threads. */
record Shared(PickupSettings settings, ExecutorService workers, ScheduledExecutorService timer, IdleService idle,
              ByteBudget budget) {
}
