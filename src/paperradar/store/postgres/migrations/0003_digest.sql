-- Digest subscribers and deliveries (as SQLite's 0006_digest.sql). A delivery row per (subscriber,
-- day) is the whole guarantee of "one digest a day": a run claims the row (committed) before it hands
-- the mail to SMTP and marks it sent after. user_id names an account, so no foreign key.

CREATE TABLE subscribers (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
    user_id         bigint,
    created_at      timestamptz NOT NULL,
    confirmed_at    timestamptz,
    unsubscribed_at timestamptz,
    confirm_sent_at timestamptz  -- the last confirmation mail: at most one an hour to a pending address
);

-- One subscription per mailbox, whatever case the address was typed in.
CREATE UNIQUE INDEX subscribers_email ON subscribers (lower(email));
CREATE INDEX subscribers_status ON subscribers (status, id);

CREATE TABLE deliveries (
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    day           date NOT NULL,
    status        text NOT NULL CHECK (status IN ('sending', 'sent', 'refused', 'failed')),
    worker        text NOT NULL,
    claimed_at    timestamptz NOT NULL,
    attempts      integer NOT NULL DEFAULT 1,
    finished_at   timestamptz,
    message_id    text,
    error         text,
    PRIMARY KEY (subscriber_id, day)
);
