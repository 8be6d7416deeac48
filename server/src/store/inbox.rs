//! A region's inbox as intake triages it: a row per report with what makes it urgent, open
//! reports first and the longest waiting first (since the pharmacy made the report: a report
//! that waited in a pharmacy's queue is not fresh when it arrives), filtered by state, searched by kenmerk, pharmacy
//! or gemeente, 100 a page; and the stubs of what the region handed over (no content).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use crate::db::{StoreResult, parse_ts};
use meldcode::intake::{Filter, is_waiting, kenmerk};
use meldcode::{Channel, Kind, Status};

/// Inbox rows on one page.
pub const INBOX_PAGE_SIZE: u32 = 100;
/// Pages beyond this are refused (an offset stays small and an overflow impossible).
pub const MAX_INBOX_PAGE: u32 = 100_000;
/// The longest search text.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, serde::Serialize)]
pub struct InboxItem {
    pub id: String,
    pub kenmerk: String,
    pub kind: Kind,
    pub channel: Channel,
    pub status: Status,
    pub received_at: DateTime<Utc>,
    /// The pharmacy's own time of the report (`None` once purged).
    pub created_at: Option<DateTime<Utc>>,
    /// Minutes since receipt while the report is open (received or forwarded); else `None`.
    pub waiting_minutes: Option<i64>,
    pub pharmacy: Option<String>,
    /// CBS code of where the person lives, else of the pharmacy.
    pub gemeente: Option<String>,
    /// The kindcheck's number of children (`None`: not done, or purged).
    pub children: Option<u32>,
    pub acute_112: bool,
    pub accompanied: Option<bool>,
    /// When the person can be called safely, in their words.
    pub safe_times: Option<String>,
    pub purged: bool,
    /// The region that handed the report to this one (its last transfer into this region), and
    /// its reason. Shown on the pages; not part of the API's body.
    #[serde(skip)]
    pub transferred_from: Option<String>,
    #[serde(skip)]
    pub transfer_reason: Option<String>,
}

/// What a region keeps of a report it handed over: when, to whom, why, by whom. No content.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TransferStub {
    pub id: String,
    pub kenmerk: String,
    pub status: Status,
    pub to_region: Option<String>,
    pub transferred_at: DateTime<Utc>,
    pub reason: Option<String>,
    pub transferred_by: String,
}

/// How many reports each filter holds (with the same search).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub open: u64,
    pub acknowledged: u64,
    pub transferred: u64,
    pub closed: u64,
    pub all: u64,
}

impl Counts {
    pub fn of(&self, f: Filter) -> u64 {
        match f {
            Filter::Open => self.open,
            Filter::Acknowledged => self.acknowledged,
            Filter::Transferred => self.transferred,
            Filter::Closed => self.closed,
            Filter::All => self.all,
        }
    }
}

/// One page of an inbox: its reports (or, for [`Filter::Transferred`], its stubs), how many
/// there are on all pages together, and the counts of every filter.
#[derive(Debug, Default)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub stubs: Vec<TransferStub>,
    pub total: u64,
    pub counts: Counts,
}

impl InboxPage {
    /// Whether page `page` is followed by another.
    pub fn has_more(&self, page: u32) -> bool {
        u64::from(page) * u64::from(INBOX_PAGE_SIZE) < self.total
    }
}

/// What to list.
#[derive(Debug, Clone)]
pub struct InboxQuery {
    pub filter: Filter,
    /// Searched in the kenmerk (the id), the pharmacy's name and the gemeente (code or name).
    pub q: String,
    pub page: u32,
}

/// The search, ready for SQL: the text in lower case, the id text without hyphens, and the
/// gemeente codes whose code or name holds it (a JSON array).
struct Search {
    text: String,
    id_text: String,
    gemeenten: String,
}

fn search(q: &str) -> Search {
    let text = q.trim().to_lowercase();
    let codes: Vec<&str> = if text.is_empty() {
        Vec::new()
    } else {
        meldcode::regions::latest()
            .gemeenten()
            .filter(|g| g.name.to_lowercase().contains(&text) || g.code.to_lowercase() == text)
            .map(|g| g.code.as_str())
            .collect()
    };
    Search {
        id_text: text.replace('-', ""),
        gemeenten: serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into()),
        text,
    }
}

/// The reports of region `?1` whose status is in the JSON array `?2`, matching the search
/// (`?3` text, `?4` id text, `?5` gemeente codes).
const REPORTS: &str = "FROM report r LEFT JOIN pharmacy p ON p.id = r.pharmacy_id
    WHERE r.vt_region = ?1 AND r.synthetic = 0 AND r.kind IN ('melding', 'adviesvraag')
      AND r.status IN (SELECT value FROM json_each(?2))
      AND (?3 = '' OR instr(replace(r.id, '-', ''), ?4) > 0 OR instr(lower(coalesce(p.name, '')), ?3) > 0
           OR CASE WHEN json_extract(r.body, '$.schema_version') = 2 THEN NULL
              ELSE coalesce(json_extract(r.body, '$.gemeente'), p.gemeente) END IN (SELECT value FROM json_each(?5)))";

/// Where the person lives, else the pharmacy; of a sealed report (schema_version 2) nothing: its
/// gemeente is inside the sealed part.
const GEMEENTE: &str = "CASE WHEN json_extract(r.body, '$.schema_version') = 2 THEN NULL
    ELSE coalesce(json_extract(r.body, '$.gemeente'), p.gemeente) END";

/// The stubs of region `?1` (its last transfer of each report it no longer holds), matching the
/// id text `?2`.
const STUBS: &str = "FROM audit a JOIN report r ON r.id = a.report_id
    WHERE a.action = 'transfer' AND a.vt_region = ?1 AND coalesce(r.vt_region, '') <> ?1 AND r.synthetic = 0
      AND a.id = (SELECT max(b.id) FROM audit b WHERE b.report_id = a.report_id AND b.action = 'transfer' AND b.vt_region = ?1)
      AND (?2 = '' OR instr(replace(a.report_id, '-', ''), ?2) > 0)";

fn statuses_json(f: Filter) -> String {
    let codes: Vec<&str> = f.statuses().iter().map(|s| s.code()).collect();
    serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into())
}

fn count_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The counts of every filter for region `region` and the search.
fn counts(conn: &Connection, region: &str, s: &Search) -> StoreResult<Counts> {
    let mut stmt = conn.prepare_cached(&format!("SELECT r.status, count(*) {REPORTS} GROUP BY r.status"))?;
    let mut counts = Counts::default();
    let rows = stmt.query_map(
        params![region, statuses_json(Filter::All), s.text, s.id_text, s.gemeenten],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )?;
    for row in rows {
        let (status, n) = row?;
        let n = count_u64(n);
        match Status::from_code(&status) {
            Some(st) if Filter::Open.statuses().contains(&st) => counts.open += n,
            Some(Status::Acknowledged) => counts.acknowledged += n,
            Some(Status::Closed) => counts.closed += n,
            _ => {}
        }
        counts.all += n;
    }
    let stubs: i64 = conn
        .prepare_cached(&format!("SELECT count(*) {STUBS}"))?
        .query_row(params![region, s.id_text], |r| r.get(0))?;
    counts.transferred = count_u64(stubs);
    Ok(counts)
}

/// The inbox of `region` for `query`, at `now`.
pub fn inbox(conn: &Connection, region: &str, query: &InboxQuery, now: DateTime<Utc>) -> StoreResult<InboxPage> {
    let s = search(&query.q);
    let counts = counts(conn, region, &s)?;
    let offset = i64::from(query.page.clamp(1, MAX_INBOX_PAGE) - 1) * i64::from(INBOX_PAGE_SIZE);
    let mut page = InboxPage {
        total: counts.of(query.filter),
        counts,
        ..InboxPage::default()
    };
    if query.filter == Filter::Transferred {
        page.stubs = stubs(conn, region, &s, offset)?;
        return Ok(page);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.id, r.kind, r.channel, r.status, r.received_at, json_extract(r.body, '$.created_at'),
                json_extract(r.body, '$.accompanied'), {GEMEENTE},
                CASE WHEN json_extract(r.body, '$.schema_version') = 2 THEN json_extract(r.body, '$.children')
                     WHEN json_extract(r.body, '$.kindcheck.status') = 'done'
                     THEN json_extract(r.body, '$.kindcheck.children_count') END,
                json_extract(r.body, '$.acute_112_at') IS NOT NULL, json_extract(r.body, '$.safe_contact.safe_times'),
                r.body IS NULL, p.name,
                (SELECT a.vt_region || char(31) || coalesce(a.detail, '') FROM audit a
                  WHERE a.report_id = r.id AND a.action = 'transfer' AND a.to_region = r.vt_region
                  ORDER BY a.id DESC LIMIT 1)
         {REPORTS}
         ORDER BY r.status IN ('received', 'forwarded') DESC,
                  CASE WHEN r.status IN ('received', 'forwarded')
                       THEN julianday(coalesce(json_extract(r.body, '$.created_at'), r.received_at)) END ASC,
                  r.received_at DESC, r.id
         LIMIT ?6 OFFSET ?7"
    ))?;
    let rows = stmt.query_map(
        params![
            region,
            statuses_json(query.filter),
            s.text,
            s.id_text,
            s.gemeenten,
            INBOX_PAGE_SIZE,
            offset
        ],
        |r| {
            let (kind, channel, status, received): (String, String, String, String) =
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let created: Option<String> = r.get(5)?;
            Ok((
                r.get::<_, String>(0)?,
                (kind, channel, status, received, created),
                InboxItemRest {
                    accompanied: r.get(6)?,
                    gemeente: r.get(7)?,
                    children: r.get(8)?,
                    acute_112: r.get(9)?,
                    safe_times: r.get(10)?,
                    purged: r.get(11)?,
                    pharmacy: r.get(12)?,
                    transfer: r.get(13)?,
                },
            ))
        },
    )?;
    for row in rows {
        let (id, (kind, channel, status, received, created), rest) = row?;
        let (Some(kind), Some(channel), Some(status), Some(received_at)) = (
            Kind::from_code(&kind),
            Channel::from_code(&channel),
            Status::from_code(&status),
            parse_ts(&received),
        ) else {
            continue;
        };
        page.items.push(InboxItem {
            kenmerk: kenmerk(&id),
            id,
            kind,
            channel,
            status,
            received_at,
            created_at: created.as_deref().and_then(parse_ts),
            waiting_minutes: is_waiting(status).then(|| (now - received_at).num_minutes().max(0)),
            pharmacy: rest.pharmacy,
            gemeente: rest.gemeente,
            children: rest.children,
            acute_112: rest.acute_112,
            accompanied: rest.accompanied,
            safe_times: rest.safe_times,
            purged: rest.purged,
            transferred_from: rest
                .transfer
                .as_deref()
                .and_then(|t| t.split_once('\u{1f}'))
                .map(|(from, _)| from.to_owned()),
            transfer_reason: rest
                .transfer
                .as_deref()
                .and_then(|t| t.split_once('\u{1f}'))
                .map(|(_, reason)| reason.to_owned())
                .filter(|r| !r.is_empty()),
        });
    }
    Ok(page)
}

struct InboxItemRest {
    accompanied: Option<bool>,
    gemeente: Option<String>,
    children: Option<u32>,
    acute_112: bool,
    safe_times: Option<String>,
    purged: bool,
    pharmacy: Option<String>,
    /// "VT01\u{1f}reason" of the last transfer into the region.
    transfer: Option<String>,
}

fn stubs(conn: &Connection, region: &str, s: &Search, offset: i64) -> StoreResult<Vec<TransferStub>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.report_id, a.at, a.to_region, a.detail, a.actor {STUBS} ORDER BY a.at DESC, a.id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt.query_map(params![region, s.id_text, INBOX_PAGE_SIZE, offset], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut stubs = Vec::new();
    for row in rows {
        let (id, at, to_region, detail, actor) = row?;
        let Some(transferred_at) = parse_ts(&at) else {
            continue;
        };
        // Before migration 006 the detail was "naar VT18" and the region had no column.
        let (to_region, reason) = match (to_region, detail) {
            (None, Some(d)) if d.starts_with("naar VT") => (d.strip_prefix("naar ").map(str::to_owned), None),
            (to, detail) => (to, detail),
        };
        stubs.push(TransferStub {
            kenmerk: kenmerk(&id),
            id,
            status: Status::Transferred,
            to_region,
            transferred_at,
            reason,
            transferred_by: actor,
        });
    }
    Ok(stubs)
}
