//! The intake inbox of a Veilig Thuis region: its reports, the transitions, and the audit log.
//! Every query is scoped to the caller's region: another region's report is "not found".

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use crate::db::{StoreResult, parse_ts};
use crate::store::retention;
use meldcode::{Channel, Kind, Report, Status};

#[derive(Debug, Clone, serde::Serialize)]
pub struct InboxItem {
    pub id: String,
    pub kind: Kind,
    pub channel: Channel,
    pub status: Status,
    pub received_at: DateTime<Utc>,
    pub accompanied: Option<bool>,
    pub purged: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub status: Status,
    pub vt_region: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub vt_region: Option<String>,
    pub action: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IntakeReport {
    pub id: String,
    pub kind: Kind,
    pub status: Status,
    pub vt_region: String,
    pub received_at: DateTime<Utc>,
    pub close_reason: Option<String>,
    /// `None` once personal data is purged.
    pub report: Option<Report>,
    pub history: Vec<Event>,
    pub audit: Vec<AuditEntry>,
}

/// Inbox rows on one page.
pub const INBOX_PAGE_SIZE: u32 = 100;
/// Pages beyond this are refused (an offset stays small and an overflow impossible).
pub const MAX_INBOX_PAGE: u32 = 100_000;

/// One page of an inbox, and how many reports there are on all pages together.
#[derive(Debug)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub total: u64,
}

impl InboxPage {
    /// Whether page `page` is followed by another.
    pub fn has_more(&self, page: u32) -> bool {
        u64::from(page) * u64::from(INBOX_PAGE_SIZE) < self.total
    }
}

/// The region's reports (meldingen and adviesvragen), newest first, page `page` (from 1) of
/// [`INBOX_PAGE_SIZE`].
pub fn inbox(conn: &Connection, region: &str, page: u32) -> StoreResult<InboxPage> {
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM report
         WHERE vt_region = ?1 AND synthetic = 0 AND kind IN ('melding', 'adviesvraag')",
        [region],
        |r| r.get(0),
    )?;
    let offset = i64::from(page.clamp(1, MAX_INBOX_PAGE) - 1) * i64::from(INBOX_PAGE_SIZE);
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, channel, status, received_at, json_extract(body, '$.accompanied'), body IS NULL
         FROM report WHERE vt_region = ?1 AND synthetic = 0 AND kind IN ('melding', 'adviesvraag')
         ORDER BY received_at DESC, id LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(rusqlite::params![region, INBOX_PAGE_SIZE, offset], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<bool>>(5)?,
            r.get::<_, bool>(6)?,
        ))
    })?;
    let items = rows
        .filter_map(Result::ok)
        .filter_map(|(id, kind, channel, status, at, accompanied, purged)| {
            Some(InboxItem {
                id,
                kind: Kind::from_code(&kind)?,
                channel: Channel::from_code(&channel)?,
                status: Status::from_code(&status)?,
                received_at: parse_ts(&at)?,
                accompanied,
                purged,
            })
        })
        .collect();
    Ok(InboxPage {
        items,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// kind, status, received_at, close_reason, body
type ReportRow = (String, String, String, Option<String>, Option<String>);

/// The one condition that scopes a report to a region's intake (`?1` id, `?2` region): only
/// meldingen and adviesvragen, never generated counting records.
const IN_REGION: &str = "id = ?1 AND vt_region = ?2 AND synthetic = 0 AND kind IN ('melding', 'adviesvraag')";

/// The current status of a report of the region; `None`: not this region's (or no such) report.
pub fn status_in_region(conn: &Connection, id: &str, region: &str) -> StoreResult<Option<Status>> {
    let status: Option<String> = conn
        .prepare_cached(&format!("SELECT status FROM report WHERE {IN_REGION}"))?
        .query_row([id, region], |r| r.get(0))
        .optional()?;
    Ok(status.as_deref().and_then(Status::from_code))
}

/// One report of the region, with its history and audit log.
pub fn get(conn: &Connection, id: &str, region: &str) -> StoreResult<Option<IntakeReport>> {
    let row: Option<ReportRow> = conn
        .query_row(
            &format!("SELECT kind, status, received_at, close_reason, body FROM report WHERE {IN_REGION}"),
            [id, region],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((kind, status, received_at, close_reason, body)) = row else {
        return Ok(None);
    };
    let (Some(kind), Some(status), Some(received_at)) = (
        Kind::from_code(&kind),
        Status::from_code(&status),
        parse_ts(&received_at),
    ) else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare_cached("SELECT status, vt_region, at FROM report_event WHERE report_id = ?1 ORDER BY id")?;
    let history = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .filter_map(Result::ok)
        .filter_map(|(s, vt_region, at)| {
            Some(Event {
                status: Status::from_code(&s)?,
                vt_region,
                at: parse_ts(&at)?,
            })
        })
        .collect();
    let mut stmt =
        conn.prepare_cached("SELECT at, actor, vt_region, action, detail FROM audit WHERE report_id = ?1 ORDER BY id")?;
    let audit = stmt
        .query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .filter_map(Result::ok)
        .filter_map(|(at, actor, vt_region, action, detail)| {
            Some(AuditEntry {
                at: parse_ts(&at)?,
                actor,
                vt_region,
                action,
                detail,
            })
        })
        .collect();
    Ok(Some(IntakeReport {
        id: id.to_owned(),
        kind,
        status,
        vt_region: region.to_owned(),
        received_at,
        close_reason,
        report: body.and_then(|b| serde_json::from_str(&b).ok()),
        history,
        audit,
    }))
}

pub fn audit(
    conn: &Connection,
    report_id: &str,
    actor: &str,
    region: &str,
    action: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    // Of a purged report only the date is kept, and no detail.
    let purged = retention::is_purged(conn, report_id)?;
    let (at, detail) = (retention::written_at(purged, now), detail.filter(|_| !purged));
    conn.execute(
        "INSERT INTO audit (report_id, at, actor, vt_region, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![report_id, at, actor, region, action, detail],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Acknowledge,
    Transfer { to: String },
    Close { reason: Option<String> },
}

impl Action {
    pub fn code(&self) -> &'static str {
        match self {
            Action::Acknowledge => "acknowledge",
            Action::Transfer { .. } => "transfer",
            Action::Close { .. } => "close",
        }
    }
}

/// Why an action cannot be done (the request's fault, not the store's).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no such report in this region")]
    NotFound,
    #[error("a report that is {0} cannot be {1}")]
    NotAllowed(&'static str, &'static str),
    #[error("closing without taking it into intake first needs a reason")]
    ReasonRequired,
    #[error("{0} is not a Veilig Thuis region")]
    UnknownRegion(String),
    #[error("the report is in that region already")]
    SameRegion,
}

/// Do an intake action as `actor` of `region`: the transition, its history event, its audit line
/// and (for a transfer) a new outbox row, in one transaction. The new status.
pub fn act(
    conn: &mut Connection,
    id: &str,
    region: &str,
    actor: &str,
    action: &Action,
    now: DateTime<Utc>,
) -> StoreResult<Result<Status, Refusal>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(current) = status_in_region(&tx, id, region)? else {
        return Ok(Err(Refusal::NotFound));
    };
    // After the purge a counting record keeps dates only, and no close reason or audit detail.
    let purged = retention::is_purged(&tx, id)?;
    let at = retention::written_at(purged, now);
    let event = |status: Status, vt_region: &str| {
        tx.execute(
            "INSERT INTO report_event (report_id, status, vt_region, at) VALUES (?1, ?2, ?3, ?4)",
            params![id, status.code(), vt_region, at],
        )
    };
    let (new_status, detail) = match action {
        Action::Acknowledge => {
            if !current.can_become(Status::Acknowledged) {
                return Ok(Err(Refusal::NotAllowed(current.code(), "acknowledged")));
            }
            tx.execute(
                "UPDATE report SET status = 'acknowledged', acknowledged_at = ?2 WHERE id = ?1",
                params![id, at],
            )?;
            event(Status::Acknowledged, region)?;
            (Status::Acknowledged, None)
        }
        Action::Transfer { to } => {
            if meldcode::regions::latest().region(to).is_none() {
                return Ok(Err(Refusal::UnknownRegion(to.chars().take(16).collect())));
            }
            if to == region {
                return Ok(Err(Refusal::SameRegion));
            }
            if !current.can_become(Status::Transferred) {
                return Ok(Err(Refusal::NotAllowed(current.code(), "transferred")));
            }
            event(Status::Transferred, region)?;
            tx.execute(
                "UPDATE report SET status = 'received', vt_region = ?2, acknowledged_at = NULL WHERE id = ?1",
                params![id, to],
            )?;
            event(Status::Received, to)?;
            // The old region handed it over: none of its undelivered deliveries (due, retrying
            // or dead letters) may reach it any more.
            tx.execute(
                "UPDATE outbox SET cancelled_at = ?2, dead_at = coalesce(dead_at, ?2), last_error = ?3
                 WHERE report_id = ?1 AND delivered_at IS NULL AND cancelled_at IS NULL",
                params![id, at, format!("cancelled: transferred to {to}")],
            )?;
            tx.execute(
                "INSERT INTO outbox (delivery_id, report_id, vt_region, event_type, created_at, next_attempt_at)
                 VALUES (?1, ?2, ?3, 'report.transferred', ?4, ?4)",
                params![format!("msg_{}", Uuid::new_v4().simple()), id, to, at],
            )?;
            crate::notify::queue::queue(&tx, id, to, crate::notify::queue::Event::Transferred, &at)?;
            (Status::Received, Some(format!("naar {to}")))
        }
        Action::Close { reason } => {
            let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
            if !current.can_become(Status::Closed) {
                return Ok(Err(Refusal::NotAllowed(current.code(), "closed")));
            }
            if current != Status::Acknowledged && reason.is_none() {
                return Ok(Err(Refusal::ReasonRequired));
            }
            // Required (above) but, once purged, not kept.
            let reason = reason.filter(|_| !purged);
            tx.execute(
                "UPDATE report SET status = 'closed', closed_at = ?2, close_reason = ?3 WHERE id = ?1",
                params![id, at, reason],
            )?;
            event(Status::Closed, region)?;
            (Status::Closed, reason.map(str::to_owned))
        }
    };
    let detail = detail.filter(|_| !purged);
    tx.execute(
        "INSERT INTO audit (report_id, at, actor, vt_region, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, at, actor, region, action.code(), detail],
    )?;
    tx.commit()?;
    Ok(Ok(new_status))
}
