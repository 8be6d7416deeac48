-- Forwarding to Veilig Thuis, the intake inbox, the audit log and web sessions.

-- A region's webhook: Standard Webhooks, secret `whsec_<base64>`. A 410 answer disables it until
-- `region set-webhook` is run again.
CREATE TABLE region_webhook (
    vt_region   TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    disabled_at TEXT
) STRICT;

-- Who saw or did what with a report; it travels with the report when it is transferred.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES report(id),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    vt_region TEXT,
    action    TEXT NOT NULL,
    detail    TEXT
) STRICT;
CREATE INDEX audit_by_report ON audit (report_id, id);

-- Web sessions carry a CSRF token for their forms.
ALTER TABLE session ADD COLUMN csrf TEXT;
ALTER TABLE report ADD COLUMN close_reason TEXT;
