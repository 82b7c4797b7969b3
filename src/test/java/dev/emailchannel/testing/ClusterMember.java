package dev.emailchannel.testing;

import dev.emailchannel.cluster.ClusterServiceFactory;
import dev.emailchannel.cluster.MailboxLeadership;
import dev.emailchannel.cluster.OwnershipListener;
import dev.emailchannel.config.ClusterSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One instance of a cluster test: a CamelContext with the cluster service the settings name and a
 * {@link MailboxLeadership} over the given mailboxes, recording into an {@link OwnershipLog}. Run in-process, or as
 * a child JVM through {@link #main} (see {@link ClusterMemberProcess}), which prints each change as
 * {@code OWNERSHIP TAKE|GIVE <mailbox> <millis>}.
 */
public final class ClusterMember implements AutoCloseable {

    private final String instanceId;
    private final CamelContext context;
    private final CamelClusterService service;
    private final MailboxLeadership leadership;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Set<String> owned = new TreeSet<>();

    public ClusterMember(ClusterSettings settings, List<String> mailboxes, OwnershipLog log) throws Exception {
        this(settings, mailboxes, (instance, mailbox, taken) -> log.record(instance, mailbox, taken));
    }

    private interface Sink {
        void changed(String instance, String mailbox, boolean taken);
    }

    private ClusterMember(ClusterSettings settings, List<String> mailboxes, Sink sink) throws Exception {
        this.instanceId = settings.instanceId();
        this.context = new DefaultCamelContext();
        this.service = ClusterServiceFactory.create(settings).orElse(null);
        OwnershipListener listener = new OwnershipListener() {
            @Override
            public void onBecomeOwner(String mailboxId) {
                synchronized (owned) {
                    owned.add(mailboxId);
                }
                sink.changed(instanceId, mailboxId, true);
            }

            @Override
            public void onLoseOwnership(String mailboxId) {
                synchronized (owned) {
                    owned.remove(mailboxId);
                }
                sink.changed(instanceId, mailboxId, false);
            }
        };
        this.leadership = service == null ? MailboxLeadership.standalone(instanceId, listener, meters)
                : new MailboxLeadership(service, instanceId, listener, meters, MailboxLeadership.Timing.DEFAULT);
        if (service != null) {
            context.addService(service);
        }
        context.addService(leadership);
        context.start();
        mailboxes.forEach(leadership::add);
    }

    public String instanceId() {
        return instanceId;
    }

    public Set<String> owned() {
        synchronized (owned) {
            return Set.copyOf(owned);
        }
    }

    public MailboxLeadership leadership() {
        return leadership;
    }

    public CamelClusterService service() {
        return service;
    }

    public SimpleMeterRegistry meters() {
        return meters;
    }

    /** Graceful stop, as on SIGTERM. */
    @Override
    public void close() {
        context.stop();
    }

    /** Child JVM: {@code <instance> <service> <nodes> <mailbox,...>}; runs until killed or stdin closes. */
    public static void main(String[] args) throws Exception {
        ClusterSettings settings = new ClusterSettings(ClusterSettings.Service.valueOf(args[1].toUpperCase()),
                args[2].isEmpty() ? List.of() : List.of(args[2].split(",")), "", args[0]);
        List<String> mailboxes = List.of(args[3].split(","));
        ClusterMember member = new ClusterMember(settings, mailboxes, (instance, mailbox, taken) -> {
            synchronized (System.out) {
                System.out.println("OWNERSHIP " + (taken ? "TAKE " : "GIVE ") + mailbox + " " + System.currentTimeMillis());
                System.out.flush();
            }
        });
        System.out.println("READY " + settings.instanceId());
        System.out.flush();
        if (Boolean.getBoolean("member.stats")) { // for the benchmark: heap after a GC and live threads, every 5 s
            Thread stats = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(5000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.gc();
                    Runtime runtime = Runtime.getRuntime();
                    synchronized (System.out) {
                        System.out.println("STATS " + (runtime.totalMemory() - runtime.freeMemory()) + " "
                                + Thread.activeCount());
                        System.out.flush();
                    }
                }
            });
            stats.setDaemon(true);
            stats.start();
        }
        CountDownLatch stdinClosed = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent keeps stdin open while it wants this member to run
                }
            } catch (java.io.IOException ignored) {
                // parent gone
            }
            stdinClosed.countDown();
        });
        watcher.setDaemon(true);
        watcher.start();
        stdinClosed.await();
        member.close(); // graceful: the parent closed stdin
    }
}
