-- Raw mails (the inbox) and outgoing mails (the outbox) can hold attachments of megabytes. On H2 a BYTEA column keeps
-- each value inside the MVStore's pages: with mails of a megabyte stored and read at once, H2 2.5 corrupted its file
-- ("Reading from file … failed", "File corrupted in chunk") and 2.3 ran out of heap writing its chunks. As BLOBs, H2
-- streams them in blocks of their own. ${large_binary} is BLOB on H2 and BYTEA (unchanged) on PostgreSQL.
ALTER TABLE inbound ALTER COLUMN raw SET DATA TYPE ${large_binary};
ALTER TABLE outbox ALTER COLUMN raw SET DATA TYPE ${large_binary};
