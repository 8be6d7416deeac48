-- A transfer cancels the old region's undelivered deliveries (they are never sent nor replayed
-- to it); a cancelled row also carries `dead_at`, so the forwarder's due query skips it as is.
ALTER TABLE outbox ADD COLUMN cancelled_at TEXT;

-- After the purge a counting record keeps only what the statistics need. The purge looks for
-- purged reports that still hold more (a device, a close reason, a time finer than the Amsterdam
-- date, also when written after an earlier purge) through this small index, not a table scan.
CREATE INDEX report_purged_traces ON report (id) WHERE purged_at IS NOT NULL AND (
    device_id IS NOT NULL OR close_reason IS NOT NULL OR instr(received_at, '.') > 0
    OR instr(coalesce(acknowledged_at, ''), '.') > 0 OR instr(coalesce(closed_at, ''), '.') > 0
    OR instr(purged_at, '.') > 0);
-- Dropping the content hash after the resubmission window: `content_hash = ''` once dropped.
CREATE INDEX report_purged_hash ON report (received_at) WHERE purged_at IS NOT NULL AND content_hash <> '';
