-- Oefenmodus: a practice report is accepted and counted as training uptake, nothing more. Its
-- content is never stored (like a geen melding) and it has no outbox row. It lives in its own
-- table, not in `report`, so no intake inbox, delivery or report count can ever see it.
CREATE TABLE practice_run (
    -- The report id: for its status and to recognise a resubmission.
    id           TEXT PRIMARY KEY,
    pharmacy_id  INTEGER NOT NULL REFERENCES pharmacy(id),
    -- The pharmacy's own region (enrollment), never the fictional person's municipality.
    vt_region    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    -- '' once the resubmission window is over.
    content_hash TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    -- Set when the record was stripped to its Amsterdam date (see store/practice.rs).
    purged_at    TEXT
) STRICT;
CREATE INDEX practice_run_unpurged ON practice_run (received_at) WHERE purged_at IS NULL;
