package dev.emailchannel.agent;

/**
 * The agent's own set-up is wrong — it answered 401, 403, 404 or a redirect, or {@code AGENT_URL} names an endpoint
 * this application cannot reach: not the mail's fault. The mail stays pending and the channel shows the agent error
 * until a call succeeds again.
 */
public class AgentSetupException extends Exception {

    public AgentSetupException(String message) {
        super(message);
    }
}
