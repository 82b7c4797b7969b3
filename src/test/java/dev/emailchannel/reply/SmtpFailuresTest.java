package dev.emailchannel.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.session.Outbox;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class SmtpFailuresTest {

    static SMTPSendFailedException send(int code, String text) {
        return new SMTPSendFailedException("DATA", code, text, null, null, null, null);
    }

    @Test
    void should_defer_provider_limits_instead_of_failing() {
        assertThat(SmtpFailures.classify(send(550, "550 5.4.5 Daily user sending limit exceeded.")))
                .isEqualTo(Outbox.Failure.PROVIDER_LIMIT);
        assertThat(SmtpFailures.classify(send(554, "554 5.2.0 STOREDRV.Submission.Exception: SubmissionQuotaExceeded")))
                .isEqualTo(Outbox.Failure.PROVIDER_LIMIT);
        assertThat(SmtpFailures.classify(send(421, "421 4.7.0 Try again later, closing connection")))
                .isEqualTo(Outbox.Failure.PROVIDER_LIMIT);
        assertThat(SmtpFailures.classify(send(451, "451 4.7.1 Rate limited")))
                .isEqualTo(Outbox.Failure.PROVIDER_LIMIT);
    }

    @Test
    void should_fail_other_5xx_for_good_and_retry_the_rest() throws Exception {
        assertThat(SmtpFailures.classify(new SMTPAddressFailedException(new InternetAddress("x@example.com"),
                "RCPT TO", 550, "550 5.1.1 User unknown"))).isEqualTo(Outbox.Failure.PERMANENT);
        assertThat(SmtpFailures.classify(send(451, "451 4.3.0 Local error in processing")))
                .isEqualTo(Outbox.Failure.TEMPORARY);
        assertThat(SmtpFailures.classify(new MessagingException("Could not connect",
                new ConnectException("Connection refused")))).isEqualTo(Outbox.Failure.TEMPORARY);
    }

    @Test
    void should_tell_a_refusal_from_a_send_whose_answer_never_came() throws Exception {
        assertThat(SmtpFailures.serverAnswered(send(451, "451 4.3.0 Local error in processing"))).isTrue();
        assertThat(SmtpFailures.serverAnswered(new MessagingException("wrapped", send(554, "554 no")))).isTrue();
        assertThat(SmtpFailures.serverAnswered(send(-1, "[EOF]"))).as("the connection closed").isFalse();
        assertThat(SmtpFailures.serverAnswered(new MessagingException("IOException while sending message",
                new java.net.SocketTimeoutException("Read timed out")))).isFalse();
    }
}
