-- Outbound mailbox choice (dev.emailchannel.outbound.MailboxRotation). Plain SQL for H2 2.x and PostgreSQL.

-- The sender address each customer keeps after the first outbound email (sticky).
CREATE TABLE customer_mailbox (
    connection_name VARCHAR(200) NOT NULL,
    customer        VARCHAR(320) NOT NULL,
    mailbox         VARCHAR(320) NOT NULL,
    assigned_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_customer_mailbox PRIMARY KEY (connection_name, customer)
);

-- Round-robin position per connection: one row, incremented in the transaction that assigns a new customer, so
-- several instances sharing the database continue one rotation.
CREATE TABLE mailbox_rotation (
    connection_name VARCHAR(200) NOT NULL,
    assigned        BIGINT       NOT NULL,
    CONSTRAINT pk_mailbox_rotation PRIMARY KEY (connection_name)
);
