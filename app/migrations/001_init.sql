-- The app's local, encrypted store (SQLCipher): settings, the draft in progress, the outbox.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The procedure in progress (a serialised meldcode::Flow), saved on every change.
CREATE TABLE draft (
    slot       INTEGER PRIMARY KEY CHECK (slot = 1),
    flow       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Every finished report, written before it is sent. `report` holds the personal data and is
-- set to NULL once Veilig Thuis acknowledged it (or it was recorded); the rest has none.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    queued_at       TEXT NOT NULL,
    state           TEXT NOT NULL,
    report          TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    rejection       TEXT,
    http_status     INTEGER,
    vt_region       TEXT,
    accepted_at     TEXT,
    polled_at       TEXT,
    settled_at      TEXT,
    wiped_at        TEXT
) STRICT;
