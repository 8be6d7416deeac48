-- Published statistics never change. What each period (granularity and period label) showed
-- when it was first published is kept here: a JSON object of every number that was not 0, by
-- scope ("VT01|melding|balie", "VT01||" the region's total, "VT01|melding|" over channels,
-- "|melding|balie" the national total of a kind and channel, "||" the national total), with
-- "<5" and "x" as published. Every later build gives these back unchanged, and hides further
-- numbers only in periods not yet published. Rows are only ever added.
CREATE TABLE stats_published (
    granularity  TEXT NOT NULL,
    period       TEXT NOT NULL,
    published_on TEXT NOT NULL,
    cells        TEXT NOT NULL,
    PRIMARY KEY (granularity, period)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER stats_published_kept BEFORE UPDATE ON stats_published
BEGIN
    SELECT RAISE(ABORT, 'a published period never changes');
END;

CREATE TRIGGER stats_published_not_deleted BEFORE DELETE ON stats_published
BEGIN
    SELECT RAISE(ABORT, 'a published period never changes');
END;
