-- Digest subscribers and deliveries. A delivery row per (subscriber, day) is the whole guarantee of
-- "one digest a day": a run claims the row (committed) before it hands the mail to SMTP and marks it
-- sent after, so another run, or this one after a crash, knows what is done. user_id names an account
-- (accounts live in another part of the schema), so no foreign key.

CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
    user_id         INTEGER,
    created_at      TEXT NOT NULL,
    confirmed_at    TEXT,
    unsubscribed_at TEXT,
    confirm_sent_at TEXT  -- the last confirmation mail: at most one an hour to a pending address
);

-- One subscription per mailbox, whatever case the address was typed in.
CREATE UNIQUE INDEX subscribers_email ON subscribers (lower(email));
CREATE INDEX subscribers_status ON subscribers (status, id);

CREATE TABLE deliveries (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    day           TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'refused', 'failed')),
    worker        TEXT NOT NULL,
    claimed_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 1,
    finished_at   TEXT,
    message_id    TEXT,
    error         TEXT,
    PRIMARY KEY (subscriber_id, day)
);
