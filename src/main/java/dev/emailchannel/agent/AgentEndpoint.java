package dev.emailchannel.agent;

import dev.emailchannel.config.Secret;

/**
 * Where the agent is and how the channel calls it.
 *
 * @param connection {@code CHANNEL_NAME}, sent in every event
 * @param url        {@code AGENT_URL}: a plain http(s) URL gets a JSON POST, any other Camel endpoint URI is used as given
 * @param token      {@code AGENT_TOKEN}, sent as {@code Authorization: Bearer} when set
 */
public record AgentEndpoint(String connection, String url, Secret token) {

    /**
     * Options added to a plain http(s) agent URL: answers are inspected, not thrown; bounded waits. (The HTTP client's
     * own retries are off for the whole component, see application.properties.)
     */
    static final String HTTP_OPTIONS = "throwExceptionOnFailure=false&connectTimeout=10000"
            + "&connectionRequestTimeout=10000&responseTimeout=60000&soTimeout=60000";

    /** True for a plain http(s) URL: the event is POSTed as JSON. */
    public boolean http() {
        return url.startsWith("http://") || url.startsWith("https://");
    }

    /** The Camel endpoint URI of the agent call. */
    public String endpointUri() {
        if (!http()) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + HTTP_OPTIONS;
    }
}
