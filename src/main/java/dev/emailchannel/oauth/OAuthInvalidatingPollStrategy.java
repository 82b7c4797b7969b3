package dev.emailchannel.oauth;

import java.util.Objects;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poll strategy for an IMAP consumer that signs in with XOAUTH2
 * ({@code imaps://…?authenticator=#auth&pollStrategy=#thisBean}).
 *
 * <p>Why: camel-mail's {@code MailConsumer} keeps its store connection between polls and asks the
 * authenticator only when it (re)connects. When the server rejects the token at connect
 * ({@code AuthenticationFailedException}, e.g. a revoked or server-side expired token that our cache
 * still considers valid), the exception leaves {@code poll()} and reaches
 * {@code ScheduledPollConsumer}: first this strategy's {@link #rollback}, then the consumer's
 * exception handler (a WARN log, or the route's error handler with {@code bridgeErrorHandler=true});
 * the consumer connects again on the next poll. Without invalidation that connect presents the same
 * cached token until it expires. This strategy drops the cached token and retries the poll once at
 * once with a fresh token; if that fails too, the failure is reported as usual and the next poll
 * tries again.
 */
public class OAuthInvalidatingPollStrategy extends DefaultPollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthInvalidatingPollStrategy.class);

    private final XOAuth2Authenticator authenticator;

    public OAuthInvalidatingPollStrategy(XOAuth2Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception e) throws Exception {
        if (authenticator.invalidateOnAuthenticationFailure(e)) {
            boolean retryNow = retryCounter < 0; // -1 on the first attempt of a poll
            LOG.warn("{}: IMAP sign-in with the OAuth access token was rejected; requesting a new token{}",
                    authenticator.provider().mailbox(), retryNow ? " and retrying now" : " on the next poll");
            return retryNow;
        }
        return super.rollback(consumer, endpoint, retryCounter, e);
    }

    @Override
    public String toString() {
        return "OAuthInvalidatingPollStrategy[" + authenticator + "]";
    }
}
