-- The intake inbox: who sent a report, and the stub a region keeps of what it handed over.

-- The pharmacy's address, shown to intake staff beside its name and phone.
ALTER TABLE pharmacy ADD COLUMN address TEXT;

-- A transfer's audit line names the region it went to (the reason is its `detail`, which the
-- purge removes; the region code is no personal data and stays for the old region's stub).
ALTER TABLE audit ADD COLUMN to_region TEXT;
CREATE INDEX audit_transfers ON audit (vt_region, report_id, id) WHERE action = 'transfer';

-- The inbox's filters by state, and its triage order (open first, longest waiting first).
CREATE INDEX report_inbox ON report (vt_region, status, received_at) WHERE synthetic = 0;
