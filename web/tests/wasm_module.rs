//! The WebAssembly module as the page runs it: built for wasm32-unknown-unknown, instantiated
//! through the page's own glue (js/masker19-intake.mjs) in Node, it unlocks a wrapped key, opens
//! a sealed report exactly as the native code does, and forgets the key.

use std::path::PathBuf;
use std::process::Command;

use chrono::Utc;
use masker19_seal::sign::{new_identity, wrap_with_passphrase};
use meldcode::Kind;
use meldcode::sealed::Envelope;
use serde_json::Value;

fn module() -> anyhow::Result<PathBuf> {
    let out = Command::new(env!("CARGO"))
        .args([
            "build",
            "-p",
            "masker19-web",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--message-format=json",
        ])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "wasm build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["target"]["name"] == "masker19_web")
        .flat_map(|m| m["filenames"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f.as_str().map(PathBuf::from))
        .find(|f| f.extension().is_some_and(|e| e == "wasm"))
        .ok_or_else(|| anyhow::anyhow!("no .wasm in the build's output"))
}

#[test]
fn the_module_unlocks_opens_and_forgets_through_the_pages_glue() -> anyhow::Result<()> {
    let wasm = module()?;
    let dir = tempfile::tempdir()?;
    let (identity, public) = new_identity("2026-12-08T00:00:00Z");
    let (_, recovery) = new_identity("2026-12-08T00:00:00Z");
    std::fs::write(
        dir.path().join("key.age"),
        wrap_with_passphrase(identity.as_bytes(), "mijn zin", 12)?,
    )?;
    let report = meldcode::examples::example(Kind::Melding, uuid::Uuid::new_v4(), Utc::now());
    let sealed = masker19_seal::seal_bytes(report.canonical_json().as_bytes(), &[&public, &recovery])?;
    let envelope = serde_json::to_vec(&Envelope::for_report(&report, "VT01", 1, sealed))?;
    std::fs::write(dir.path().join("envelope.json"), &envelope)?;
    let glue = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/glue.mjs");
    let out = Command::new("node")
        .arg(glue)
        .arg(&wasm)
        .arg(dir.path().join("key.age"))
        .arg("mijn zin")
        .arg(dir.path().join("envelope.json"))
        .output()?;
    anyhow::ensure!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
    let ran: Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(ran["wrong"]["ok"], false, "{ran}");
    assert_eq!(ran["right"]["ok"], true, "{ran}");
    assert_eq!(
        ran["opened"],
        masker19_web::open_json(&identity, &envelope, None),
        "the very same rendering"
    );
    assert_eq!(ran["opened"]["ok"], true);
    assert_eq!(ran["after"]["ok"], false, "forgotten: {ran}");
    Ok(())
}

/// How long the module takes in Node to unlock a key wrapped at age's default work factor
/// (2^18) and to open a report: `cargo test -p masker19-web --test wasm_module -- --ignored
/// --nocapture`. Chromium runs the same module; Node stands in for it here.
#[test]
#[ignore = "a measurement, not a check"]
fn unlock_and_open_times_at_ages_default_work_factor() -> anyhow::Result<()> {
    let wasm = module()?;
    let dir = tempfile::tempdir()?;
    let (identity, public) = new_identity("2026-12-08T00:00:00Z");
    std::fs::write(
        dir.path().join("key.age"),
        wrap_with_passphrase(identity.as_bytes(), "zin", 18)?,
    )?;
    let report = meldcode::examples::example(Kind::Melding, uuid::Uuid::new_v4(), Utc::now());
    let sealed = masker19_seal::seal_bytes(report.canonical_json().as_bytes(), &[&public])?;
    let envelope = serde_json::to_vec(&Envelope::for_report(&report, "VT01", 1, sealed))?;
    std::fs::write(dir.path().join("envelope.json"), &envelope)?;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/time_unlock.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(&wasm)
        .arg(dir.path().join("key.age"))
        .arg("zin")
        .arg(dir.path().join("envelope.json"))
        .arg("7")
        .output()?;
    anyhow::ensure!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
    let times: Value = serde_json::from_slice(&out.stdout)?;
    for what in ["unlock_ms", "open_ms"] {
        let mut ms: Vec<f64> = times[what]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
            .collect();
        ms.sort_by(f64::total_cmp);
        let p50 = ms.get(ms.len() / 2).copied().unwrap_or_default();
        let max = ms.last().copied().unwrap_or_default();
        println!("{what}: p50 {p50:.0} ms, max {max:.0} ms over {} runs", ms.len());
    }
    Ok(())
}
