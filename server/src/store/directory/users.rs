//! Intake and evaluator users, and their sessions (bearer tokens and the web's cookie).

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::auth;
use crate::db::{StoreResult, parse_ts, ts};

pub const SESSION_LIFETIME: Duration = Duration::hours(8);
pub const SESSION_IDLE: Duration = Duration::minutes(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Intake,
    Evaluator,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Intake => "intake",
            Role::Evaluator => "evaluator",
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub vt_region: Option<String>,
    pub password_hash: String,
}

/// `false` when the name is taken.
pub fn add_user(
    conn: &Connection,
    name: &str,
    role: Role,
    vt_region: Option<&str>,
    password_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let inserted = conn.execute(
        "INSERT INTO user (name, role, vt_region, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (name) DO NOTHING",
        params![name, role.code(), vt_region, password_hash, ts(now)],
    )?;
    Ok(inserted == 1)
}

/// An active (not disabled) user.
pub fn user_by_name(conn: &Connection, name: &str) -> StoreResult<Option<User>> {
    Ok(conn
        .query_row(
            "SELECT id, name, role, vt_region, password_hash FROM user WHERE name = ?1 AND disabled_at IS NULL",
            [name],
            |r| {
                let role: String = r.get(2)?;
                Ok(User {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: if role == "intake" {
                        Role::Intake
                    } else {
                        Role::Evaluator
                    },
                    vt_region: r.get(3)?,
                    password_hash: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Disabling also ends the user's sessions at once and deletes the user's wrapped key. `false`: no such user.
pub fn disable_user(conn: &mut Connection, name: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let n = tx.execute(
        "UPDATE user SET disabled_at = ?1 WHERE name = ?2 AND disabled_at IS NULL",
        params![ts(now), name],
    )?;
    tx.execute(
        "DELETE FROM session WHERE user_id IN (SELECT id FROM user WHERE name = ?1)",
        [name],
    )?;
    // The wrapped region key goes with the user: a leaver's passphrase must open nothing here.
    tx.execute(
        "DELETE FROM intake_key WHERE user_id IN (SELECT id FROM user WHERE name = ?1)",
        [name],
    )?;
    tx.commit()?;
    Ok(n == 1)
}

/// A new password ends the user's sessions. `false`: no such user.
pub fn set_password(conn: &mut Connection, name: &str, password_hash: &str) -> StoreResult<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let n = tx.execute(
        "UPDATE user SET password_hash = ?1 WHERE name = ?2",
        params![password_hash, name],
    )?;
    tx.execute(
        "DELETE FROM session WHERE user_id IN (SELECT id FROM user WHERE name = ?1)",
        [name],
    )?;
    tx.commit()?;
    Ok(n == 1)
}

/// Where a session was issued, and the only place its token is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issued {
    /// `POST /api/v1/session`: an `Authorization: Bearer` token for the API.
    Api,
    /// The login page: the session cookie of the web pages.
    Page,
}

impl Issued {
    pub fn code(self) -> &'static str {
        match self {
            Issued::Api => "api",
            Issued::Page => "page",
        }
    }
}

/// A new session: the token (returned once) and when it expires at the latest.
pub fn create_session(
    conn: &Connection,
    user_id: i64,
    issued: Issued,
    now: DateTime<Utc>,
) -> StoreResult<(String, DateTime<Utc>)> {
    let token = auth::new_token();
    let expires_at = now + SESSION_LIFETIME;
    conn.execute(
        "INSERT INTO session (token_hash, user_id, created_at, expires_at, last_seen_at, csrf, issued_for)
         VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6)",
        params![
            auth::sha256_hex(&token),
            user_id,
            ts(now),
            ts(expires_at),
            auth::new_token(),
            issued.code()
        ],
    )?;
    Ok((token, expires_at))
}

/// A live session: its user and the CSRF token of its forms.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// The session behind a token issued where `issued` says (8 hours at most, 30 minutes idle);
/// touches it. A token issued elsewhere is no session here.
pub fn session(conn: &Connection, token: &str, issued: Issued, now: DateTime<Utc>) -> StoreResult<Option<Session>> {
    let hash = auth::sha256_hex(token);
    let found: Option<(String, String, String, Option<String>)> = conn
        .query_row(
            "SELECT u.name, s.expires_at, s.last_seen_at, s.csrf FROM session s JOIN user u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND s.issued_for = ?2 AND u.disabled_at IS NULL",
            params![&hash, issued.code()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((name, expires_at, last_seen, csrf)) = found else {
        return Ok(None);
    };
    let live =
        parse_ts(&expires_at).is_some_and(|e| now < e) && parse_ts(&last_seen).is_some_and(|l| now < l + SESSION_IDLE);
    if !live {
        conn.execute("DELETE FROM session WHERE token_hash = ?1", [&hash])?;
        return Ok(None);
    }
    conn.execute(
        "UPDATE session SET last_seen_at = ?1 WHERE token_hash = ?2",
        params![ts(now), hash],
    )?;
    Ok(user_by_name(conn, &name)?.map(|user| Session {
        user,
        csrf: csrf.unwrap_or_default(),
    }))
}

/// Log out: the session ends.
pub fn end_session(conn: &Connection, token: &str) -> StoreResult<()> {
    conn.execute("DELETE FROM session WHERE token_hash = ?1", [auth::sha256_hex(token)])?;
    Ok(())
}
