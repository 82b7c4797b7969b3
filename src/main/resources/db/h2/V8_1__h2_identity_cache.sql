-- H2 only. H2 hands out identity values from a cache of 32 and, each time the cache is used up, writes the new high
-- mark in a commit of its own: on an embedded file that commit writes a chunk as any other (WRITE_DELAY=0), inside the
-- INSERT that needed the value. With 1000 such a commit comes once per 1000 rows of a table instead of once per 32
-- (a profile of a 300-mail backlog: 2 % of the channel's CPU in those commits, bench/README.md). The values stay
-- increasing (the cache is the database's, not a connection's); a process killed loses at most the rest of a cache,
-- a gap in the numbers. PostgreSQL keeps its default of 1: its caches are per connection, and the inbox's order is
-- its ids' order.
ALTER TABLE inbound ALTER COLUMN id SET CACHE 1000;
ALTER TABLE session_message ALTER COLUMN id SET CACHE 1000;
ALTER TABLE message_attachment ALTER COLUMN id SET CACHE 1000;
ALTER TABLE outbox ALTER COLUMN id SET CACHE 1000;
