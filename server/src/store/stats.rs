//! What the statistics read: counting records (no personal data) and per-region facts.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use crate::db::{StoreResult, parse_ts};
use crate::stats::published::StoredPeriod;
use crate::stats::{AckMinutes, DayCount};

/// A cheap fingerprint of the counting records, to know when a cached publication is stale:
/// records are only ever added (the purge keeps them), and a transfer adds history events.
pub fn version(conn: &Connection) -> StoreResult<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT coalesce(max(rowid), 0) FROM report), (SELECT coalesce(max(id), 0) FROM report_event)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Counting records per region, kind, channel and Amsterdam day of receipt: the daily aggregate
/// that migration 008's triggers keep in step with `report`, one row per non-empty cell × day.
pub fn day_counts(conn: &Connection) -> StoreResult<Vec<DayCount>> {
    let mut stmt = conn.prepare("SELECT vt_region, kind, channel, day, count FROM stats_day")?;
    let rows = stmt.query_map([], |r| {
        Ok(DayCount {
            vt_region: r.get(0)?,
            kind: r.get(1)?,
            channel: r.get(2)?,
            day: r.get(3)?,
            count: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Which publication: the reports' counts or the training uptake's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    Reports,
    Practice,
}

impl Kept {
    fn table(self) -> &'static str {
        match self {
            Kept::Reports => "stats_published",
            Kept::Practice => "stats_practice_published",
        }
    }
}

/// What every published period of the reports' counts showed when it was first published.
pub fn published(conn: &Connection) -> StoreResult<Vec<StoredPeriod>> {
    published_of(conn, Kept::Reports)
}

/// What every published period of `kept` showed when it was first published.
pub fn published_of(conn: &Connection, kept: Kept) -> StoreResult<Vec<StoredPeriod>> {
    let mut stmt = conn.prepare(&format!("SELECT granularity, period, cells FROM {}", kept.table()))?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredPeriod {
            granularity: r.get(0)?,
            period: r.get(1)?,
            cells: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Keep what newly published periods show, for ever; a period kept already stays as it was.
pub fn publish(conn: &mut Connection, kept: Kept, periods: &[StoredPeriod], today: NaiveDate) -> StoreResult<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO {} (granularity, period, published_on, cells) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            kept.table()
        ))?;
        for p in periods {
            stmt.execute(params![p.granularity, p.period, today.to_string(), p.cells])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Pharmacies with at least one active device, per region.
pub fn enrolled_pharmacies(conn: &Connection) -> StoreResult<Vec<(String, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT p.vt_region, count(DISTINCT p.id) FROM pharmacy p JOIN device d ON d.pharmacy_id = p.id
         WHERE d.revoked_at IS NULL GROUP BY 1",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Minutes from receipt to acknowledgement per Amsterdam day of receipt, for reports received in
/// `[from, to)` (RFC 3339 bounds), as they stood when the day was frozen in the publication (see
/// [`crate::stats::period::frozen_on`]): a report counts when its last acknowledgement or
/// transfer before that day was an acknowledgement, for the region that acknowledged it. So a
/// later transfer (which clears the acknowledgement) or a later acknowledgement changes no
/// published median.
pub fn acknowledgement_minutes(conn: &Connection, from: &str, to: &str) -> StoreResult<Vec<AckMinutes>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.amsterdam_day, r.received_at, e.status, e.vt_region, e.at
         FROM report r JOIN report_event e ON e.report_id = r.id
         WHERE e.status IN ('acknowledged', 'transferred') AND r.received_at >= ?1 AND r.received_at < ?2
         ORDER BY r.id, e.id",
    )?;
    type Row = (String, String, String, String, Option<String>, String);
    let rows: Vec<Row> = stmt
        .query_map(params![from, to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut out: Vec<AckMinutes> = Vec::new();
    let mut current: Option<(String, Option<AckMinutes>)> = None;
    for (id, day, received, status, region, at) in rows {
        if current.as_ref().is_none_or(|(c, _)| *c != id) {
            if let Some((_, Some(ack))) = current.take() {
                out.push(ack);
            }
            current = Some((id, None));
        }
        let (Some(day), Some(received), Some(at)) = (
            NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok(),
            parse_ts(&received),
            parse_ts(&at),
        ) else {
            continue;
        };
        let on = at.with_timezone(&meldcode::TIME_ZONE).date_naive();
        if on >= crate::stats::period::frozen_on(day) {
            continue;
        }
        let state = &mut current.as_mut().map(|(_, s)| s);
        let Some(state) = state else { continue };
        **state = match (status.as_str(), region) {
            ("acknowledged", Some(vt_region)) => Some(AckMinutes {
                vt_region,
                day,
                minutes: (at - received).num_minutes(),
                acknowledged_on: on,
            }),
            _ => None,
        };
    }
    if let Some((_, Some(ack))) = current {
        out.push(ack);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, TimeZone, Utc};

    use super::*;
    use crate::settings::Settings;
    use crate::store::intake::{Action, act};

    fn store() -> anyhow::Result<Connection> {
        let mut conn = Connection::open_in_memory()?;
        crate::db::MIGRATIONS.to_latest(&mut conn)?;
        Ok(conn)
    }

    fn insert(conn: &Connection, id: &str, region: &str, at: &str) -> rusqlite::Result<usize> {
        conn.execute(
            "INSERT INTO report (id, kind, channel, vt_region, status, content_hash, received_at)
             VALUES (?1, 'melding', 'balie', ?2, 'received', 'h', ?3)",
            params![id, region, at],
        )
    }

    /// What the aggregate must hold: the counting records grouped by Amsterdam day, in Rust.
    /// Day, region, kind, channel and count.
    type Aggregate = (String, String, String, String, u32);

    fn stored(conn: &Connection) -> anyhow::Result<Vec<Aggregate>> {
        let mut stmt =
            conn.prepare("SELECT day, vt_region, kind, channel, count FROM stats_day ORDER BY 1, 2, 3, 4")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn recount(conn: &Connection) -> anyhow::Result<Vec<Aggregate>> {
        let mut grouped = std::collections::BTreeMap::new();
        let mut stmt = conn.prepare("SELECT day, vt_region, kind, channel, count FROM stats_day")?;
        let stored: Vec<Aggregate> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare("SELECT received_at, vt_region, kind, channel FROM report")?;
        let rows: Vec<(String, String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        for (at, region, kind, channel) in rows {
            let day = crate::db::parse_ts(&at)
                .map(|t| t.with_timezone(&meldcode::TIME_ZONE).date_naive().to_string())
                .unwrap_or_default();
            *grouped.entry((day, region, kind, channel)).or_insert(0u32) += 1;
        }
        let expected: Vec<_> = grouped.into_iter().map(|((d, r, k, c), n)| (d, r, k, c, n)).collect();
        let mut stored = stored;
        stored.sort();
        anyhow::ensure!(stored == expected, "stats_day {stored:?} != records {expected:?}");
        Ok(stored)
    }

    #[test]
    fn a_median_takes_a_report_as_it_stood_when_its_day_was_frozen() -> anyhow::Result<()> {
        let mut conn = store()?;
        let now = Utc::now();
        let transfer = Action::Transfer {
            to: "VT03".into(),
            reason: Some("woont in Gooi en Vechtstreek".into()),
            sealed: None,
        };
        // r0: received 100 days ago (its period published), acknowledged by VT01 after 30
        // minutes; transferred and acknowledged by VT03 now. r1: the same within the last hour.
        for (id, received) in [("r0", now - Duration::days(100)), ("r1", now - Duration::minutes(60))] {
            insert(&conn, id, "VT01", &crate::db::ts(received))?;
            let acked = act(
                &mut conn,
                id,
                "VT01",
                "t",
                &Action::Acknowledge,
                received + Duration::minutes(30),
            )?;
            assert!(acked.is_ok(), "{acked:?}");
            assert!(act(&mut conn, id, "VT01", "t", &transfer, now)?.is_ok());
            assert!(act(&mut conn, id, "VT03", "t", &Action::Acknowledge, now)?.is_ok());
        }
        let all = acknowledgement_minutes(&conn, "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")?;
        let seen: Vec<(String, i64)> = all.iter().map(|a| (a.vt_region.clone(), a.minutes)).collect();
        assert_eq!(
            seen,
            [("VT01".to_owned(), 30), ("VT03".to_owned(), 60)],
            "r0 as published (VT01, 30 min); r1 as it is now"
        );
        Ok(())
    }

    #[test]
    fn a_published_period_is_kept_as_it_was_first_published() -> anyhow::Result<()> {
        let mut conn = store()?;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let period = |cells: &str| StoredPeriod {
            granularity: "month".into(),
            period: "2026-10".into(),
            cells: cells.into(),
        };
        for kept in [Kept::Reports, Kept::Practice] {
            publish(&mut conn, kept, &[period("{\"||\":\"80\"}")], day)?;
            // A second build the same day (or a later one) cannot replace it.
            publish(&mut conn, kept, &[period("{\"||\":\"x\"}")], day + Duration::days(40))?;
            assert_eq!(published_of(&conn, kept)?, [period("{\"||\":\"80\"}")]);
            let table = kept.table();
            let update = conn.execute(&format!("UPDATE {table} SET cells = '{{}}'"), []);
            let delete = conn.execute(&format!("DELETE FROM {table}"), []);
            assert!(update.is_err() && delete.is_err(), "{update:?} {delete:?}");
        }
        Ok(())
    }

    #[test]
    fn the_triggers_frozen_day_is_the_publications() -> anyhow::Result<()> {
        let conn = store()?;
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
        for d in 0..(3 * 366) {
            let day = start + Duration::days(d);
            let sql: String = conn.query_row(
                "SELECT date(min(date(?1, '+1 day', 'weekday 1'), date(?1, 'start of month', '+1 month')), '+31 days')",
                [day.to_string()],
                |r| r.get(0),
            )?;
            assert_eq!(sql, crate::stats::period::frozen_on(day).to_string(), "{day}");
        }
        Ok(())
    }

    #[test]
    fn the_stored_amsterdam_day_is_chronos() -> anyhow::Result<()> {
        let conn = store()?;
        // Every 3 h 7 min over six years: all hours of the day, both clock changes every year.
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut at: DateTime<Utc> = start;
        let mut i = 0;
        while at < start + Duration::days(6 * 366) {
            insert(&conn, &format!("r{i}"), "VT01", &crate::db::ts(at))?;
            i += 1;
            at += Duration::minutes(187);
        }
        // The minutes around each clock change, in the purge's whole-second form too.
        for year in 2024..2031 {
            for (month, day) in [(3, 25), (10, 25)] {
                for d in 0..7 {
                    for minute in [58, 59, 60, 61, 119, 120] {
                        let t = Utc
                            .with_ymd_and_hms(year, month, day + d, 0, 0, 0)
                            .single()
                            .unwrap_or_default()
                            + Duration::minutes(minute);
                        let text = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                        insert(&conn, &format!("r{i}"), "VT01", &text)?;
                        i += 1;
                    }
                }
            }
        }
        let mismatches: Vec<(String, String)> = conn
            .prepare("SELECT received_at, amsterdam_day FROM report")?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .filter_map(Result::ok)
            .filter(|(at, day)| {
                crate::db::parse_ts(at).map(|t| t.with_timezone(&meldcode::TIME_ZONE).date_naive().to_string())
                    != Some(day.clone())
            })
            .collect();
        assert!(mismatches.is_empty(), "{:?}", &mismatches[..mismatches.len().min(5)]);
        recount(&conn)?;
        Ok(())
    }

    #[test]
    fn the_daily_aggregate_follows_submission_transfer_and_purge() -> anyhow::Result<()> {
        let mut conn = store()?;
        let now = Utc::now();
        for (i, (region, minutes_ago)) in [("VT01", 10), ("VT01", 20), ("VT02", 30), ("VT01", 60 * 24 * 200)]
            .into_iter()
            .enumerate()
        {
            insert(
                &conn,
                &format!("r{i}"),
                region,
                &crate::db::ts(now - Duration::minutes(minutes_ago)),
            )?;
        }
        let before = recount(&conn)?;
        assert_eq!(before.iter().map(|r| r.4).sum::<u32>(), 4);
        let to_vt03 = |conn: &mut Connection, id: &str| {
            let reason = Some("woont in Gooi en Vechtstreek".to_owned());
            act(
                conn,
                id,
                "VT01",
                "test",
                &Action::Transfer {
                    to: "VT03".into(),
                    reason,
                    sealed: None,
                },
                now,
            )
        };
        // A transfer moves the count to the region that holds the report last.
        let moved = to_vt03(&mut conn, "r0")?;
        assert!(moved.is_ok(), "{moved:?}");
        let after = recount(&conn)?;
        assert!(after.iter().any(|r| r.1 == "VT03" && r.4 == 1), "{after:?}");
        // The purge coarsens the 200-day-old record's time to its Amsterdam date: same day.
        let purged = crate::store::retention::purge(&mut conn, &Settings::default(), now)?;
        let received: String = conn.query_row("SELECT received_at FROM report WHERE id = 'r3'", [], |r| r.get(0))?;
        assert!(!received.contains('.'), "purged: {received} ({purged})");
        assert_eq!(recount(&conn)?, after);
        conn.execute("DELETE FROM report_event WHERE report_id = 'r1'", [])?;
        conn.execute("DELETE FROM report WHERE id = 'r1'", [])?;
        assert_eq!(recount(&conn)?.iter().map(|r| r.4).sum::<u32>(), 3);
        // A 100-day-old record's period is published: a transfer now leaves its count where it
        // was, so no published figure changes (and the aggregate no longer follows it).
        insert(&conn, "r4", "VT01", &crate::db::ts(now - Duration::days(100)))?;
        let frozen = stored(&conn)?;
        let moved = to_vt03(&mut conn, "r4")?;
        assert!(moved.is_ok(), "{moved:?}");
        assert_eq!(stored(&conn)?, frozen, "a published count moved with a transfer");
        Ok(())
    }
}
