//! The app's time to seal a report, and what sealing adds to its size: `N` meldingen (each with
//! a fresh id) through the app's own decision (`masker19::seal::decide`: the recipients valid at
//! `created_at` plus the recovery key, age X25519, armored), against a signed list of every
//! region. Prints p50/p99/max of one seal and the sizes of the report and of its envelope.
//!
//! `cargo run --release -p masker19-e2e --bin bench-seal -- [N]` (default 2000).

use std::time::{Duration, Instant};

use masker19::seal::{Decision, Sealing, decide};
use masker19_seal::sign::{SchemeKey, new_identity};

fn main() -> anyhow::Result<()> {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000usize);
    let scheme = SchemeKey::generate()?;
    let regions: serde_json::Map<String, serde_json::Value> = meldcode::regions::latest()
        .regions()
        .map(|r| {
            let (_, key) = new_identity("bench");
            let (_, recovery) = new_identity("bench");
            (
                r.code.clone(),
                serde_json::json!({"recipients": [{"id": "k", "age": key, "valid_from": "2020-01-01T00:00:00Z"}], "recovery": recovery}),
            )
        })
        .collect();
    let list = serde_json::json!({"version": 1, "issued_at": "2026-12-01T00:00:00Z", "regions": regions}).to_string();
    let signature = scheme.sign(list.as_bytes())?;
    let verified = masker19_seal::verify_list(list.as_bytes(), &signature, &scheme.public())?;
    let sealing = Sealing::Verified(verified);
    let now = chrono::Utc::now();
    let mut times = Vec::with_capacity(n);
    let (mut plain_bytes, mut sealed_bytes) = (0usize, 0usize);
    for _ in 0..n {
        let report = meldcode::examples::example(meldcode::Kind::Melding, uuid::Uuid::new_v4(), now);
        let region = masker19::seal::region_of(&report, Some("GM0363"), None);
        let t = Instant::now();
        let decision = decide(&sealing, &report, region.as_deref());
        times.push(t.elapsed());
        let Decision::Sealed(envelope) = decision else {
            anyhow::bail!("not sealed: {decision:?}");
        };
        plain_bytes += report.canonical_json().len();
        sealed_bytes += envelope.len();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at = |p: f64| {
        times
            .get(((times.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    println!("reports={n}");
    println!(
        "seal_ms p50={:.3} p99={:.3} max={:.3}",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    let (plain, sealed) = (plain_bytes / n.max(1), sealed_bytes / n.max(1));
    println!(
        "bytes report={plain} envelope={sealed} overhead={} (+{:.0}%)",
        sealed - plain,
        (sealed as f64 / plain as f64 - 1.0) * 100.0
    );
    Ok(())
}
