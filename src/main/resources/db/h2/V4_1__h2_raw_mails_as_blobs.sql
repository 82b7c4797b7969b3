-- H2 only (PostgreSQL keeps BYTEA, which it stores out of line by itself). In H2, BYTEA is VARBINARY: the value lives
-- inside the row, so a page of a few 13 MB mails is serialised in one buffer; 20 large mails at once ran a 512 MB heap
-- out of memory inside H2, which then closed the database. A BLOB is stored in blocks of its own.
ALTER TABLE inbound ALTER COLUMN raw SET DATA TYPE BLOB;
ALTER TABLE outbox ALTER COLUMN raw SET DATA TYPE BLOB;
