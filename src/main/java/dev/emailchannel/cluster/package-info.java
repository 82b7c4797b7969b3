/**
 * Several instances sharing the mailboxes (SPEC §9): which instance watches which mailbox.
 *
 * <ul>
 *   <li>{@link dev.emailchannel.cluster.ClusterServiceFactory}: {@code CLUSTER_SERVICE} → a Camel
 *   {@code CamelClusterService} (ZooKeeper, Kubernetes Leases, file locks), with the timeouts that make a lost
 *   instance stop watching before another starts.</li>
 *   <li>{@link dev.emailchannel.cluster.MailboxBalancer}: the pure rules: preferred owner per mailbox (rendezvous
 *   hashing with bounded loads) and what one instance does about one mailbox.</li>
 *   <li>{@link dev.emailchannel.cluster.MailboxLeadership}: drives one election per mailbox on the cluster SPI and
 *   tells the mailbox runtime through {@link dev.emailchannel.cluster.OwnershipListener}.</li>
 * </ul>
 *
 * <p>Wiring, in the composition root:
 * <pre>{@code
 * ClusterSettings cluster = settings.cluster();
 * PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);   // served at /observe/metrics
 * Optional<CamelClusterService> service = ClusterServiceFactory.create(cluster);
 * service.ifPresent(context::addService);                               // first: started before, stopped after
 * MailboxLeadership leadership = service
 *         .map(s -> new MailboxLeadership(s, cluster.instanceId(), runtime, meters, MailboxLeadership.Timing.DEFAULT))
 *         .orElseGet(() -> MailboxLeadership.standalone(cluster.instanceId(), runtime, meters));
 * context.addService(leadership);
 * // channel started: leadership.add(address) per mailbox; channel stopped: leadership.remove(address)
 * // runtime.onBecomeOwner(address): start the mailbox's watch; runtime.onLoseOwnership(address): stop it now
 * // API: leadership.instanceId(), leadership.owner(address)
 * }</pre>
 * Use the same mailbox id on every instance (the address, not the index).
 */
package dev.emailchannel.cluster;
