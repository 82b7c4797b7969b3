package dev.emailchannel.pickup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What all watches of one engine share: the settings and the few bounded threads ({@code stores} run the sink's
 * stores, so that a watch fetches its next batch while the previous one is being stored).
 */
record Shared(PickupSettings settings, ExecutorService workers, ExecutorService stores, ScheduledExecutorService timer,
              IdleService idle, ByteBudget budget) {
}
