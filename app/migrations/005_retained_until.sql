-- When the server purges a report's personal data at the latest (every status it sends says
-- so): a report that never settled is wiped from this device at that moment too.
-- A report the server no longer has (its status answers 404) is queued again, or, too old to be
-- sent again, gets the state 'lost'; either is noted in outbox_event as the event 'lost' with
-- the detail 'resent' or 'kept'.
ALTER TABLE outbox ADD COLUMN retained_until TEXT;
