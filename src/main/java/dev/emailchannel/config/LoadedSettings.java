package dev.emailchannel.config;

import java.util.List;

/**
 * The outcome of reading the configuration: the settings, or the problems that made them invalid (one line each,
 * naming the variable and the mailbox). An invalid configuration does not stop the application when the API can
 * report it: the channel then shows ERROR.
 *
 * @param settings null when the configuration is invalid
 */
public record LoadedSettings(ChannelSettings settings, List<String> problems) {

    public LoadedSettings {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return settings != null;
    }

    /** The problems in one line. */
    public String problemText() {
        return String.join("; ", problems);
    }
}
