-- One row per event of one coalition's log. The body is the event's canonical bytes (see
-- docs/record-format.md); the hash is SHA-256(0x00 || body). (coalition, seq) is the primary
-- key, so two writers can never both append the same sequence number: one gets a conflict.
CREATE TABLE events (
    coalition TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    body BLOB NOT NULL,
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (coalition, seq)
) WITHOUT ROWID;
