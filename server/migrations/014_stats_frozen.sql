-- Published statistics never change: a period is published 31 days after its end, and from the
-- day the first period holding a report's day is published (its week or its month, whichever
-- ends first, plus 31 days) the report counts for the region that held it then. A transfer
-- after that day leaves the counting records where they are; before it, the count moves with
-- the report as before. (Reports are received on the server's day, so no new report can land
-- in a published day; only a transfer could move one.)
DROP TRIGGER stats_day_update;

CREATE TRIGGER stats_day_update AFTER UPDATE OF vt_region, kind, channel, received_at ON report
    WHEN (OLD.vt_region IS NOT NEW.vt_region OR OLD.kind IS NOT NEW.kind OR OLD.channel IS NOT NEW.channel
          OR OLD.amsterdam_day IS NOT NEW.amsterdam_day)
      AND (OLD.amsterdam_day IS NULL OR
           -- Today in Europe/Amsterdam (the rule of migration 008) before the day is frozen.
           (SELECT date(n, CASE WHEN n >= date(substr(n, 1, 4) || '-03-25', 'weekday 0') || 'T01:00:00'
                                 AND n < date(substr(n, 1, 4) || '-10-25', 'weekday 0') || 'T01:00:00'
                                THEN '+2 hours' ELSE '+1 hours' END)
            FROM (SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now') AS n))
           < date(min(date(OLD.amsterdam_day, '+1 day', 'weekday 1'),
                      date(OLD.amsterdam_day, 'start of month', '+1 month')), '+31 days'))
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
