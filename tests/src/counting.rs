//! Counting records (no personal data) written straight into a server's store, as if received
//! at given times: for the statistics tests and `bench-stats`.

use std::path::Path;

use crate::open_store;

/// One counting record: `(vt_region, kind, channel, received_at)`.
pub type CountingRecord = (String, String, String, String);

/// Write counting records into a server's store in one transaction (the store's triggers keep
/// `stats_day` in step, as for a submitted report).
pub fn insert_counting_records(db: &Path, rows: &[CountingRecord]) -> anyhow::Result<()> {
    let mut conn = open_store(db)?;
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(INSERT)?;
        for (region, kind, channel, at) in rows {
            stmt.execute([&uuid::Uuid::new_v4().to_string(), kind, channel, region, at])?;
        }
    }
    tx.commit()?;
    Ok(())
}

const INSERT: &str = "INSERT INTO report (id, kind, channel, vt_region, status, content_hash, received_at, synthetic)
     VALUES (?1, ?2, ?3, ?4, 'recorded', 'generated', ?5, 1)";

pub const KINDS: [&str; 4] = ["melding", "adviesvraag", "geen_melding", "acuut_112"];
pub const CHANNELS: [&str; 4] = ["balie", "briefje", "telefoon", "bezorging"];

/// A generated record, compact: days since 2024-01-01, hour, minute, region, kind and channel
/// as indices (`region` into [`meldcode::regions::latest`]'s order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Generated {
    day: u16,
    hour: u8,
    minute: u8,
    region: u8,
    kind: u8,
    channel: u8,
}

/// `n` counting records spread uniformly over 2024–2026, the regions skewed (a few large ones),
/// all kinds and channels: always the same records for the same `n` (a fixed xorshift seed).
fn generate(n: usize) -> Vec<Generated> {
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut next = |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    (0..n)
        .map(|_| Generated {
            day: next(3 * 365) as u16,
            hour: next(24) as u8,
            minute: next(60) as u8,
            region: ((next(25 * 25) as f64).sqrt() as usize % 25) as u8,
            kind: next(4) as u8,
            channel: next(4) as u8,
        })
        .collect()
}

/// Write `n` generated counting records into a server's store, fast: in time order with
/// increasing ids (so every index grows at its end), one prepared statement, transactions of
/// 100,000 and a large page cache on this connection only. The store's own triggers still keep
/// `stats_day`, exactly as for a submitted report; the server's settings are not touched.
pub fn generate_counting_records(db: &Path, n: usize) -> anyhow::Result<()> {
    let regions: Vec<String> = meldcode::regions::latest().regions().map(|r| r.code.clone()).collect();
    anyhow::ensure!(regions.len() == 25, "expected 25 regions, got {}", regions.len());
    let mut records = generate(n);
    records.sort_unstable();
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut conn = open_store(db)?;
    // 512 MiB of page cache for this connection: SQLCipher decrypts each page it reads again.
    conn.pragma_update(None, "cache_size", -512 * 1024)?;
    conn.pragma_update(None, "temp_store", "memory")?;
    for (c, chunk) in records.chunks(100_000).enumerate() {
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(INSERT)?;
            for (i, g) in chunk.iter().enumerate() {
                let day = start + chrono::Duration::days(i64::from(g.day));
                let at = format!("{day}T{:02}:{:02}:00.000000Z", g.hour, g.minute);
                let id = format!("00000000-0000-4000-8000-{:012x}", c * 100_000 + i);
                stmt.execute([
                    id.as_str(),
                    KINDS[usize::from(g.kind)],
                    CHANNELS[usize::from(g.channel)],
                    regions[usize::from(g.region)].as_str(),
                    at.as_str(),
                ])?;
            }
        }
        tx.commit()?;
    }
    Ok(())
}
