//! The forwarder's queries: due deliveries, their outcome, region webhooks and dead letters.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::db::{StoreResult, ts};

/// A delivery that is due, with what is needed to send it.
#[derive(Debug, Clone)]
pub struct Due {
    pub outbox_id: i64,
    pub delivery_id: String,
    pub report_id: String,
    pub vt_region: String,
    pub event_type: String,
    pub attempts: u32,
    /// `(url, secret)`; `None`: the region has no webhook, the inbox is its only destination.
    pub webhook: Option<(String, String)>,
    /// The report as accepted; `None` once purged.
    pub body: Option<String>,
    pub status: String,
}

/// Due deliveries that can start now, oldest first: at most `per_region` of each region less
/// what that region has in flight (`busy`: deliveries under way per region), `limit` in all,
/// leaving out those already in flight (`in_flight`: their outbox ids). A region at its limit
/// gives none, so a backlog behind hanging regions never fills the answer with rows that cannot
/// start. Regions whose webhook is disabled (a 410) wait.
pub fn due(
    conn: &Connection,
    now: DateTime<Utc>,
    in_flight: &[i64],
    busy: &HashMap<String, usize>,
    per_region: usize,
    limit: usize,
) -> StoreResult<Vec<Due>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, delivery_id, report_id, vt_region, event_type, attempts, url, secret, body, status FROM (
             SELECT o.id, o.delivery_id, o.report_id, o.vt_region, o.event_type, o.attempts, w.url, w.secret,
                    r.body, r.status, o.next_attempt_at,
                    row_number() OVER (PARTITION BY o.vt_region ORDER BY o.next_attempt_at, o.id) AS place
             FROM outbox o JOIN report r ON r.id = o.report_id
                  LEFT JOIN region_webhook w ON w.vt_region = o.vt_region
             WHERE o.delivered_at IS NULL AND o.dead_at IS NULL AND o.next_attempt_at <= ?1
               AND w.disabled_at IS NULL AND o.id NOT IN (SELECT value FROM json_each(?2)))
         WHERE place <= ?3 - coalesce(json_extract(?5, '$.' || vt_region), 0)
         ORDER BY next_attempt_at, id LIMIT ?4",
    )?;
    let in_flight = serde_json::to_string(in_flight).unwrap_or_else(|_| "[]".into());
    let busy = serde_json::to_string(busy).unwrap_or_else(|_| "{}".into());
    let rows = stmt.query_map(
        params![ts(now), in_flight, per_region as i64, limit as i64, busy],
        |r| {
            let url: Option<String> = r.get(6)?;
            let secret: Option<String> = r.get(7)?;
            Ok(Due {
                outbox_id: r.get(0)?,
                delivery_id: r.get(1)?,
                report_id: r.get(2)?,
                vt_region: r.get(3)?,
                event_type: r.get(4)?,
                attempts: r.get(5)?,
                webhook: url.zip(secret),
                body: r.get(8)?,
                status: r.get(9)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// When the next delivery falls due that the forwarder could start now: not in flight
/// (`in_flight`) and not for a region at its limit (`full_regions`). For the forwarder's sleep.
pub fn next_due_at(conn: &Connection, in_flight: &[i64], full_regions: &[&str]) -> StoreResult<Option<String>> {
    let in_flight = serde_json::to_string(in_flight).unwrap_or_else(|_| "[]".into());
    let full_regions = serde_json::to_string(full_regions).unwrap_or_else(|_| "[]".into());
    Ok(conn
        .query_row(
            "SELECT min(o.next_attempt_at) FROM outbox o LEFT JOIN region_webhook w ON w.vt_region = o.vt_region
             WHERE o.delivered_at IS NULL AND o.dead_at IS NULL AND w.disabled_at IS NULL
               AND o.id NOT IN (SELECT value FROM json_each(?1))
               AND o.vt_region NOT IN (SELECT value FROM json_each(?2))",
            params![in_flight, full_regions],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Delivered: with a webhook the report becomes `forwarded` (if it is still `received` in that
/// region); without one the inbox is the delivery and the status stays.
pub fn delivered(conn: &mut Connection, d: &Due, via_webhook: bool, now: DateTime<Utc>) -> StoreResult<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "UPDATE outbox SET delivered_at = ?1, attempts = attempts + ?2, last_error = NULL WHERE id = ?3",
        params![ts(now), i64::from(via_webhook), d.outbox_id],
    )?;
    if via_webhook {
        let changed = tx.execute(
            "UPDATE report SET status = 'forwarded' WHERE id = ?1 AND vt_region = ?2 AND status = 'received'",
            params![d.report_id, d.vt_region],
        )?;
        if changed == 1 {
            tx.execute(
                "INSERT INTO report_event (report_id, status, vt_region, at) VALUES (?1, 'forwarded', ?2, ?3)",
                params![d.report_id, d.vt_region, ts(now)],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// A failed attempt: try again at `next` or, with `None`, make it a dead letter.
pub fn failed(
    conn: &Connection,
    outbox_id: i64,
    error: &str,
    next: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    super::attempts::failed(conn, super::attempts::Queue::Outbox, outbox_id, error, next, now)
}

/// A 410 Gone: the region's endpoint is off until `region set-webhook` runs again.
pub fn disable_webhook(conn: &Connection, vt_region: &str, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "UPDATE region_webhook SET disabled_at = ?1 WHERE vt_region = ?2",
        params![ts(now), vt_region],
    )?;
    Ok(())
}

/// Set a region's webhook (and enable it again). With `keep_previous` the secret it replaces
/// stays valid beside the new one until then ([`previous_secret`]); without, it is gone at once.
pub fn set_webhook(
    conn: &Connection,
    vt_region: &str,
    url: &str,
    secret: &str,
    keep_previous: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO region_webhook (vt_region, url, secret, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (vt_region) DO UPDATE SET url = excluded.url, secret = excluded.secret,
             updated_at = excluded.updated_at, disabled_at = NULL,
             previous_secret = CASE WHEN ?5 IS NULL THEN NULL
                                    WHEN region_webhook.secret <> excluded.secret THEN region_webhook.secret
                                    ELSE region_webhook.previous_secret END,
             previous_until = CASE WHEN ?5 IS NULL THEN NULL
                                   WHEN region_webhook.secret <> excluded.secret THEN ?5
                                   ELSE region_webhook.previous_until END",
        params![vt_region, url, secret, ts(now), keep_previous.map(ts)],
    )?;
    Ok(())
}

/// The secret a region's webhook had before its last rotation, while it is still kept (see
/// [`set_webhook`]); deliveries are signed with it too.
pub fn previous_secret(conn: &Connection, vt_region: &str, now: DateTime<Utc>) -> StoreResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT previous_secret FROM region_webhook WHERE vt_region = ?1 AND previous_until > ?2",
            params![vt_region, ts(now)],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

#[derive(Debug)]
pub struct DeadLetter {
    pub delivery_id: String,
    pub report_id: String,
    pub vt_region: String,
    pub attempts: u32,
    pub dead_at: String,
    pub last_error: Option<String>,
}

pub fn dead_letters(conn: &Connection) -> StoreResult<Vec<DeadLetter>> {
    let mut stmt = conn.prepare(
        "SELECT delivery_id, report_id, vt_region, attempts, dead_at, last_error FROM outbox
         WHERE dead_at IS NOT NULL AND cancelled_at IS NULL ORDER BY dead_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(DeadLetter {
            delivery_id: r.get(0)?,
            report_id: r.get(1)?,
            vt_region: r.get(2)?,
            attempts: r.get(3)?,
            dead_at: r.get(4)?,
            last_error: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Queue dead letters again (one, or all), with a fresh schedule; the delivery id stays. A
/// delivery cancelled by a transfer is no dead letter: it never goes to the old region again.
pub fn replay(conn: &Connection, delivery_id: Option<&str>, now: DateTime<Utc>) -> StoreResult<usize> {
    Ok(conn.execute(
        "UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ?1
         WHERE dead_at IS NOT NULL AND cancelled_at IS NULL AND (?2 IS NULL OR delivery_id = ?2)",
        params![ts(now), delivery_id],
    )?)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;

    #[test]
    fn the_previous_secret_is_kept_until_the_overlap_ends_and_only_when_asked() -> anyhow::Result<()> {
        let mut conn = Connection::open_in_memory()?;
        crate::db::MIGRATIONS.to_latest(&mut conn)?;
        let now = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .ok_or(anyhow::anyhow!("time"))?;
        let url = "https://vt01.example/hook";
        set_webhook(&conn, "VT01", url, "whsec_oud", None, now)?;
        assert_eq!(
            previous_secret(&conn, "VT01", now)?,
            None,
            "a first secret has none before it"
        );

        set_webhook(&conn, "VT01", url, "whsec_nieuw", Some(now + Duration::hours(24)), now)?;
        assert_eq!(previous_secret(&conn, "VT01", now)?.as_deref(), Some("whsec_oud"));
        let late = now + Duration::hours(23) + Duration::minutes(59);
        assert_eq!(previous_secret(&conn, "VT01", late)?.as_deref(), Some("whsec_oud"));
        assert_eq!(
            previous_secret(&conn, "VT01", now + Duration::hours(24))?,
            None,
            "the overlap is over"
        );

        // Setting the same secret again (a new URL) does not make it its own previous secret.
        set_webhook(&conn, "VT01", url, "whsec_nieuw", Some(now + Duration::hours(48)), now)?;
        assert_eq!(previous_secret(&conn, "VT01", now)?.as_deref(), Some("whsec_oud"));

        set_webhook(&conn, "VT01", url, "whsec_derde", None, now)?;
        assert_eq!(
            previous_secret(&conn, "VT01", now)?,
            None,
            "without --keep-previous it is gone at once"
        );
        Ok(())
    }
}
