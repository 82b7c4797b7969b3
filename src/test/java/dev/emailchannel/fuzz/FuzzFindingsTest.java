package dev.emailchannel.fuzz;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the fuzz targets of {@code bench/fuzz.sh} on their seeds and on every saved finding
 * ({@code src/test/resources/fuzz/<target>/}), so that a fixed finding stays fixed. The fuzzing itself runs only
 * from the script.
 */
class FuzzFindingsTest {

    static Stream<Arguments> mailInputs() throws IOException {
        return inputs(List.of("src/test/resources/eml", "src/test/resources/mime", "src/test/resources/fuzz/mail"));
    }

    static Stream<Arguments> quoteInputs() throws IOException {
        return inputs(List.of("src/test/resources/quote", "src/test/resources/fuzz/quote"));
    }

    static Stream<Arguments> authresInputs() throws IOException {
        return inputs(List.of("src/test/resources/fuzz/authres"));
    }

    private static Stream<Arguments> inputs(List<String> dirs) throws IOException {
        Stream<Arguments> all = Stream.empty();
        for (String dir : dirs) {
            Path root = Path.of(dir);
            if (Files.isDirectory(root)) {
                List<Arguments> files;
                try (Stream<Path> walk = Files.walk(root)) {
                    files = walk.filter(Files::isRegularFile).sorted().map(p -> Arguments.of(p.toString())).toList();
                }
                all = Stream.concat(all, files.stream());
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mailInputs")
    void mail_parser_survives(String file) throws IOException {
        byte[] input = Files.readAllBytes(Path.of(file));
        assertThatCode(() -> MailParserFuzzer.fuzzerTestOneInput(input)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quoteInputs")
    void quote_stripper_survives(String file) throws IOException {
        byte[] input = Files.readAllBytes(Path.of(file));
        if (file.startsWith("src/test/resources/fuzz/")) { // a saved fuzzer input: its first byte is the mode
            assertThatCode(() -> QuoteStripperFuzzer.fuzzerTestOneInput(input)).doesNotThrowAnyException();
            return;
        }
        for (byte mode : new byte[] {0, 1}) { // a text fixture as the plain-text body, then as the HTML body
            byte[] withMode = new byte[input.length + 1];
            withMode[0] = mode;
            System.arraycopy(input, 0, withMode, 1, input.length);
            assertThatCode(() -> QuoteStripperFuzzer.fuzzerTestOneInput(withMode)).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authresInputs")
    void forged_authentication_results_change_nothing(String file) throws IOException {
        byte[] input = Files.readAllBytes(Path.of(file));
        assertThatCode(() -> AuthenticationResultsFuzzer.fuzzerTestOneInput(input)).doesNotThrowAnyException();
    }
}
