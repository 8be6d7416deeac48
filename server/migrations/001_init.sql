-- Masker 19 server store, v1. Times are UTC RFC 3339 with microseconds ("...Z"), so text order is time order.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE pharmacy (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    gemeente   TEXT NOT NULL,
    vt_region  TEXT NOT NULL,
    phone      TEXT,
    created_at TEXT NOT NULL
) STRICT;

-- One-time enrollment codes, stored as SHA-256; 7 days valid.
CREATE TABLE enrollment_code (
    code_hash   TEXT PRIMARY KEY,
    pharmacy_id INTEGER NOT NULL REFERENCES pharmacy(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
) STRICT;

-- Device tokens: 256-bit random values, stored as SHA-256.
CREATE TABLE device (
    id          INTEGER PRIMARY KEY,
    pharmacy_id INTEGER NOT NULL REFERENCES pharmacy(id),
    token_hash  TEXT NOT NULL UNIQUE,
    -- The first characters of the token, in clear: what `device revoke` matches on.
    token_prefix TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

CREATE TABLE user (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('intake', 'evaluator')),
    vt_region     TEXT CHECK ((role = 'intake') = (vt_region IS NOT NULL)),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
) STRICT;

CREATE TABLE session (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES user(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
) STRICT;

-- A report, and at the same time its counting record: `body` holds the personal data and is
-- set to NULL by the purge; kind, channel, region and times stay for the statistics.
CREATE TABLE report (
    id              TEXT PRIMARY KEY,
    pharmacy_id     INTEGER REFERENCES pharmacy(id),
    device_id       INTEGER REFERENCES device(id),
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    vt_region       TEXT,
    status          TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    body            TEXT,
    received_at     TEXT NOT NULL,
    acknowledged_at TEXT,
    closed_at       TEXT,
    purged_at       TEXT,
    synthetic       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX report_by_region ON report (vt_region, received_at);

-- The status history the pharmacy sees.
CREATE TABLE report_event (
    id        INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES report(id),
    status    TEXT NOT NULL,
    vt_region TEXT,
    at        TEXT NOT NULL
) STRICT;
CREATE INDEX report_event_by_report ON report_event (report_id, id);

-- Deliveries to Veilig Thuis, written in the same transaction as the report.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    delivery_id     TEXT NOT NULL UNIQUE,
    report_id       TEXT NOT NULL REFERENCES report(id),
    vt_region       TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    delivered_at    TEXT,
    dead_at         TEXT,
    last_error      TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox (delivered_at, dead_at, next_attempt_at);
