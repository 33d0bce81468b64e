-- The Idempotency-Key a principal sent with a write, recorded in the write's own transaction:
-- a retry finds it here (through any process or node, after any restart) and records nothing
-- again. Not part of the log: the key is the client's, and says nothing of the record.
CREATE TABLE idempotency_keys (
    coalition TEXT NOT NULL,
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    request BLOB NOT NULL CHECK (length(request) = 32),
    first_seq INTEGER NOT NULL CHECK (first_seq >= 1),
    last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq),
    PRIMARY KEY (coalition, principal, key)
) WITHOUT ROWID;
