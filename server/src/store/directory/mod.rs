//! Who is who: pharmacies, their enrollment codes and devices (here); intake and evaluator
//! users and their sessions ([`users`]), and their second factor ([`second_factor`]).

mod intake_key;
pub mod second_factor;
mod users;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::auth;
use crate::db::{StoreResult, parse_ts, ts};
pub use intake_key::{intake_key, put_intake_key};
use meldcode::api::PharmacyInfo;
pub use users::{
    Issued, Role, SESSION_LIFETIME, Session, add_user, create_session, disable_user, end_session, session,
    set_password, user_by_name,
};

pub const ENROLLMENT_VALIDITY: Duration = Duration::days(7);
/// `device.last_seen_at` is written at most this often per device.
pub const LAST_SEEN_GRANULARITY: Duration = Duration::hours(1);

#[derive(Debug, Clone)]
pub struct Pharmacy {
    pub id: i64,
    pub name: String,
    pub gemeente: String,
    pub vt_region: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub devices: i64,
}

/// Who sent a report, as intake staff see it (contract: `pharmacy: {name, address, phone}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PharmacyContact {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// CBS code of the pharmacy's municipality.
    pub gemeente: String,
}

/// The contact details of a pharmacy, by id.
pub fn pharmacy_contact(conn: &Connection, id: i64) -> StoreResult<Option<PharmacyContact>> {
    Ok(conn
        .prepare_cached("SELECT name, address, phone, gemeente FROM pharmacy WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(PharmacyContact {
                name: r.get(0)?,
                address: r.get(1)?,
                phone: r.get(2)?,
                gemeente: r.get(3)?,
            })
        })
        .optional()?)
}

/// An enrolled, not revoked device, as found by its bearer token.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: i64,
    pub pharmacy_id: i64,
    pub pharmacy_gemeente: String,
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// A line of `device list`.
#[derive(Debug, Clone)]
pub struct DeviceListing {
    pub id: i64,
    pub pharmacy: String,
    pub name: String,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub fn add_pharmacy(
    conn: &Connection,
    name: &str,
    gemeente: &str,
    vt_region: &str,
    phone: Option<&str>,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO pharmacy (name, gemeente, vt_region, phone, address, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![name, gemeente, vt_region, phone, address, ts(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A pharmacy by its name, or else by its id (`pharmacy code NAME_OR_ID`).
pub fn find_pharmacy_by_name_or_id(conn: &Connection, name_or_id: &str) -> StoreResult<Option<i64>> {
    if let Some(id) = find_pharmacy(conn, name_or_id)? {
        return Ok(Some(id));
    }
    let Ok(id) = name_or_id.trim().parse::<i64>() else {
        return Ok(None);
    };
    Ok(conn
        .query_row("SELECT id FROM pharmacy WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}

pub fn find_pharmacy(conn: &Connection, name: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM pharmacy WHERE name = ?1 ORDER BY id LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// A fresh one-time code for a pharmacy; only its hash is stored.
pub fn issue_enrollment_code(conn: &Connection, pharmacy_id: i64, now: DateTime<Utc>) -> StoreResult<String> {
    let code = auth::new_enrollment_code();
    conn.execute(
        "INSERT INTO enrollment_code (code_hash, pharmacy_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            auth::sha256_hex(&code),
            pharmacy_id,
            ts(now),
            ts(now + ENROLLMENT_VALIDITY)
        ],
    )?;
    Ok(code)
}

pub fn list_pharmacies(conn: &Connection) -> StoreResult<Vec<Pharmacy>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, p.gemeente, p.vt_region, p.phone, p.address,
                (SELECT count(*) FROM device d WHERE d.pharmacy_id = p.id AND d.revoked_at IS NULL)
         FROM pharmacy p ORDER BY p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Pharmacy {
            id: r.get(0)?,
            name: r.get(1)?,
            gemeente: r.get(2)?,
            vt_region: r.get(3)?,
            phone: r.get(4)?,
            address: r.get(5)?,
            devices: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a code is unused and not expired: a read, so a guess never takes the writer.
pub fn enrollment_code_is_open(conn: &Connection, code: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let hash = auth::sha256_hex(&auth::normalize_code(code));
    Ok(conn
        .prepare_cached("SELECT 1 FROM enrollment_code WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2")?
        .query_row(params![hash, ts(now)], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Redeem a code once, before it expires: a new device and its token. `None`: used, expired or unknown.
pub fn enroll(
    conn: &mut Connection,
    code: &str,
    device_name: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Enrolled>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let hash = auth::sha256_hex(&auth::normalize_code(code));
    let found: Option<(i64, String, String, String)> = tx
        .query_row(
            "SELECT p.id, p.name, p.gemeente, p.vt_region FROM enrollment_code c JOIN pharmacy p ON p.id = c.pharmacy_id
             WHERE c.code_hash = ?1 AND c.used_at IS NULL AND c.expires_at > ?2",
            params![hash, ts(now)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((pharmacy_id, name, gemeente, vt_region)) = found else {
        return Ok(None);
    };
    tx.execute(
        "UPDATE enrollment_code SET used_at = ?1 WHERE code_hash = ?2",
        params![ts(now), hash],
    )?;
    let token = auth::new_token();
    // `token_prefix` (001_init) is kept empty: no part of a token is stored in the clear.
    tx.execute(
        "INSERT INTO device (pharmacy_id, token_hash, token_prefix, name, created_at) VALUES (?1, ?2, '', ?3, ?4)",
        params![pharmacy_id, auth::sha256_hex(&token), device_name, ts(now)],
    )?;
    let device_id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(Some(Enrolled {
        token,
        device_id,
        pharmacy: PharmacyInfo {
            name,
            gemeente,
            vt_region,
        },
    }))
}

/// A device just enrolled: its bearer token (shown once), its id, and its pharmacy.
pub struct Enrolled {
    pub token: String,
    pub device_id: i64,
    pub pharmacy: PharmacyInfo,
}

pub fn device_by_token(conn: &Connection, token: &str) -> StoreResult<Option<Device>> {
    Ok(conn
        .prepare_cached(
            "SELECT d.id, d.pharmacy_id, p.gemeente, d.last_seen_at FROM device d JOIN pharmacy p ON p.id = d.pharmacy_id
             WHERE d.token_hash = ?1 AND d.revoked_at IS NULL",
        )?
        .query_row([auth::sha256_hex(token)], |r| {
            let last_seen: Option<String> = r.get(3)?;
            Ok(Device {
                id: r.get(0)?,
                pharmacy_id: r.get(1)?,
                pharmacy_gemeente: r.get(2)?,
                last_seen_at: last_seen.as_deref().and_then(parse_ts),
            })
        })
        .optional()?)
}

/// Whether `device.last_seen_at` is older than [`LAST_SEEN_GRANULARITY`] (or never set).
pub fn last_seen_is_stale(device: &Device, now: DateTime<Utc>) -> bool {
    device.last_seen_at.is_none_or(|at| at + LAST_SEEN_GRANULARITY <= now)
}

/// Record that a device was seen, unless that was already done within the last hour.
pub fn touch_device(conn: &Connection, device_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE device SET last_seen_at = ?1 WHERE id = ?2 AND (last_seen_at IS NULL OR last_seen_at <= ?3)",
    )?
    .execute(params![ts(now), device_id, ts(now - LAST_SEEN_GRANULARITY)])?;
    Ok(())
}

/// Every device, revoked ones too, in enrollment order.
pub fn list_devices(conn: &Connection) -> StoreResult<Vec<DeviceListing>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, p.name, d.name, d.created_at, d.last_seen_at, d.revoked_at
         FROM device d JOIN pharmacy p ON p.id = d.pharmacy_id ORDER BY d.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(DeviceListing {
            id: r.get(0)?,
            pharmacy: r.get(1)?,
            name: r.get(2)?,
            enrolled_at: r.get(3)?,
            last_seen_at: r.get(4)?,
            revoked_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revoke one device by its id. `false`: no such device, or revoked already.
pub fn revoke_device(conn: &Connection, device_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    Ok(conn.execute(
        "UPDATE device SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
        params![ts(now), device_id],
    )? == 1)
}
