package dev.emailchannel.reply;

import dev.emailchannel.session.Outbox;
import jakarta.mail.SendFailedException;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * What a failed SMTP send means for the outbox: a provider's limit (quota, rate, too many connections — Gmail's
 * {@code 550 5.4.5 Daily user sending limit exceeded}, Microsoft's {@code 554 5.2.0 … quota}, any {@code 421}) defers
 * the mail for longer; another 5xx refusal of the mail or its recipients fails it for good; anything else (network,
 * other 4xx, a refused sign-in) is temporary.
 */
public final class SmtpFailures {

    private static final Pattern LIMIT = Pattern.compile("(?i)\\b(quota|limit(s|ed)?|rate|too many|exceeded"
            + "|throttl\\w*|try again later)\\b|\\b[45]\\.(4\\.5|7\\.0|7\\.28|2\\.0|2\\.2)\\b");

    private SmtpFailures() {
    }

    /** True when the server answered the send with a refusal (a reply code), so it did not take the mail. */
    public static boolean serverAnswered(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SMTPSendFailedException s && s.getReturnCode() > 0
                    || t instanceof SMTPAddressFailedException a && a.getReturnCode() > 0) {
                return true;
            }
        }
        return false;
    }

    public static Outbox.Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            int code = -1;
            if (t instanceof SMTPSendFailedException s) {
                code = s.getReturnCode();
            } else if (t instanceof SMTPAddressFailedException a) {
                code = a.getReturnCode();
            }
            if (code > 0) {
                String text = String.valueOf(t.getMessage());
                if (code == 421 || code == 452 || LIMIT.matcher(text).find()) {
                    return Outbox.Failure.PROVIDER_LIMIT;
                }
                return code >= 500 ? Outbox.Failure.PERMANENT : Outbox.Failure.TEMPORARY;
            }
            if (t instanceof SendFailedException sfe && sfe.getInvalidAddresses() != null
                    && sfe.getInvalidAddresses().length > 0 && sfe.getNextException() == null) {
                return Outbox.Failure.PERMANENT;
            }
        }
        return Outbox.Failure.TEMPORARY;
    }
}
