-- The mail loop guard counts, for every reply it lets out, the replies queued or sent to the same recipient lately.
-- It compared LOWER(recipient), which no index serves: both databases read the whole outbox, every reply ever queued,
-- for each new reply (H2: 114 ms per reply with 30,000 in the outbox, growing with each one). The recipient is now
-- also kept lower-cased, with an index. Plain SQL for H2 2.x and PostgreSQL.
ALTER TABLE outbox ADD COLUMN recipient_key VARCHAR(320);
UPDATE outbox SET recipient_key = LOWER(recipient);
CREATE INDEX ix_outbox_recipient ON outbox (recipient_key, created_at);
