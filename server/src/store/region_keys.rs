//! The region key list in force: set by `region-keys set` (after its signature was checked),
//! shown by `region-keys show`, served to devices, and asked by each submission whether its
//! region receives sealed reports only.

use chrono::{DateTime, Utc};
use meldcode::sealed::{KeyList, ListProblem};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::db::{StoreResult, parse_ts, ts};

/// A list as set: the signed bytes and the signature's text, as devices get them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredList {
    pub version: u64,
    pub issued_at: Option<DateTime<Utc>>,
    pub list: String,
    pub signature: String,
}

impl StoredList {
    /// The HTTP entity tag of this list.
    pub fn etag(&self) -> String {
        format!("\"keys-v{}\"", self.version)
    }
}

/// The newest list, if one was ever set.
pub fn current(conn: &Connection) -> StoreResult<Option<StoredList>> {
    Ok(conn
        .prepare_cached(
            "SELECT version, issued_at, list, signature FROM region_key_list ORDER BY version DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok(StoredList {
                version: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                issued_at: parse_ts(&r.get::<_, String>(1)?),
                list: r.get(2)?,
                signature: r.get(3)?,
            })
        })
        .optional()?)
}

/// Whether `region` is in the list in force: then it receives sealed reports only.
pub fn seals(conn: &Connection, region: &str) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM region_key_region
             WHERE vt_region = ?1 AND version = (SELECT max(version) FROM region_key_list)",
        )?
        .exists([region])?)
}

/// Put a verified list in force; refused when its version is not above the one in force.
pub fn set(
    conn: &mut Connection,
    list: &str,
    signature: &str,
    parsed: &KeyList,
    now: DateTime<Utc>,
) -> StoreResult<Result<(), ListProblem>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held: Option<i64> = tx.query_row("SELECT max(version) FROM region_key_list", [], |r| r.get(0))?;
    if let Err(e) = parsed.may_replace(held.and_then(|v| u64::try_from(v).ok())) {
        return Ok(Err(e));
    }
    let version = i64::try_from(parsed.version).unwrap_or(i64::MAX);
    tx.execute(
        "INSERT INTO region_key_list (version, issued_at, list, signature, set_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![version, ts(parsed.issued_at), list, signature, ts(now)],
    )?;
    for region in parsed.regions.keys() {
        tx.execute(
            "INSERT INTO region_key_region (vt_region, version) VALUES (?1, ?2)",
            params![region, version],
        )?;
    }
    tx.commit()?;
    Ok(Ok(()))
}
