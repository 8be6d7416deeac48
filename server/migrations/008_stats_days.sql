-- Statistics: counting records aggregated once per Amsterdam day, so a rebuild of the
-- publication reads one row per non-empty region × kind × channel × day instead of every record.

-- The Amsterdam date of receipt (EU summer time: from the last Sunday of March 01:00 UTC to the
-- last Sunday of October 01:00 UTC, UTC+2; else UTC+1). The purge coarsens `received_at` to the
-- start of this very date, so it never changes a record's day.
ALTER TABLE report ADD COLUMN amsterdam_day TEXT GENERATED ALWAYS AS (date(substr(received_at, 1, 19),
    CASE WHEN substr(received_at, 1, 19) >= date(substr(received_at, 1, 4) || '-03-25', 'weekday 0') || 'T01:00:00'
          AND substr(received_at, 1, 19) < date(substr(received_at, 1, 4) || '-10-25', 'weekday 0') || 'T01:00:00'
         THEN '+2 hours' ELSE '+1 hours' END)) VIRTUAL;

-- Counting records per region (the one that holds the report last), kind, channel and day.
-- Kept by the triggers below in the very transaction that writes a report, whichever code path
-- writes it (submission, transfer, purge, demo seeding).
CREATE TABLE stats_day (
    day       TEXT NOT NULL,
    vt_region TEXT NOT NULL,
    kind      TEXT NOT NULL,
    channel   TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (day, vt_region, kind, channel)
) STRICT, WITHOUT ROWID;

INSERT INTO stats_day (day, vt_region, kind, channel, count)
    SELECT amsterdam_day, vt_region, kind, channel, count(*) FROM report
    WHERE vt_region IS NOT NULL AND amsterdam_day IS NOT NULL GROUP BY 1, 2, 3, 4;

CREATE TRIGGER stats_day_insert AFTER INSERT ON report
    WHEN NEW.vt_region IS NOT NULL AND NEW.amsterdam_day IS NOT NULL
BEGIN
    INSERT INTO stats_day (day, vt_region, kind, channel, count)
        VALUES (NEW.amsterdam_day, NEW.vt_region, NEW.kind, NEW.channel, 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
END;

-- A transfer moves a record to another region; nothing else changes a counted key today, but
-- every key column is watched so the aggregate cannot drift.
CREATE TRIGGER stats_day_update AFTER UPDATE OF vt_region, kind, channel, received_at ON report
    WHEN OLD.vt_region IS NOT NEW.vt_region OR OLD.kind IS NOT NEW.kind OR OLD.channel IS NOT NEW.channel
      OR OLD.amsterdam_day IS NOT NEW.amsterdam_day
BEGIN
    UPDATE stats_day SET count = count - 1
        WHERE day = OLD.amsterdam_day AND vt_region = OLD.vt_region AND kind = OLD.kind AND channel = OLD.channel;
    DELETE FROM stats_day
        WHERE day = OLD.amsterdam_day AND vt_region = OLD.vt_region AND kind = OLD.kind AND channel = OLD.channel
          AND count <= 0;
    INSERT INTO stats_day (day, vt_region, kind, channel, count)
        SELECT NEW.amsterdam_day, NEW.vt_region, NEW.kind, NEW.channel, 1
        WHERE NEW.vt_region IS NOT NULL AND NEW.amsterdam_day IS NOT NULL
        ON CONFLICT DO UPDATE SET count = count + 1;
END;

-- Reports are never deleted today; should one be, it stops counting.
CREATE TRIGGER stats_day_delete AFTER DELETE ON report
BEGIN
    UPDATE stats_day SET count = count - 1
        WHERE day = OLD.amsterdam_day AND vt_region = OLD.vt_region AND kind = OLD.kind AND channel = OLD.channel;
    DELETE FROM stats_day
        WHERE day = OLD.amsterdam_day AND vt_region = OLD.vt_region AND kind = OLD.kind AND channel = OLD.channel
          AND count <= 0;
END;
