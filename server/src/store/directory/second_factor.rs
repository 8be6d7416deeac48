//! Users' second factor: a TOTP secret set up once and confirmed by one code, the last time step
//! accepted (a step is accepted once), and single-use recovery codes stored as SHA-256.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::auth::{self, totp};
use crate::db::{StoreResult, ts};

/// How long a setup, once the password was right, may take before it starts over.
pub const SETUP_VALIDITY: Duration = Duration::minutes(10);
/// The longest code worth looking up (a recovery code is 19 characters).
const MAX_CODE_CHARS: usize = 64;

/// What a code sent at sign-in turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A TOTP code of a time step after the last one accepted, or an unused recovery code (now used).
    Accepted,
    /// Wrong, malformed, of a time step accepted before, or a used recovery code.
    Invalid,
    /// The user has no confirmed second factor.
    NotSetUp,
}

fn unix(now: DateTime<Utc>) -> u64 {
    u64::try_from(now.timestamp()).unwrap_or(0)
}

/// Whether the user has a confirmed second factor.
pub fn is_set_up(conn: &Connection, user_id: i64) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM second_factor WHERE user_id = ?1 AND confirmed_at IS NOT NULL")?
        .exists([user_id])?)
}

/// Check a code of a user with a confirmed second factor, and use it up when accepted: its time
/// step becomes the last one accepted, or the recovery code is marked used. In one write
/// transaction, so two requests with the same code cannot both get in.
pub fn verify(conn: &mut Connection, user_id: i64, code: &str, now: DateTime<Utc>) -> StoreResult<Verdict> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: Option<(String, i64)> = tx
        .query_row(
            "SELECT secret, last_step FROM second_factor WHERE user_id = ?1 AND confirmed_at IS NOT NULL",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((secret, last_step)) = found else {
        return Ok(Verdict::NotSetUp);
    };
    let verdict = if totp::is_totp_code(code) {
        match totp::matching_step(&secret, code, unix(now)).and_then(|s| i64::try_from(s).ok()) {
            Some(step) if step > last_step => {
                tx.execute(
                    "UPDATE second_factor SET last_step = ?1 WHERE user_id = ?2",
                    params![step, user_id],
                )?;
                Verdict::Accepted
            }
            _ => Verdict::Invalid,
        }
    } else if code.chars().count() <= MAX_CODE_CHARS {
        let used = tx.execute(
            "UPDATE recovery_code SET used_at = ?1 WHERE user_id = ?2 AND code_hash = ?3 AND used_at IS NULL",
            params![ts(now), user_id, totp::recovery_code_hash(code)],
        )?;
        if used == 1 { Verdict::Accepted } else { Verdict::Invalid }
    } else {
        Verdict::Invalid
    };
    tx.commit()?;
    Ok(verdict)
}

/// Start (or start over) setting up a second factor after the right password: a new secret and
/// the token that reaches the setup page. `None` when the user has a confirmed one already.
pub fn begin_setup(conn: &Connection, user_id: i64, now: DateTime<Utc>) -> StoreResult<Option<String>> {
    let token = auth::new_token();
    let changed = conn.execute(
        "INSERT INTO second_factor (user_id, secret, setup_token_hash, setup_csrf, setup_expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = 0,
             setup_token_hash = excluded.setup_token_hash, setup_csrf = excluded.setup_csrf,
             setup_expires_at = excluded.setup_expires_at
         WHERE confirmed_at IS NULL",
        params![
            user_id,
            totp::new_secret(),
            auth::sha256_hex(&token),
            auth::new_token(),
            ts(now + SETUP_VALIDITY)
        ],
    )?;
    Ok((changed == 1).then_some(token))
}

/// A setup in progress, as its page shows it.
#[derive(Debug, Clone)]
pub struct PendingSetup {
    pub user_id: i64,
    pub name: String,
    /// Base32.
    pub secret: String,
    pub csrf: String,
}

/// The setup behind a setup token, while it is valid and the user is active.
pub fn pending_setup(conn: &Connection, token: &str, now: DateTime<Utc>) -> StoreResult<Option<PendingSetup>> {
    Ok(conn
        .query_row(
            "SELECT f.user_id, u.name, f.secret, f.setup_csrf FROM second_factor f JOIN user u ON u.id = f.user_id
             WHERE f.setup_token_hash = ?1 AND f.confirmed_at IS NULL AND f.setup_expires_at > ?2
               AND u.disabled_at IS NULL",
            params![auth::sha256_hex(token), ts(now)],
            |r| {
                Ok(PendingSetup {
                    user_id: r.get(0)?,
                    name: r.get(1)?,
                    secret: r.get(2)?,
                    csrf: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                })
            },
        )
        .optional()?)
}

/// How confirming a setup went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// Set up: the user's recovery codes, to be shown once (only their hashes are kept).
    Done { user_id: i64, recovery_codes: Vec<String> },
    /// The code does not match the new secret.
    WrongCode,
    /// No such setup (expired, finished, or the token is unknown).
    Gone,
}

/// Confirm a setup with a code of its secret: the second factor is set up, that time step is
/// used, and ten new recovery codes replace any earlier ones.
pub fn confirm_setup(conn: &mut Connection, token: &str, code: &str, now: DateTime<Utc>) -> StoreResult<Confirmation> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(setup) = pending_setup(&tx, token, now)? else {
        return Ok(Confirmation::Gone);
    };
    let Some(step) = totp::matching_step(&setup.secret, code, unix(now)).and_then(|s| i64::try_from(s).ok()) else {
        return Ok(Confirmation::WrongCode);
    };
    tx.execute(
        "UPDATE second_factor SET confirmed_at = ?1, last_step = ?2, setup_token_hash = NULL, setup_csrf = NULL,
             setup_expires_at = NULL
         WHERE user_id = ?3",
        params![ts(now), step, setup.user_id],
    )?;
    tx.execute("DELETE FROM recovery_code WHERE user_id = ?1", [setup.user_id])?;
    let recovery_codes = totp::new_recovery_codes();
    for code in &recovery_codes {
        tx.execute(
            "INSERT INTO recovery_code (user_id, code_hash) VALUES (?1, ?2)",
            params![setup.user_id, totp::recovery_code_hash(code)],
        )?;
    }
    tx.commit()?;
    Ok(Confirmation::Done {
        user_id: setup.user_id,
        recovery_codes,
    })
}

/// `user reset-2fa NAME`: the second factor and recovery codes go and every session of the user
/// ends; the next sign-in sets a second factor up again. `false`: no such user.
pub fn reset(conn: &mut Connection, name: &str) -> StoreResult<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(user_id) = tx
        .query_row("SELECT id FROM user WHERE name = ?1", [name], |r| r.get::<_, i64>(0))
        .optional()?
    else {
        return Ok(false);
    };
    tx.execute("DELETE FROM second_factor WHERE user_id = ?1", [user_id])?;
    tx.execute("DELETE FROM recovery_code WHERE user_id = ?1", [user_id])?;
    tx.execute("DELETE FROM session WHERE user_id = ?1", [user_id])?;
    tx.commit()?;
    Ok(true)
}

/// Give a user a confirmed second factor with a known secret, unless they have a confirmed one
/// (the demo's users share one published secret).
pub fn set_up_with(conn: &Connection, user_id: i64, secret_b32: &str, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO second_factor (user_id, secret, confirmed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, confirmed_at = excluded.confirmed_at,
             last_step = 0, setup_token_hash = NULL, setup_csrf = NULL, setup_expires_at = NULL
         WHERE confirmed_at IS NULL",
        params![user_id, secret_b32, ts(now)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::directory::{Role, add_user, user_by_name};

    const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn store_with_user() -> anyhow::Result<(Connection, i64)> {
        let mut conn = Connection::open_in_memory()?;
        crate::db::MIGRATIONS.to_latest(&mut conn)?;
        add_user(&conn, "anna", Role::Evaluator, None, "x", Utc::now())?;
        let id = user_by_name(&conn, "anna")?.map(|u| u.id).unwrap_or_default();
        Ok((conn, id))
    }

    fn code(step: u64) -> String {
        totp::code_at_step(SECRET, step).unwrap_or_default()
    }

    #[test]
    fn a_time_step_is_accepted_once_and_never_an_earlier_one() -> anyhow::Result<()> {
        let (mut conn, id) = store_with_user()?;
        let now = Utc::now();
        assert_eq!(verify(&mut conn, id, &code(0), now)?, Verdict::NotSetUp);
        set_up_with(&conn, id, SECRET, now)?;
        let step = unix(now) / totp::STEP_SECS;
        assert_eq!(verify(&mut conn, id, &code(step), now)?, Verdict::Accepted);
        assert_eq!(verify(&mut conn, id, &code(step), now)?, Verdict::Invalid, "replay");
        assert_eq!(
            verify(&mut conn, id, &code(step - 1), now)?,
            Verdict::Invalid,
            "earlier"
        );
        assert_eq!(
            verify(&mut conn, id, &code(step + 1), now)?,
            Verdict::Accepted,
            "skew +1"
        );
        assert_eq!(
            verify(&mut conn, id, &code(step + 2), now)?,
            Verdict::Invalid,
            "too far"
        );
        Ok(())
    }

    #[test]
    fn setup_confirms_with_a_code_and_recovery_codes_work_once() -> anyhow::Result<()> {
        let (mut conn, id) = store_with_user()?;
        let now = Utc::now();
        let token = begin_setup(&conn, id, now)?.unwrap_or_default();
        let setup = pending_setup(&conn, &token, now)?.ok_or_else(|| anyhow::anyhow!("pending"))?;
        assert!(!setup.csrf.is_empty());
        assert_eq!(
            pending_setup(&conn, &token, now + SETUP_VALIDITY)?.map(|s| s.user_id),
            None
        );
        assert_eq!(
            confirm_setup(&mut conn, &token, "000000x", now)?,
            Confirmation::WrongCode
        );
        let step = unix(now) / totp::STEP_SECS;
        let right = totp::code_at_step(&setup.secret, step).unwrap_or_default();
        let Confirmation::Done { recovery_codes, .. } = confirm_setup(&mut conn, &token, &right, now)? else {
            anyhow::bail!("not confirmed");
        };
        assert_eq!(recovery_codes.len(), 10);
        assert_eq!(confirm_setup(&mut conn, &token, &right, now)?, Confirmation::Gone);
        assert_eq!(begin_setup(&conn, id, now)?, None, "a confirmed factor is not replaced");
        assert_eq!(
            verify(&mut conn, id, &right, now)?,
            Verdict::Invalid,
            "the setup's step is used"
        );
        let spare = recovery_codes[3].to_lowercase();
        assert_eq!(verify(&mut conn, id, &spare, now)?, Verdict::Accepted);
        assert_eq!(verify(&mut conn, id, &spare, now)?, Verdict::Invalid, "used up");
        assert!(reset(&mut conn, "anna")?);
        assert!(!is_set_up(&conn, id)?);
        assert_eq!(verify(&mut conn, id, &recovery_codes[4], now)?, Verdict::NotSetUp);
        assert!(!reset(&mut conn, "nobody")?);
        Ok(())
    }
}
