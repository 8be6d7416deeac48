//! `serve --demo`: a pharmacy, a user per role and region, and synthetic counting records,
//! seeded once; a fresh enrollment code on every start.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use uuid::Uuid;

use crate::auth;
use crate::db::{StoreError, StoreResult, ts};
use crate::store::directory::{self, Role};
use crate::store::{meta_get, meta_set};
use meldcode::{Channel, Kind};

pub const PHARMACY: &str = "Demo-apotheek";
pub const PHARMACY_GEMEENTE: &str = "GM0363";
pub const INTAKE_USER: &str = "intake-vt01";
pub const EVALUATOR_USER: &str = "evaluator";
pub const PASSWORD: &str = "demo-wachtwoord-19";
/// The second factor of every demo user (base32, 160 bits), published like the password:
/// `oathtool --totp -b` or any authenticator app makes its codes.
pub const TOTP_SECRET: &str = "JVQXG23FOIYTSLLEMVWW6LJSMZQS2MJZ";
const SYNTHETIC_RECORDS: usize = 400;

pub struct DemoInfo {
    pub enrollment_code: String,
}

/// `serve --demo` on a database that holds more than its own demo data: nothing is seeded.
#[derive(Debug, thiserror::Error)]
#[error(
    "serve --demo refuses this database: it holds {found}, not only demo data (demo accounts share a published password); use a new database file for the demo"
)]
pub struct NotADemoDatabase {
    pub found: String,
}

/// Plain `serve`, `pharmacy add`, `pharmacy code` or `user add` on a database `serve --demo`
/// seeded: its accounts share a published password and its counting records are made up, so it
/// never serves real pharmacies or real reports.
#[derive(Debug, thiserror::Error)]
#[error(
    "this database was seeded by `serve --demo`: its accounts share the published demo password and its counts are made up, so it never holds real pharmacies, users or reports; use a new database file (--db PATH) for real use (`serve --demo` still opens this one)"
)]
pub struct DemoDatabase;

/// `Err(DemoDatabase)` when `serve --demo` seeded this database.
pub fn refuse_if_seeded(conn: &Connection) -> StoreResult<Result<(), DemoDatabase>> {
    Ok(match meta_get(conn, "demo_seeded")? {
        Some(_) => Err(DemoDatabase),
        None => Ok(()),
    })
}

/// Seed once, in a new database or one seeded as demo before; a fresh enrollment code each time.
/// The demo's intake users, one per region: `(region, user)`, e.g. `("VT13", "intake-vt13")`.
pub fn intake_users() -> Vec<(String, String)> {
    meldcode::regions::latest()
        .regions()
        .map(|r| (r.code.clone(), format!("intake-{}", r.code.to_lowercase())))
        .collect()
}

/// The intake user of the region the demo pharmacy's own gemeente routes to.
pub fn home_intake_user() -> Option<String> {
    let home = meldcode::regions::latest().region_of(PHARMACY_GEMEENTE)?.code.clone();
    intake_users().into_iter().find(|(r, _)| *r == home).map(|(_, u)| u)
}

pub fn seed(conn: &mut Connection, now: DateTime<Utc>) -> StoreResult<Result<DemoInfo, NotADemoDatabase>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let seeded = meta_get(&tx, "demo_seeded")?.is_some();
    if let Some(found) = foreign_data(&tx, seeded)? {
        return Ok(Err(NotADemoDatabase { found }));
    }
    if !seeded {
        let table = meldcode::regions::latest();
        let home = table
            .region_of(PHARMACY_GEMEENTE)
            .map(|r| r.code.clone())
            .unwrap_or_default();
        directory::add_pharmacy(
            &tx,
            PHARMACY,
            PHARMACY_GEMEENTE,
            &home,
            Some("020-1234567"),
            Some("Damrak 1, 1012 LG Amsterdam"),
            now,
        )?;
        // One hash for every demo user: 26 argon2 runs would slow the first start for nothing.
        let hash = auth::hash_password(PASSWORD).map_err(|e| StoreError::PasswordHash(e.to_string()))?;
        for (region, name) in intake_users() {
            directory::add_user(&tx, &name, Role::Intake, Some(&region), &hash, now)?;
        }
        directory::add_user(&tx, EVALUATOR_USER, Role::Evaluator, None, &hash, now)?;
        let regions: Vec<String> = table.regions().map(|r| r.code.clone()).collect();
        synthetic_counts(&tx, &regions, now)?;
        meta_set(&tx, "demo_seeded", &ts(now))?;
    }
    // Every start: a demo database seeded before second factors existed gets them too.
    let demo_users: Vec<i64> = tx
        .prepare("SELECT id FROM user WHERE name = ?1 OR (role = 'intake' AND name = 'intake-' || lower(vt_region))")?
        .query_map([EVALUATOR_USER], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for user_id in demo_users {
        directory::second_factor::set_up_with(&tx, user_id, TOTP_SECRET, now)?;
    }
    let pharmacy = directory::find_pharmacy(&tx, PHARMACY)?.ok_or(StoreError::DemoPharmacyMissing)?;
    let enrollment_code = directory::issue_enrollment_code(&tx, pharmacy, now)?;
    tx.commit()?;
    Ok(Ok(DemoInfo { enrollment_code }))
}

/// What in the database is not the demo's own: before seeding anything at all (a pharmacy, a
/// user, a report); after it a pharmacy or user the demo did not create. `None`: demo only.
fn foreign_data(conn: &Connection, seeded: bool) -> StoreResult<Option<String>> {
    let count = |sql: &str| -> StoreResult<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let (pharmacies, users, reports) = if seeded {
        let pharmacies = conn.query_row("SELECT count(*) FROM pharmacy WHERE name <> ?1", [PHARMACY], |r| {
            r.get(0)
        })?;
        let users = conn.query_row(
            "SELECT count(*) FROM user WHERE NOT (name = ?1 OR (role = 'intake' AND name = 'intake-' || lower(vt_region)))",
            [EVALUATOR_USER],
            |r| r.get(0),
        )?;
        (pharmacies, users, 0)
    } else {
        (
            count("SELECT count(*) FROM pharmacy")?,
            count("SELECT count(*) FROM user")?,
            count("SELECT count(*) FROM report")?,
        )
    };
    let found: Vec<String> = [
        (pharmacies, "pharmacy(ies)"),
        (users, "user(s)"),
        (reports, "report(s)"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    Ok((!found.is_empty()).then(|| found.join(", ")))
}

/// Counting records without personal data, spread over the past year, so `/stats` shows something.
fn synthetic_counts(conn: &Connection, regions: &[String], now: DateTime<Utc>) -> StoreResult<()> {
    let mut stmt = conn.prepare(
        "INSERT INTO report (id, kind, channel, vt_region, status, content_hash, received_at, acknowledged_at, closed_at, synthetic)
         VALUES (?1, ?2, ?3, ?4, ?5, 'synthetic', ?6, ?7, ?8, 1)",
    )?;
    let mut event = conn
        .prepare("INSERT INTO report_event (report_id, status, vt_region, at) VALUES (?1, 'acknowledged', ?2, ?3)")?;
    for i in 0..SYNTHETIC_RECORDS {
        // Deterministic spread: big regions get more, balie dominates, meldingen are most common.
        let region = &regions[(i * i + 3 * i) % regions.len()];
        let kind = [
            Kind::Melding,
            Kind::Melding,
            Kind::Adviesvraag,
            Kind::GeenMelding,
            Kind::Melding,
            Kind::Acuut112,
        ][i % 6];
        let channel = [
            Channel::Balie,
            Channel::Balie,
            Channel::Balie,
            Channel::Telefoon,
            Channel::Briefje,
            Channel::Bezorging,
        ][(i / 6) % 6];
        let received = now - Duration::hours(((i * 7919) % (365 * 24)) as i64);
        let (status, ack, closed) = if kind.is_forwarded() {
            let ack = received + Duration::minutes(20 + ((i * 37) % 600) as i64);
            ("closed", Some(ts(ack)), Some(ts(ack + Duration::days(3))))
        } else {
            ("recorded", None, None)
        };
        let id = Uuid::new_v4().to_string();
        stmt.execute(params![
            id,
            kind.code(),
            channel.code(),
            region,
            status,
            ts(received),
            ack,
            closed
        ])?;
        // The statistics read acknowledgements from the history, as intake writes them.
        if let Some(ack) = &ack {
            event.execute(params![id, region, ack])?;
        }
    }
    Ok(())
}
