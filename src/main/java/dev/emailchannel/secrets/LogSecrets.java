package dev.emailchannel.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The process-wide list of secrets that no log line may show: every appender masks through it
 * ({@link MaskingPatternLayout}). The composition root registers the configured secrets (passwords, tokens, client
 * secrets, credentials inside {@code DATABASE_URL} and {@code AGENT_URL}); the OAuth code registers every access token
 * and rotated refresh token it obtains. Process-wide because logback is: an appender is created by logback from
 * {@code logback.xml}, before and outside the Camel context.
 *
 * <p>Values that change (access tokens, every hour per mailbox) are kept per slot, the newest {@value #KEPT_PER_SLOT}
 * of each, so the list does not grow with the uptime. Registration rebuilds an immutable {@link SecretMasker}
 * (rare: at start and once per token refresh); masking reads it without a lock.
 */
public final class LogSecrets {

    /** A replaced token may still show up in a log line written shortly after: the previous ones stay masked. */
    static final int KEPT_PER_SLOT = 3;

    private static final Object LOCK = new Object();
    private static final Set<String> PERMANENT = new LinkedHashSet<>();
    private static final Map<String, Deque<String>> ROTATING = new LinkedHashMap<>();
    private static volatile SecretMasker masker = SecretMasker.EMPTY;

    private LogSecrets() {
    }

    /** Masks {@code secret} from now on, for the life of the process. Null, empty and short values are ignored. */
    public static void register(String secret) {
        register(secret == null ? List.of() : List.of(secret));
    }

    public static void register(Collection<String> secrets) {
        synchronized (LOCK) {
            boolean changed = false;
            for (String secret : secrets) {
                if (secret != null && secret.length() >= SecretMasker.MIN_LENGTH) {
                    changed |= PERMANENT.add(secret);
                }
            }
            if (changed) {
                rebuild();
            }
        }
    }

    /**
     * Masks {@code value} as the newest value of {@code slot} (such as {@code "oauth-access:" + mailbox}); only the
     * newest {@value #KEPT_PER_SLOT} values of a slot stay masked.
     */
    public static void remember(String slot, String value) {
        if (value == null || value.length() < SecretMasker.MIN_LENGTH) {
            return;
        }
        synchronized (LOCK) {
            Deque<String> values = ROTATING.computeIfAbsent(slot, s -> new ArrayDeque<>());
            if (value.equals(values.peekLast())) {
                return;
            }
            values.remove(value);
            values.addLast(value);
            while (values.size() > KEPT_PER_SLOT) {
                values.removeFirst();
            }
            rebuild();
        }
    }

    /** The text with every registered secret masked, in every form {@link SecretMasker} knows. */
    public static String mask(String text) {
        return masker.mask(text);
    }

    /** The masker in use now (for the benchmark). */
    public static SecretMasker masker() {
        return masker;
    }

    /** Forgets every secret; for tests only. */
    static void clear() {
        synchronized (LOCK) {
            PERMANENT.clear();
            ROTATING.clear();
            rebuild();
        }
    }

    private static void rebuild() {
        List<String> all = new ArrayList<>(PERMANENT);
        ROTATING.values().forEach(all::addAll);
        masker = new SecretMasker(all);
    }
}
