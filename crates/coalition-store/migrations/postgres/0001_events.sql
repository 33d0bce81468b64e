-- One row per event of one coalition's log, as in the SQLite store: the body is the event's
-- canonical bytes (docs/record-format.md), the hash SHA-256(0x00 || body). The primary key
-- (coalition, seq) is what makes a fork impossible: two writers that both saw the log end at N
-- both insert N+1, and one of them fails. Nothing else is stored; every status is derived.
CREATE TABLE events (
    coalition TEXT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq >= 1),
    body BYTEA NOT NULL,
    hash BYTEA NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (coalition, seq)
);
