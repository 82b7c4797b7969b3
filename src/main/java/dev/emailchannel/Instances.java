package dev.emailchannel;

import java.net.InetAddress;

/** The name of this instance of the channel, shown as the owner of the mailboxes it watches. */
final class Instances {

    private Instances() {
    }

    /** The host name and the process id, e.g. {@code worker-3-41233}. */
    static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
