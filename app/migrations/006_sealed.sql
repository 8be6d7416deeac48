-- Sealed reports: the envelope (schema_version 2) made when a melding or adviesvraag of a sealed
-- region is finished, sent byte for byte on every retry instead of the report itself; wiped with
-- the report.
ALTER TABLE outbox ADD COLUMN envelope TEXT;
