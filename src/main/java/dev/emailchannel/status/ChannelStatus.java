package dev.emailchannel.status;

/** The lifecycle states of a channel connection (the status dot of the portal). */
public enum ChannelStatus {
    STOPPED, STARTING, RUNNING, ERROR
}
