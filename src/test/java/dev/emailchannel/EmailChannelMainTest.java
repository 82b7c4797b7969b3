package dev.emailchannel;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.util.StreamProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class EmailChannelMainTest {

    /**
     * The channel names Jakarta Mail's stream provider so that it is not looked up for every mail; the name must stay
     * the one the lookup would find, or every stored mail would fail (an Angus Mail upgrade that renames it).
     */
    @Test
    void should_name_the_stream_provider_that_the_lookup_finds() {
        List<String> found = ServiceLoader.load(StreamProvider.class).stream()
                .map(p -> p.type().getName()).toList();
        assertThat(found).containsExactly(EmailChannelMain.ANGUS_STREAM_PROVIDER);
    }
}
