-- Training uptake never changes once published either: what each period's practice runs showed
-- when first published, in the form of stats_published (scopes "VT01||" a region, "||" the
-- Netherlands). Rows are only ever added.
CREATE TABLE stats_practice_published (
    granularity  TEXT NOT NULL,
    period       TEXT NOT NULL,
    published_on TEXT NOT NULL,
    cells        TEXT NOT NULL,
    PRIMARY KEY (granularity, period)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER stats_practice_published_kept BEFORE UPDATE ON stats_practice_published
BEGIN
    SELECT RAISE(ABORT, 'a published period never changes');
END;

CREATE TRIGGER stats_practice_published_not_deleted BEFORE DELETE ON stats_practice_published
BEGIN
    SELECT RAISE(ABORT, 'a published period never changes');
END;
