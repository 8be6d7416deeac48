-- What happened to each outbox report, for its report page: every failed send attempt with its
-- problem (a DeliveryProblem code, never personal data), a rejection, and each status the server
-- reported back (its `history`). Created, queued, accepted and wiped are columns of `outbox`.
CREATE TABLE outbox_event (
    seq         INTEGER PRIMARY KEY,
    report_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    -- 'attempt_failed' | 'rejected' | 'resent' | 'server'
    event       TEXT NOT NULL,
    -- the problem code ('attempt_failed'), or the server's status code ('server')
    detail      TEXT NOT NULL DEFAULT '',
    http_status INTEGER
) STRICT;

-- The server's history comes back on every poll: each entry is kept once.
CREATE UNIQUE INDEX outbox_event_once ON outbox_event (report_id, event, at, detail);

-- A report deleted from the device takes its history with it.
CREATE TRIGGER outbox_event_gone AFTER DELETE ON outbox
BEGIN
    DELETE FROM outbox_event WHERE report_id = old.id;
END;
