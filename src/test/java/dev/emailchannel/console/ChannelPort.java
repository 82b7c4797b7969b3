package dev.emailchannel.console;

import dev.emailchannel.testing.ChannelProcess;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP port of a started {@link ChannelProcess}, read from the endpoint list the server logs at start. */
final class ChannelPort {

    private static final Pattern CONSOLE = Pattern.compile("http://0\\.0\\.0\\.0:(\\d+)/console\\b");

    private ChannelPort() {
    }

    static int of(ChannelProcess channel) throws Exception {
        Matcher m = CONSOLE.matcher(channel.log());
        if (!m.find()) {
            throw new IllegalStateException("the channel did not list GET /console at start:\n" + channel.log());
        }
        return Integer.parseInt(m.group(1));
    }
}
