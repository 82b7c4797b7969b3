package dev.emailchannel.status;

/** One-line descriptions of failures for logs and the API: the server's answer or the network problem, no stack trace. */
public final class Problems {

    private Problems() {
    }

    /** The messages of {@code e} and its causes, each once, joined with ": ", at most about 300 characters. */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        while (t != null && sb.length() < 300) {
            String msg = t.getMessage();
            if (msg != null && !msg.isBlank() && sb.indexOf(msg.strip()) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(msg.strip().replaceAll("\\s+", " "));
            } else if (msg == null && sb.length() == 0) {
                sb.append(t.getClass().getSimpleName());
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.toString();
    }
}
