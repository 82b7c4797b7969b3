package dev.emailchannel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The README's configuration table and application.properties stay true to the code. */
class SettingsDocumentationTest {

    @ParameterizedTest
    @EnumSource(Setting.class)
    void should_document_every_setting_with_its_default(Setting setting) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String defaultCell = setting.defaultValue() == null ? "required"
                : setting.defaultValue().isEmpty() ? "—" : "`" + setting.defaultValue() + "`";
        assertThat(readme).contains("| `" + setting.name() + "` | " + defaultCell + " |");
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void should_read_every_setting_from_its_variable_in_application_properties(Setting setting) throws Exception {
        String properties = Files.readString(Path.of("application.properties"));
        assertThat(properties).containsPattern("(?m)^" + java.util.regex.Pattern.quote(setting.propertyKey())
                + " = \\{\\{env:" + setting.name() + ":[^}]*}}$");
    }
}
