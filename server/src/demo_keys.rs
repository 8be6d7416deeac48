//! `serve --demo`'s keys for sealed reports: a scheme key, an age key and a recovery key per
//! region, and the signed region key list, made once and kept in `demo-keys/` beside the database
//! so that the whole sealed path runs out of the box. Demo only: a real scheme makes its keys
//! offline with `age-keygen` and `minisign`, and the server never holds a region's identity.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use masker19_seal::sign::{SchemeKey, new_identity, wrap_with_passphrase};
use rusqlite::Connection;

use crate::store::{meta_get, meta_set, region_keys};

/// The passphrase of the demo region identities wrapped for intake staff (`age -p`), published
/// like the demo password.
pub const REGION_KEY_PASSPHRASE: &str = "demo-sleutel-19";
/// The demo's intake region, whose identity is also kept wrapped with the passphrase.
const WRAPPED_REGION: &str = "VT01";
/// scrypt's work factor for the wrapped demo identity (age's default is 18): a demo start stays quick.
const DEMO_WORK_FACTOR: u8 = 14;
/// Test only: the demo's keys are made but no region key list is put in force, so the demo
/// receives reports v1 (tests that post report v1 to a demo server).
pub const PLAINTEXT_VAR: &str = "MASKER19_TEST_DEMO_PLAINTEXT";

/// What `serve --demo` prints about the keys.
pub struct DemoKeys {
    pub scheme_key: String,
    pub dir: PathBuf,
}

/// The folder of the demo identities: `demo-keys/` beside the database.
pub fn dir_for(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("demo-keys")
}

/// Whether the test-only setting asks for a demo without a key list in force.
pub fn plaintext_asked() -> anyhow::Result<bool> {
    let asked = std::env::var(PLAINTEXT_VAR).is_ok_and(|v| v.trim() == "1");
    let allowed = cfg!(debug_assertions) || std::env::var("MASKER19_ALLOW_TEST_SETTINGS").is_ok_and(|v| v == "1");
    if asked && !allowed {
        anyhow::bail!("{PLAINTEXT_VAR} is test-only: a release build needs MASKER19_ALLOW_TEST_SETTINGS=1");
    }
    Ok(asked)
}

/// Make the demo's keys once (later starts reuse them) and, unless `plaintext`, put the signed
/// list covering every region in force.
pub fn ensure(conn: &mut Connection, dir: &Path, plaintext: bool, now: DateTime<Utc>) -> anyhow::Result<DemoKeys> {
    if let Some(scheme_key) = meta_get(conn, "demo_scheme_key")? {
        return Ok(DemoKeys {
            scheme_key,
            dir: dir.to_path_buf(),
        });
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let created = crate::db::ts(now);
    let scheme = SchemeKey::generate()?;
    write_private(&dir.join("scheme.key"), &scheme.secret_file()?)?;
    write_private(&dir.join("scheme.pub"), &scheme.public_file()?)?;
    let mut regions = serde_json::Map::new();
    for region in meldcode::regions::latest().regions() {
        let code = &region.code;
        let (identity, public) = new_identity(&created);
        let (recovery_identity, recovery) = new_identity(&created);
        write_private(&dir.join(format!("{code}.key")), &identity)?;
        write_private(&dir.join(format!("{code}-recovery.key")), &recovery_identity)?;
        if code == WRAPPED_REGION {
            let wrapped = wrap_with_passphrase(identity.as_bytes(), REGION_KEY_PASSPHRASE, DEMO_WORK_FACTOR)?;
            write_private(&dir.join(format!("{code}.key.age")), &wrapped)?;
        }
        regions.insert(
            code.clone(),
            serde_json::json!({
                "recipients": [{"id": format!("{}-demo", code.to_lowercase()), "age": public, "valid_from": "2020-01-01T00:00:00Z"}],
                "recovery": recovery,
            }),
        );
    }
    let list =
        serde_json::to_string_pretty(&serde_json::json!({"version": 1, "issued_at": created, "regions": regions}))?;
    let signature = scheme.sign(list.as_bytes())?;
    write_private(&dir.join("regions.json"), &list)?;
    write_private(&dir.join("regions.json.minisig"), &signature)?;
    if !plaintext {
        let parsed = masker19_seal::verify_list(list.as_bytes(), &signature, &scheme.public())?;
        if let Err(e) = region_keys::set(conn, &list, &signature, &parsed, now)? {
            anyhow::bail!("the demo's key list: {e}");
        }
    }
    meta_set(conn, "demo_scheme_key", &scheme.public())?;
    Ok(DemoKeys {
        scheme_key: scheme.public(),
        dir: dir.to_path_buf(),
    })
}

/// A file only its owner may read, replaced if it was there (a demo database made anew).
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}
