-- When the server rejected a report: rejected reports are wiped 30 days later.
ALTER TABLE outbox ADD COLUMN rejected_at TEXT;
UPDATE outbox SET rejected_at = queued_at WHERE state = 'rejected';
