package dev.emailchannel.outbound;

import dev.emailchannel.session.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Chooses the mailbox an outbound email is sent from. A customer who already has a mailbox keeps it (sticky, stored in
 * {@code customer_mailbox}); a new customer gets a preferred mailbox when the caller names one (the mailbox of the
 * customer's earlier session), otherwise the next mailbox in rotation. The rotation counter is a database row updated
 * in the assigning transaction, so it survives restarts and is shared by several instances.
 */
public final class MailboxRotation {

    private final DataSource dataSource;
    private final String connection;

    public MailboxRotation(DataSource dataSource, String connection) {
        this.dataSource = dataSource;
        this.connection = connection;
    }

    /**
     * The sender mailbox of {@code customer}, assigning one if the customer has none (or has one that is no longer
     * configured).
     *
     * @param mailboxes the configured mailbox addresses, in configuration order
     * @param preferred the mailbox to assign a new customer instead of rotating, or null
     */
    public String assign(String customer, List<String> mailboxes, String preferred, Instant now) {
        if (mailboxes.isEmpty()) {
            throw new IllegalStateException("the connection has no mailbox");
        }
        String key = customer.trim().toLowerCase(Locale.ROOT);
        SQLException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return assignOnce(key, mailboxes, preferred, now);
            } catch (SQLException e) {
                // another instance assigned the same customer or created the counter row at the same moment: read again
                last = e;
            }
        }
        throw new IllegalStateException("cannot assign a mailbox to " + key + ": " + last.getMessage(), last);
    }

    /** The stored sender mailbox of a customer, if any. */
    public Optional<String> assigned(String customer) {
        try (Connection c = dataSource.getConnection()) {
            return current(c, customer.trim().toLowerCase(Locale.ROOT));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String assignOnce(String key, List<String> mailboxes, String preferred, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<String> current = current(c, key);
                String chosen;
                if (current.isPresent() && contains(mailboxes, current.get())) {
                    c.commit();
                    return canonical(mailboxes, current.get());
                } else if (preferred != null && contains(mailboxes, preferred)) {
                    chosen = canonical(mailboxes, preferred);
                } else {
                    chosen = mailboxes.get((int) Math.floorMod(nextPosition(c), (long) mailboxes.size()));
                }
                if (current.isPresent()) {
                    update(c, "UPDATE customer_mailbox SET mailbox = ?, assigned_at = ? WHERE connection_name = ? "
                            + "AND customer = ?", chosen, Timestamp.from(now), connection, key);
                } else {
                    update(c, "INSERT INTO customer_mailbox (connection_name, customer, mailbox, assigned_at) "
                            + "VALUES (?, ?, ?, ?)", connection, key, chosen, Timestamp.from(now));
                }
                c.commit();
                Database.flushCommits(dataSource);
                return chosen;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Increments the rotation counter (the row lock serialises concurrent assigners) and returns the old value. */
    private long nextPosition(Connection c) throws SQLException {
        int updated = update(c, "UPDATE mailbox_rotation SET assigned = assigned + 1 WHERE connection_name = ?",
                connection);
        if (updated == 0) {
            update(c, "INSERT INTO mailbox_rotation (connection_name, assigned) VALUES (?, 1)", connection);
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT assigned FROM mailbox_rotation WHERE connection_name = ?")) {
            ps.setString(1, connection);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) - 1;
            }
        }
    }

    private Optional<String> current(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT mailbox FROM customer_mailbox WHERE connection_name = ? AND customer = ?")) {
            ps.setString(1, connection);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static boolean contains(List<String> mailboxes, String address) {
        return mailboxes.stream().anyMatch(m -> m.equalsIgnoreCase(address));
    }

    private static String canonical(List<String> mailboxes, String address) {
        return mailboxes.stream().filter(m -> m.equalsIgnoreCase(address)).findFirst().orElse(address);
    }
}
