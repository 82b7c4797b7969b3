package dev.emailchannel.trust;

/**
 * What a trusted server found out about the sender of one mail; the event's {@code authentication} object
 * (SPEC §6). Each result is the lower-cased result word of the trusted header ({@code pass}, {@code fail},
 * {@code softfail}, {@code none}, ...), or null when the trusted header has no result of that method or no trusted
 * header is present.
 *
 * @param verified true only when a trusted server reports {@code dmarc=pass} for the mail's From domain, false when
 *                 it reports {@code dmarc=fail} (or a pass for another domain than the From address), null when no
 *                 trusted DMARC result is present
 */
public record SenderAuthentication(String spf, String dkim, String dmarc, Boolean verified) {

    /** No trusted result: nothing is known about the sender. */
    public static final SenderAuthentication UNKNOWN = new SenderAuthentication(null, null, null, null);

    /** True when a trusted server reported that the From domain's DMARC check failed: the sender may be forged. */
    public boolean failed() {
        return Boolean.FALSE.equals(verified);
    }
}
