package dev.emailchannel.cluster;

/** A cluster service that reports its own session state (see {@link SessionListener}). */
public interface SessionAware {

    void addSessionListener(SessionListener listener);
}
