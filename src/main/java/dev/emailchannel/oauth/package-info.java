/**
 * OAuth 2.0 sign-in for mailboxes (SPEC §2 "OAUTH_*", guide "Use OAuth instead of a password").
 *
 * <p>Wiring per mailbox: one {@link dev.emailchannel.oauth.OAuthTokenProvider} (with a
 * {@link dev.emailchannel.oauth.JdbcRefreshTokenStore}), one
 * {@link dev.emailchannel.oauth.XOAuth2Authenticator} bound in the registry, endpoint options from
 * {@link dev.emailchannel.oauth.XOAuth2MailProperties} for {@code imaps} and {@code smtp}/{@code smtps},
 * and on the IMAP consumer {@code pollStrategy=#…} with an
 * {@link dev.emailchannel.oauth.OAuthInvalidatingPollStrategy}. Password mailboxes use
 * {@link dev.emailchannel.oauth.PasswordAuthenticator} so that no password goes into a URI.
 *
 * <p>How camel-mail 4.18 uses the authenticator (read from its sources, checked on GreenMail):
 * <ul>
 *   <li>{@code MailConfiguration.createJavaMailProperties} calls it once when the consumer or producer
 *       is created (for the user name): a token is fetched at route start, and a failing token
 *       endpoint fails the route start.</li>
 *   <li>IMAP consumer: {@code MailConsumer.ensureIsConnected} calls it only when the store is not
 *       connected; the connection is kept between polls (unless {@code disconnect=true}), so a token
 *       expiring during a connected session does not matter to Camel; a server that drops the session
 *       makes the next poll reconnect, with a token refreshed ahead of expiry.</li>
 *   <li>A rejected token ({@code AuthenticationFailedException} from {@code store.connect}) leaves
 *       {@code poll()} and goes to the poll strategy and the consumer's exception handler, not to the
 *       route's error handler; the next poll reconnects with the cached, rejected token unless it was
 *       invalidated: that is what {@code OAuthInvalidatingPollStrategy} does.</li>
 *   <li>SMTP producer: {@code DefaultJavaMailSender.send} calls it on every send (new connection per
 *       send). A rejected token surfaces as the exchange's exception (cause
 *       {@code AuthenticationFailedException}); the route's error handler should call
 *       {@link dev.emailchannel.oauth.XOAuth2Authenticator#invalidateOnAuthenticationFailure} before a
 *       redelivery.</li>
 * </ul>
 */
package dev.emailchannel.oauth;
