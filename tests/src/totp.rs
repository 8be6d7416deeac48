//! Second-factor codes for the tests (TOTP, RFC 6238: SHA-1, 6 digits, 30 s), as a user's
//! authenticator app makes them.
//!
//! The server accepts a time step once per user, and one step of clock skew either way. So the
//! harness remembers, per server and user, the secret and the last step it used; the next code is
//! of a later step: the previous step while the current one has time left, else the current one,
//! else the next one, else it waits for the next step to begin.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;

/// The second factor of every user of `serve --demo` (it prints it as `totp_secret=`).
pub const DEMO_TOTP_SECRET: &str = "JVQXG23FOIYTSLLEMVWW6LJSMZQS2MJZ";
pub const STEP_SECS: u64 = 30;

#[derive(Default)]
struct Known {
    /// A server's url → the database it serves (a restarted server keeps its users' steps).
    databases: HashMap<String, String>,
    /// Per database: the secret of all its users that have none of their own (the demo's).
    default_secret: HashMap<String, String>,
    /// Per (database, user): the secret and the last time step used.
    users: HashMap<(String, String), (Option<String>, u64)>,
}

static KNOWN: Mutex<Option<Known>> = Mutex::new(None);

fn with<R>(f: impl FnOnce(&mut Known) -> R) -> R {
    let mut guard = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
    f(guard.get_or_insert_with(Known::default))
}

fn server_key(known: &Known, base: &str) -> String {
    known.databases.get(base).cloned().unwrap_or_else(|| base.to_owned())
}

/// A server started at `base` on `db`; `demo_secret` when it seeded the demo's users.
pub fn register_server(base: &str, db: &std::path::Path, demo_secret: Option<&str>) {
    with(|k| {
        let key = db.display().to_string();
        k.databases.insert(base.to_owned(), key.clone());
        if let Some(secret) = demo_secret {
            k.default_secret.insert(key, secret.to_owned());
        }
    });
}

/// Remember a user's own secret (read from the setup page); a new secret starts without steps.
pub fn set_secret(base: &str, user: &str, secret: &str) {
    with(|k| {
        let key = (server_key(k, base), user.to_owned());
        k.users.insert(key, (Some(secret.to_owned()), 0));
    });
}

/// Forget a user's own secret (after `user reset-2fa`).
pub fn forget(base: &str, user: &str) {
    with(|k| {
        let key = (server_key(k, base), user.to_owned());
        k.users.remove(&key);
    });
}

/// The secret the harness knows for a user of the server at `base`.
pub fn secret_of(base: &str, user: &str) -> Option<String> {
    with(|k| {
        let server = server_key(k, base);
        let own = k
            .users
            .get(&(server.clone(), user.to_owned()))
            .and_then(|(s, _)| s.clone());
        own.or_else(|| k.default_secret.get(&server).cloned())
    })
}

fn unix_now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// The code of `secret` at time step `step`.
pub fn code_at(secret: &str, step: u64) -> anyhow::Result<String> {
    let secret = totp_rs::Secret::try_from_base32(secret).map_err(|e| anyhow::anyhow!("base32: {e:?}"))?;
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .map_err(|e| anyhow::anyhow!("totp: {e}"))?;
    Ok(totp.generate(step * STEP_SECS).to_string())
}

/// The current time step.
pub fn current_step() -> u64 {
    unix_now().as_secs() / STEP_SECS
}

/// A fresh code for `user` at the server at `base`: of a step after the last one the harness
/// used for them, waiting for the next step to begin when all the server accepts now are used.
pub fn next_code(base: &str, user: &str) -> anyhow::Result<String> {
    Ok(next(base, user)?.code)
}

/// A code the harness handed out, and the step it took.
pub struct Taken {
    pub code: String,
    step: u64,
    previous: u64,
}

/// Give a code back that the server never looked at (it answered 429 or 503 before checking the
/// password): its step can be used again, unless a later one was taken meanwhile.
pub fn give_back(base: &str, user: &str, taken: &Taken) {
    with(|k| {
        let key = (server_key(k, base), user.to_owned());
        if let Some(entry) = k.users.get_mut(&key).filter(|e| e.1 == taken.step) {
            entry.1 = taken.previous;
        }
    });
}

/// As [`next_code`], with what is needed to give the code back.
pub fn next(base: &str, user: &str) -> anyhow::Result<Taken> {
    let (secret, step, previous) = with(|k| {
        let server = server_key(k, base);
        let default = k.default_secret.get(&server).cloned();
        let entry = k.users.entry((server, user.to_owned())).or_insert((None, 0));
        let secret = entry.0.clone().or(default)?;
        let now = unix_now().as_secs();
        let current = now / STEP_SECS;
        // The previous step only while the current one has time left for the request to arrive.
        let lowest = if now % STEP_SECS < STEP_SECS - 5 {
            current - 1
        } else {
            current
        };
        let step = (entry.1 + 1).max(lowest);
        let previous = std::mem::replace(&mut entry.1, step);
        Some((secret, step, previous))
    })
    .with_context(|| format!("no second-factor secret known for {user}"))?;
    // The server accepts up to the step after its current one: wait until `step - 1` has begun.
    let begins = Duration::from_secs((step - 1) * STEP_SECS) + Duration::from_millis(200);
    if let Some(wait) = begins.checked_sub(unix_now()) {
        std::thread::sleep(wait);
    }
    Ok(Taken {
        code: code_at(&secret, step)?,
        step,
        previous,
    })
}

/// The text of the element with `id` in a page (`<code id="totp-secret">…</code>`).
pub fn element_text(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let start = at + html[at..].find('>')? + 1;
    let len = html[start..].find('<')?;
    Some(html[start..start + len].trim().to_owned())
}

/// The recovery codes on the page that shows them (`<ol id="recovery-codes">`).
pub fn recovery_codes(html: &str) -> Vec<String> {
    let Some(at) = html.find("id=\"recovery-codes\"") else {
        return Vec::new();
    };
    let end = html[at..].find("</ol>").map_or(html.len(), |e| at + e);
    html[at..end]
        .split("<code>")
        .skip(1)
        .filter_map(|part| part.split_once("</code>").map(|(code, _)| code.trim().to_owned()))
        .collect()
}
