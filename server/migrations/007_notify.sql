-- Notice of new reports by e-mail (docs/contract.md, "E-mail notices"). A region's notification address, set with
-- `region set-notify`; and the queue of notices, each written in the same transaction as the report
-- or the transfer that caused it, so a notice never blocks the report and survives a crash.
-- A notice holds no report content: the report's id, the region, and its delivery state.
CREATE TABLE region_notify (
    vt_region  TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE notice (
    id              INTEGER PRIMARY KEY,
    report_id       TEXT NOT NULL REFERENCES report(id),
    vt_region       TEXT NOT NULL,
    event_type      TEXT NOT NULL CHECK (event_type IN ('received', 'transferred')),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    -- Given up after the last retry, or cancelled (the report was handed to another region).
    dead_at         TEXT,
    last_error      TEXT
) STRICT;
CREATE INDEX notice_due ON notice (next_attempt_at) WHERE sent_at IS NULL AND dead_at IS NULL;
