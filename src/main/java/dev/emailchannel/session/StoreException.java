package dev.emailchannel.session;

import java.sql.SQLException;

/** The database failed; the exchange that needed it fails too, so the mail stays unread and is retried. */
public class StoreException extends RuntimeException {

    public StoreException(SQLException cause) {
        super("database error: " + cause.getMessage(), cause);
    }
}
