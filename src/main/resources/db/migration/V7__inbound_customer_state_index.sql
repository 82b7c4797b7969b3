-- The claim rule "this mail is its customer's lowest pending mail" looked the customer's mails up by (customer, id) and
-- read every one of them to find the pending ones: the longer a sender's history in the inbox, the more rows each claim
-- read (H2: 23 rows for a sender with 22 mails; an automated sender with thousands of mails, thousands per claim).
-- With the state in the index only the customer's pending mails are read. Plain SQL for H2 2.x and PostgreSQL.
CREATE INDEX ix_inbound_customer_state ON inbound (customer, state, id);
DROP INDEX ix_inbound_customer;
