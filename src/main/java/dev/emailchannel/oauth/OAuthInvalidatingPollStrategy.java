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
 * still considers valid), the exception leaves {@code poll()} and reaches the poll strategy, not the
 * route's error handler; the consumer retries the connect on the next poll. Without invalidation
 * that retry presents the same cached token until it expires. This strategy drops the cached token
 * so the next poll connects with a fresh one, then logs like the default strategy.
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
            LOG.warn("{}: IMAP sign-in with the OAuth access token was rejected; a new token will be requested "
                    + "on the next poll", authenticator.provider().mailbox());
        }
        return super.rollback(consumer, endpoint, retryCounter, e);
    }

    @Override
    public String toString() {
        return "OAuthInvalidatingPollStrategy[" + authenticator + "]";
    }
}
