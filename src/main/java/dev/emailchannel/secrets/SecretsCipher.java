package dev.emailchannel.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets the channel stores ({@code SECRETS_KEY}): AES-256-GCM with a random 96-bit nonce per value and a
 * 128-bit tag, the value's context (table and row, such as the mailbox) as additional authenticated data, so that a
 * stored value cannot be moved to another row.
 *
 * <p>Stored form: {@code enc:v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>}. {@code v1} names this scheme; the key
 * id (8 hex digits derived from the key, not the key) says which configured key wrote the value.
 *
 * <p>Key derivation: each configured key (any string of at least {@value #MIN_KEY_LENGTH} characters; use 32 random
 * bytes, {@code openssl rand -base64 32}) is turned into the AES key by HKDF-SHA256 (RFC 5869) with the UTF-8 bytes
 * of the configured key as input keying material, salt {@code "email-channel secrets"} and info
 * {@code "v1 aes-256-gcm"}; the key id is the first 4 bytes of HKDF-Expand with info {@code "v1 key id"}.
 *
 * <p>Rotation: {@code SECRETS_KEY=new,old}: values are written with the first key and read with whichever key wrote
 * them; {@link Opened#rewrite()} tells the store to write a value again with the first key (also a value stored in
 * clear before a key was set).
 */
public final class SecretsCipher {

    public static final String PREFIX = "enc:v1:";
    public static final int MIN_KEY_LENGTH = 16;
    public static final SecretsCipher NONE = new SecretsCipher(List.of());

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] SALT = "email-channel secrets".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Key(String id, SecretKeySpec spec) {
        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    /**
     * A stored value opened.
     *
     * @param rewrite true when the value should be stored again with the first key (it was in clear, or written by an
     *                older key)
     */
    public record Opened(String value, boolean rewrite) {
        @Override
        public String toString() {
            return "Opened[value=****, rewrite=" + rewrite + "]";
        }
    }

    private final List<Key> keys;

    /**
     * @param keys the configured keys, the first one encrypts; none: values are stored and read in clear
     * @throws IllegalArgumentException when a key is shorter than {@value #MIN_KEY_LENGTH} characters (never showing it)
     */
    public SecretsCipher(List<String> keys) {
        List<Key> derived = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (key == null || key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("SECRETS_KEY: key " + (i + 1) + " is shorter than "
                        + MIN_KEY_LENGTH + " characters");
            }
            derived.add(derive(key));
        }
        this.keys = List.copyOf(derived);
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** The value to store: encrypted with the first key, or {@code value} itself when no key is configured. */
    public String seal(String value, String context) {
        if (!enabled()) {
            return value;
        }
        Key key = keys.get(0);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + key.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage());
        }
    }

    /**
     * The stored value opened: decrypted with the key that wrote it, or taken as it is when it was stored in clear.
     *
     * @throws IllegalStateException naming the reason (no key set, the writing key no longer configured, the value
     *                               altered or moved from another row), never the value
     */
    public Opened open(String stored, String context) {
        if (!isEncrypted(stored)) {
            return new Opened(stored, enabled()); // in clear: encrypt it now that a key is set
        }
        String[] parts = stored.substring(PREFIX.length()).split(":", 2);
        if (parts.length != 2) {
            throw new IllegalStateException("the stored value is not in the " + PREFIX + "<key id>:<data> form");
        }
        if (!enabled()) {
            throw new IllegalStateException("the stored value is encrypted (key " + parts[0]
                    + "), but SECRETS_KEY is not set");
        }
        Key key = keys.stream().filter(k -> k.id().equals(parts[0])).findFirst()
                .orElseThrow(() -> new IllegalStateException("the stored value was encrypted with key " + parts[0]
                        + ", which SECRETS_KEY does not hold (its keys: " + keyIds() + ")"));
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the stored value (key " + key.id() + ") is not valid base64");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the stored value (key " + key.id() + ") is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new Opened(new String(plain, StandardCharsets.UTF_8), key != keys.get(0));
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the stored value (key " + key.id()
                    + ") does not decrypt: it was altered or belongs to another row");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage());
        }
    }

    /** The ids of the configured keys, first (encrypting) one first. */
    public String keyIds() {
        return keys.stream().map(Key::id).collect(Collectors.joining(", "));
    }

    private static Key derive(String configured) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] prk = extract.doFinal(configured.getBytes(StandardCharsets.UTF_8));
            byte[] aes = expand(prk, "v1 aes-256-gcm");
            byte[] id = expand(prk, "v1 key id");
            return new Key(HexFormat.of().formatHex(id, 0, 4), new SecretKeySpec(aes, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage());
        }
    }

    /** HKDF-Expand for one 32-byte block: HMAC(PRK, info ‖ 0x01). */
    private static byte[] expand(byte[] prk, String info) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 1);
        return mac.doFinal();
    }

    @Override
    public String toString() {
        return "SecretsCipher[keys=" + keyIds() + "]";
    }
}
