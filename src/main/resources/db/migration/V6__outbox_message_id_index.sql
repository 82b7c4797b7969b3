-- The mail loop guard looks up, for each answered mail, when the reply of ours it answers went out (outbox by
-- message_id): without this index PostgreSQL read the whole outbox each time (7.5 ms at 20,000 entries, growing with
-- every reply ever sent).
CREATE INDEX ix_outbox_message ON outbox (message_id);
