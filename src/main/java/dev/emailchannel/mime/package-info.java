/**
 * Raw RFC 5322 bytes to {@link dev.emailchannel.mime.ParsedMail}.
 *
 * <p>{@link dev.emailchannel.mime.MailParser} walks the MIME tree directly on the raw bytes and degrades
 * gracefully: wrong or missing boundaries, unknown charsets, malformed encoded words, missing headers and truncated
 * messages are worked around and listed in {@code ParsedMail.problems()}. File parts are slices of the raw message,
 * transfer-decoded only when opened ({@link dev.emailchannel.mime.MailPart.Content}), so the attachment policy can
 * decide by size first and a large file is never copied while parsing. Jakarta Mail is used only for what it does
 * well on its own: address lists ({@code InternetAddress}), dates ({@code MailDateFormat}) and uudecoding. Outlook's
 * TNEF containers ({@code winmail.dat}) are opened with Apache POI's HMEF: their files become ordinary parts. Limits
 * against hostile messages (nesting depth, number of parts, header block size) end in a
 * {@link dev.emailchannel.mime.MailLimitException} that names the limit; the pipeline parks such a mail.
 *
 * <p>The parser is checked against Apache mime4j's test corpus (byte-for-byte equal file parts) and thousands of
 * seeded mutations of it ({@code MailParserRobustnessTest}).
 */
package dev.emailchannel.mime;
