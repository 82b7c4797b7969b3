package dev.emailchannel.config;

import dev.emailchannel.trust.TrustedAuthservIds;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The whole connection: its mailboxes and the settings that apply to all of them.
 *
 * @param checkIntervalSeconds the smallest {@code CHECK_INTERVAL} given
 * @param maxAttachmentBytes   0 means no limit
 * @param apiToken             empty when the HTTP API is not configured
 * @param imapIdle             {@code IMAP_IDLE}: push pickup where the server offers it
 * @param agentConcurrency     {@code AGENT_CONCURRENCY}: agent calls at once
 * @param loopGuardMaxReplies  {@code LOOP_GUARD_MAX_REPLIES} per {@code loopGuardWindow} to one address
 * @param cluster              how the mailboxes are shared with other instances (SPEC §9)
 * @param trustedAuthservIds   {@code TRUSTED_AUTHSERV_IDS}, or the ids of the mailboxes' provider presets
 * @param agentSigningSecret   empty when agent calls are not signed
 * @param encryptionKeys       {@code SECRETS_KEY} values, the first encrypts; empty when stored tokens stay in clear
 * @param jitCompiler          {@code JIT_COMPILER}: which of the JVM's JIT compilers compile the channel
 */
public record ChannelSettings(
        String name,
        String description,
        List<MailboxSettings> mailboxes,
        int checkIntervalSeconds,
        String signature,
        long maxAttachmentBytes,
        String agentUrl,
        Secret agentToken,
        boolean inboundEnabled,
        Secret apiToken,
        Duration sessionIdleTimeout,
        boolean imapIdle,
        int agentConcurrency,
        int loopGuardMaxReplies,
        Duration loopGuardWindow,
        ClusterSettings cluster,
        TrustedAuthservIds trustedAuthservIds,
        Secret agentSigningSecret,
        List<Secret> encryptionKeys,
        JitCompiler jitCompiler) {

    public ChannelSettings {
        mailboxes = List.copyOf(mailboxes);
        encryptionKeys = List.copyOf(encryptionKeys);
    }

    /** Lower-cased addresses of every mailbox, to recognise mail the channel sent itself. */
    public Set<String> ownAddressKeys() {
        return mailboxes.stream().map(m -> m.address().key()).collect(Collectors.toUnmodifiableSet());
    }

    public MailboxSettings mailbox(String address) {
        return mailboxes.stream().filter(m -> m.address().address().equalsIgnoreCase(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a mailbox of this connection: " + address));
    }
}
