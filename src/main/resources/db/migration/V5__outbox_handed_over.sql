-- When a sender was about to hand a reply to the SMTP server for good (just before the line that completes the mail).
-- Set on an entry still pending, it says that the server may have the mail: a sender that died or lost its answer
-- after that point leaves the entry in doubt, and the next claim holds it for an operator instead of sending it again.
ALTER TABLE outbox ADD COLUMN handed_over_at TIMESTAMP WITH TIME ZONE;
