//! Accepting a report (report, history and outbox row in one transaction) and its status.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use crate::db::{StoreResult, parse_ts, ts};
use crate::store::directory::Device;
use crate::store::{practice, region_keys};
use meldcode::api::{HistoryEntry, StatusBody};
use meldcode::sealed::Envelope;
use meldcode::{Kind, Report, Status};

/// What became of a submission.
#[derive(Debug)]
pub enum Submitted {
    /// New: stored durably (201).
    Created(StatusBody),
    /// The same report again (200).
    Identical(StatusBody),
    /// The same id with other content, or from another pharmacy (409).
    Conflict,
    /// No Veilig Thuis region can be found for it, not even the pharmacy's: nothing is stored,
    /// since a report no region can see must never be answered 201 (422).
    Unroutable,
    /// A report v1 melding or adviesvraag for a region in the key list in force: that region
    /// receives sealed reports only (422, `seal_required`). Nothing is stored.
    SealRequired,
}

/// What a device submitted: a report v1, or the envelope of a sealed report (schema_version 2).
#[derive(Debug, Clone)]
pub enum Incoming {
    Plain(Box<Report>),
    Sealed(Envelope),
}

impl Incoming {
    /// The JSON stored in `report.body` and hashed: "identical" means the same canonical JSON
    /// (for a sealed report: the same envelope and the same `sealed` bytes).
    pub fn canonical_json(&self) -> String {
        match self {
            Incoming::Plain(r) => r.canonical_json(),
            Incoming::Sealed(e) => e.canonical_json(),
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            Incoming::Plain(r) => r.id,
            Incoming::Sealed(e) => e.id,
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Incoming::Plain(r) => r.kind,
            Incoming::Sealed(e) => e.kind,
        }
    }

    /// A stored `report.body` read back: an envelope when it declares schema_version 2.
    pub fn from_stored(body: &str) -> Option<Incoming> {
        let sealed = meldcode::sealed::SEALED_SCHEMA_VERSION;
        if meldcode::sealed::declared_schema_version(body.as_bytes()) == Some(u64::from(sealed)) {
            serde_json::from_str(body).ok().map(Incoming::Sealed)
        } else {
            serde_json::from_str(body).ok().map(|r| Incoming::Plain(Box::new(r)))
        }
    }
}

/// The region a report goes to: the person's municipality when known, else the pharmacy's,
/// with the table of the year in which it was created.
pub fn route(report: &Report, pharmacy_gemeente: &str) -> Option<String> {
    let year = meldcode::amsterdam_year(report.created_at);
    meldcode::regions::route(report.gemeente.as_deref(), pharmacy_gemeente, year).map(|r| r.code.clone())
}

/// [`route`], else (the pharmacy's municipality is not in that year's table, e.g. merged away)
/// the region stored for the pharmacy at enrollment, if it is still a Veilig Thuis region.
fn route_or_enrolled(conn: &Connection, report: &Report, device: &Device) -> StoreResult<Option<String>> {
    if let Some(region) = route(report, &device.pharmacy_gemeente) {
        return Ok(Some(region));
    }
    let enrolled: Option<String> = conn
        .prepare_cached("SELECT vt_region FROM pharmacy WHERE id = ?1")?
        .query_row([device.pharmacy_id], |r| r.get(0))
        .optional()?;
    Ok(enrolled.filter(|code| meldcode::regions::latest().region(code).is_some()))
}

/// A submission waiting for the group commit.
pub struct Submission {
    pub device: Device,
    pub incoming: Incoming,
}

/// Store validated reports in ONE durable commit (group commit): each in its own savepoint, so
/// one report's failure does not touch the others. A melding or adviesvraag gets its outbox row
/// for the forwarder in the same transaction; the other kinds are `recorded` counting records.
/// If the commit fails, nothing of the batch is stored and every submission gets the error.
pub fn submit_batch(
    conn: &mut Connection,
    batch: &[Submission],
    now: DateTime<Utc>,
) -> StoreResult<Vec<StoreResult<Submitted>>> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batch.len());
    for s in batch {
        let sp = tx.savepoint()?;
        let result = submit_one(&sp, &s.device, &s.incoming, now);
        if result.is_ok() {
            sp.commit()?;
        }
        results.push(result);
    }
    tx.commit()?;
    Ok(results)
}

/// One report, inside the batch's transaction.
fn submit_one(conn: &Connection, device: &Device, incoming: &Incoming, now: DateTime<Utc>) -> StoreResult<Submitted> {
    if let Incoming::Plain(report) = incoming
        && report.practice
    {
        return practice::submit_one(conn, device, report, now);
    }
    let id = incoming.id().to_string();
    let kind = incoming.kind();
    let body = incoming.canonical_json();
    let hash = meldcode::content_hash_of(&body);
    let existing: Option<(Option<i64>, String)> = conn
        .prepare_cached("SELECT pharmacy_id, content_hash FROM report WHERE id = ?1")?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((pharmacy_id, stored_hash)) = existing {
        if pharmacy_id == Some(device.pharmacy_id) && stored_hash == hash {
            return Ok(status_of(conn, &id)?.map_or(Submitted::Conflict, Submitted::Identical));
        }
        return Ok(Submitted::Conflict);
    }
    if practice::holds(conn, &id)? {
        return Ok(Submitted::Conflict);
    }
    let (vt_region, channel) = match incoming {
        Incoming::Plain(report) => {
            let Some(vt_region) = route_or_enrolled(conn, report, device)? else {
                return Ok(Submitted::Unroutable);
            };
            if kind.is_forwarded() && region_keys::seals(conn, &vt_region)? {
                return Ok(Submitted::SealRequired);
            }
            (vt_region, report.channel)
        }
        // The app routed it (the server cannot see the gemeente); the envelope's rules checked
        // that the region exists.
        Incoming::Sealed(envelope) => (envelope.vt_region.clone(), envelope.channel),
    };
    let status = if kind.is_forwarded() {
        Status::Received
    } else {
        Status::Recorded
    };
    conn.prepare_cached(
        "INSERT INTO report (id, pharmacy_id, device_id, kind, channel, vt_region, status, content_hash, body, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
            id,
            device.pharmacy_id,
            device.id,
            kind.code(),
            channel.code(),
            vt_region,
            status.code(),
            hash,
            // A geen melding or acuut_112 is kept as a count only: its content is not stored.
            kind.is_forwarded().then_some(&body),
            ts(now)
        ])?;
    conn.prepare_cached("INSERT INTO report_event (report_id, status, vt_region, at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, status.code(), vt_region, ts(now)])?;
    if kind.is_forwarded() {
        conn.prepare_cached(
            "INSERT INTO outbox (delivery_id, report_id, vt_region, event_type, created_at, next_attempt_at)
             VALUES (?1, ?2, ?3, 'report.received', ?4, ?4)",
        )?
        .execute(params![
            format!("msg_{}", Uuid::new_v4().simple()),
            id,
            vt_region,
            ts(now)
        ])?;
        crate::store::notices::queue(conn, &id, &vt_region, crate::store::notices::Event::Received, &ts(now))?;
    }
    // The new report's status, without reading back what was just written.
    let at = parse_ts(&ts(now)).unwrap_or(now);
    Ok(Submitted::Created(StatusBody {
        id: incoming.id(),
        kind,
        status,
        vt_region: kind.is_forwarded().then_some(vt_region),
        history: vec![HistoryEntry { status, at }],
        practice: false,
        retained_until: None,
    }))
}

/// The status of a report when this pharmacy sent exactly it before (its content hash is still
/// kept); `None` otherwise.
pub fn identical(conn: &Connection, incoming: &Incoming, pharmacy_id: i64) -> StoreResult<Option<StatusBody>> {
    let id = incoming.id().to_string();
    let hash = meldcode::content_hash_of(&incoming.canonical_json());
    let same: bool = conn
        .prepare_cached("SELECT pharmacy_id = ?2 AND content_hash = ?3 FROM report WHERE id = ?1")?
        .query_row(params![id, pharmacy_id, hash], |r| {
            Ok(r.get::<_, Option<bool>>(0)?.unwrap_or(false))
        })
        .optional()?
        .unwrap_or(false);
    if same { status_of(conn, &id) } else { Ok(None) }
}

/// The status of a report for the pharmacy that sent it; `None` for anyone else.
pub fn status(conn: &Connection, id: Uuid, pharmacy_id: i64) -> StoreResult<Option<StatusBody>> {
    let id = id.to_string();
    let owner: Option<Option<i64>> = conn
        .query_row("SELECT pharmacy_id FROM report WHERE id = ?1", [&id], |r| r.get(0))
        .optional()?;
    match owner {
        None => practice::status(conn, &id, pharmacy_id),
        Some(owner) if owner == Some(pharmacy_id) => status_of(conn, &id),
        Some(_) => Ok(None),
    }
}

fn status_of(conn: &Connection, id: &str) -> StoreResult<Option<StatusBody>> {
    let row: Option<(String, String, Option<String>)> = conn
        .query_row("SELECT kind, status, vt_region FROM report WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((kind, status, vt_region)) = row else {
        return Ok(None);
    };
    let (Some(kind), Some(status), Ok(uuid)) =
        (Kind::from_code(&kind), Status::from_code(&status), Uuid::parse_str(id))
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached("SELECT status, at FROM report_event WHERE report_id = ?1 ORDER BY id")?;
    let history = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .filter_map(|row| {
            let (s, at) = row.ok()?;
            Some(HistoryEntry {
                status: Status::from_code(&s)?,
                at: parse_ts(&at)?,
            })
        })
        .collect();
    let vt_region = if kind.is_forwarded() { vt_region } else { None };
    Ok(Some(StatusBody {
        id: uuid,
        kind,
        status,
        vt_region,
        history,
        practice: false,
        retained_until: None,
    }))
}
