//! `region-keys set` and `region-keys show`.

use std::path::Path;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};

use crate::db::DbConfig;
use crate::store::region_keys;

/// The scheme's minisign public key (`RW…`): the only key a region key list is accepted from.
pub const SCHEME_KEY_VAR: &str = "MASKER19_SCHEME_KEY";

pub fn set(db: &DbConfig, list: &Path, sig: &Path, now: DateTime<Utc>) -> anyhow::Result<()> {
    let scheme_key = std::env::var(SCHEME_KEY_VAR)
        .ok()
        .filter(|k| !k.trim().is_empty())
        .with_context(|| format!("{SCHEME_KEY_VAR} must hold the scheme's minisign public key (RW…)"))?;
    let bytes = std::fs::read(list).with_context(|| format!("cannot read {}", list.display()))?;
    let text = String::from_utf8(bytes).context("the list is not UTF-8 text")?;
    let signature = std::fs::read_to_string(sig).with_context(|| format!("cannot read {}", sig.display()))?;
    let parsed = masker19_seal::verify_list(text.as_bytes(), &signature, &scheme_key)
        .map_err(|e| anyhow::anyhow!("refused: {e}"))?;
    if let Err(e) = region_keys::set(&mut db.open()?, &text, &signature, &parsed, now)? {
        bail!("refused: {e}");
    }
    println!(
        "region key list version {} in force: {} region(s) receive sealed reports only",
        parsed.version,
        parsed.regions.len()
    );
    Ok(())
}

pub fn show(db: &DbConfig) -> anyhow::Result<()> {
    let Some(stored) = region_keys::current(&db.open()?)? else {
        println!("no region key list: every region receives reports v1 (not sealed)");
        return Ok(());
    };
    // The list was verified when it was set; shown from its own bytes.
    let list = meldcode::sealed::KeyList::parse(stored.list.as_bytes())
        .map_err(|e| anyhow::anyhow!("the stored list no longer parses: {e}"))?;
    println!("version={}", list.version);
    println!("issued_at={}", crate::db::ts(list.issued_at));
    for (region, keys) in &list.regions {
        let ids: Vec<String> = keys
            .recipients
            .iter()
            .map(|r| {
                let until = r
                    .valid_until
                    .map_or_else(|| "…".to_owned(), |u| u.format("%Y-%m-%d").to_string());
                format!(
                    "{} ({} – {until})",
                    super::shown(&r.id),
                    r.valid_from.format("%Y-%m-%d")
                )
            })
            .collect();
        println!("{region}\t{}\trecovery", ids.join(", "));
    }
    Ok(())
}
