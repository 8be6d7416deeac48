//! The intake inbox of a Veilig Thuis region: its reports, the transitions, and the audit log.
//! Every query is scoped to the caller's region: another region's report is "not found".

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use crate::db::{StoreResult, parse_ts};
use crate::store::directory::{PharmacyContact, pharmacy_contact};
use crate::store::retention;
use meldcode::intake::{ActionProblem, AuditAction, check_close, check_transfer, given_reason, kenmerk};
use meldcode::sealed::Envelope;
use meldcode::{Kind, Report, Status};

use crate::store::reports::Incoming;

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
    /// A transfer's new region.
    pub to_region: Option<String>,
}

/// Who did something to a report, and when.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Done {
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IntakeReport {
    pub id: String,
    pub kenmerk: String,
    pub kind: Kind,
    pub status: Status,
    pub vt_region: String,
    pub received_at: DateTime<Utc>,
    /// The pharmacy's own time of the report (`None` once purged).
    pub created_at: Option<DateTime<Utc>>,
    /// Who sent it.
    pub pharmacy: Option<PharmacyContact>,
    /// Who took it into intake and when, while it is acknowledged.
    pub handled_by: Option<Done>,
    /// Who closed it and when.
    pub closed: Option<Done>,
    pub close_reason: Option<String>,
    /// `None` once personal data is purged, and for a sealed report.
    pub report: Option<Report>,
    /// A sealed report (schema_version 2): its envelope with `sealed`, opened with the region's
    /// key by whoever reads it. `None` for a report v1 and once purged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope: Option<Envelope>,
    pub history: Vec<Event>,
    pub audit: Vec<AuditEntry>,
}

/// kind, status, received_at, close_reason, body, pharmacy_id
type ReportRow = (String, String, String, Option<String>, Option<String>, Option<i64>);

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

/// The stored JSON of a report of the region, as accepted, and its status (`None`: not this
/// region's, or purged).
pub fn body_in_region(conn: &Connection, id: &str, region: &str) -> StoreResult<Option<(String, Status)>> {
    let row: Option<(Option<String>, String)> = conn
        .prepare_cached(&format!("SELECT body, status FROM report WHERE {IN_REGION}"))?
        .query_row([id, region], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(body, status)| Some((body?, Status::from_code(&status)?))))
}

/// One report of the region, with its history and audit log.
pub fn get(conn: &Connection, id: &str, region: &str) -> StoreResult<Option<IntakeReport>> {
    let row: Option<ReportRow> = conn
        .query_row(
            &format!("SELECT kind, status, received_at, close_reason, body, pharmacy_id FROM report WHERE {IN_REGION}"),
            [id, region],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let Some((kind, status, received_at, close_reason, body, pharmacy_id)) = row else {
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
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, vt_region, action, detail, to_region FROM audit WHERE report_id = ?1 ORDER BY id",
    )?;
    let audit: Vec<AuditEntry> = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .filter_map(Result::ok)
        .filter_map(|(at, actor, vt_region, action, detail, to_region)| {
            Some(AuditEntry {
                at: parse_ts(&at)?,
                actor,
                vt_region,
                action,
                detail,
                to_region,
            })
        })
        .collect();
    // The last time someone did `action` (the audit log travels with the report).
    let last = |action: AuditAction| {
        audit.iter().rev().find(|a| a.action == action.code()).map(|a| Done {
            by: a.actor.clone(),
            at: a.at,
        })
    };
    let (report, envelope) = match body.as_deref().and_then(Incoming::from_stored) {
        Some(Incoming::Plain(r)) => (Some(*r), None),
        Some(Incoming::Sealed(e)) => (None, Some(e)),
        None => (None, None),
    };
    let handled_by = last(AuditAction::Acknowledge).filter(|_| status == Status::Acknowledged);
    let closed = last(AuditAction::Close).filter(|_| status == Status::Closed);
    Ok(Some(IntakeReport {
        id: id.to_owned(),
        kenmerk: kenmerk(id),
        kind,
        status,
        vt_region: region.to_owned(),
        received_at,
        created_at: report
            .as_ref()
            .map(|r| r.created_at)
            .or(envelope.as_ref().map(|e| e.created_at)),
        pharmacy: match pharmacy_id {
            Some(p) => pharmacy_contact(conn, p)?,
            None => None,
        },
        handled_by,
        closed,
        close_reason,
        report,
        envelope,
        history,
        audit,
    }))
}

pub fn audit(
    conn: &Connection,
    report_id: &str,
    actor: &str,
    region: &str,
    action: AuditAction,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    // Of a purged report only the date is kept, and no detail.
    let purged = retention::is_purged(conn, report_id)?;
    let (at, detail) = (retention::written_at(purged, now), detail.filter(|_| !purged));
    conn.execute(
        "INSERT INTO audit (report_id, at, actor, vt_region, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![report_id, at, actor, region, action.code(), detail],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Acknowledge,
    /// `sealed`: a sealed report re-sealed to the target region (required for a sealed report).
    Transfer {
        to: String,
        reason: Option<String>,
        sealed: Option<String>,
    },
    Close {
        reason: Option<String>,
    },
}

impl Action {
    pub fn audit_action(&self) -> AuditAction {
        match self {
            Action::Acknowledge => AuditAction::Acknowledge,
            Action::Transfer { .. } => AuditAction::Transfer,
            Action::Close { .. } => AuditAction::Close,
        }
    }

    pub fn code(&self) -> &'static str {
        self.audit_action().code()
    }
}

/// Why an action cannot be done (the request's fault, not the store's).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no such report in this region")]
    NotFound,
    #[error("a report that is {0} cannot be {1}")]
    NotAllowed(&'static str, &'static str),
    /// Broken rules of the action (a transfer's region and reason, a close reason): the one
    /// check in `meldcode`, done again here where the current status is known.
    #[error("the request breaks {} rule(s)", .0.len())]
    Invalid(Vec<ActionProblem>),
    /// Nothing to hand over: the new region would get a delivery and a notice about a report
    /// whose content is gone.
    #[error(
        "the personal data of this report was purged under the retention period: there is nothing left to hand over"
    )]
    Purged,
    #[error("a sealed report is handed over re-sealed to the target region's keys: send it in `sealed`")]
    ResealRequired,
    #[error("this report is not sealed: a report v1 is handed over without `sealed`")]
    NotSealed,
    /// The re-sealed report breaks the envelope's rules for `sealed`.
    #[error("the re-sealed report is not acceptable")]
    Sealed(Vec<meldcode::FieldError>),
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
        Action::Transfer { to, reason, sealed } => {
            let problems = check_transfer(region, to, reason.as_deref());
            let (true, Some(reason)) = (problems.is_empty(), given_reason(reason.as_deref())) else {
                return Ok(Err(Refusal::Invalid(problems)));
            };
            if !current.can_become(Status::Transferred) {
                return Ok(Err(Refusal::NotAllowed(current.code(), "transferred")));
            }
            if purged {
                return Ok(Err(Refusal::Purged));
            }
            if let Err(refusal) = reseal(&tx, id, sealed.as_deref())? {
                return Ok(Err(refusal));
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
            crate::store::notices::queue(&tx, id, to, crate::store::notices::Event::Transferred, &at)?;
            (Status::Received, Some(reason.to_owned()))
        }
        Action::Close { reason } => {
            // A reason that is too long is refused whatever the status (422 before 409); a
            // missing one only where closing is allowed at all.
            let problems = check_close(current, reason.as_deref());
            let too_long = problems
                .iter()
                .any(|p| matches!(p, ActionProblem::ReasonTooLong { .. }));
            if !too_long && !current.can_become(Status::Closed) {
                return Ok(Err(Refusal::NotAllowed(current.code(), "closed")));
            }
            if !problems.is_empty() {
                return Ok(Err(Refusal::Invalid(problems)));
            }
            let reason = given_reason(reason.as_deref());
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
    let to_region = match action {
        Action::Transfer { to, .. } => Some(to.as_str()),
        _ => None,
    };
    tx.execute(
        "INSERT INTO audit (report_id, at, actor, vt_region, action, detail, to_region)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, at, actor, region, action.code(), detail, to_region],
    )?;
    tx.commit()?;
    Ok(Ok(new_status))
}

/// A transfer's `sealed`: a sealed report's envelope gets the re-sealed report in place of its
/// old `sealed` (the old region's keys no longer open what is kept); a report v1 takes none.
fn reseal(conn: &Connection, id: &str, sealed: Option<&str>) -> StoreResult<Result<(), Refusal>> {
    let body: Option<String> = conn.query_row("SELECT body FROM report WHERE id = ?1", [id], |r| r.get(0))?;
    let stored = body.as_deref().and_then(Incoming::from_stored);
    match (stored, sealed) {
        (Some(Incoming::Sealed(_)), None) => Ok(Err(Refusal::ResealRequired)),
        (Some(Incoming::Sealed(mut envelope)), Some(sealed)) => {
            envelope.sealed = sealed.to_owned();
            let problems = masker19_seal::sealed_problems(&envelope);
            if !problems.is_empty() {
                return Ok(Err(Refusal::Sealed(problems)));
            }
            conn.execute(
                "UPDATE report SET body = ?2 WHERE id = ?1",
                params![id, envelope.canonical_json()],
            )?;
            Ok(Ok(()))
        }
        (_, Some(_)) => Ok(Err(Refusal::NotSealed)),
        (_, None) => Ok(Ok(())),
    }
}
