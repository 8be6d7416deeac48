//! The restore drill: five pharmacies' devices (the app's real outbox and sync code, each with
//! its own store) send 50 reports; the server is backed up with `backup --to`; the devices send
//! 20 more; the server dies (`kill -9`) and its database is replaced by the backup with
//! `restore --from`; the server starts again on the same address. Within a few sync passes all
//! 70 reports are on the server again, none twice, and every melding and adviesvraag has reached
//! the Veilig Thuis region it belongs to.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use masker19::store::Store;
use masker19::sync::{self, Client};
use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{TestServer, admin, open_store, set_webhook, temp_db};
use meldcode::Kind;
use uuid::Uuid;

type R = anyhow::Result<()>;

/// The pharmacies' municipalities and the region each belongs to: five regions.
const PHARMACIES: [(&str, &str); 5] = [
    ("GM0363", "VT01"),
    ("GM0599", "VT18"),
    ("GM0034", "VT03"),
    ("GM0014", "VT08"),
    ("GM0855", "VT15"),
];

/// How long the forwarder may take to deliver everything.
const DELIVERY_WAIT: StdDuration = StdDuration::from_secs(30);

fn rt() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

fn poll_interval() -> Duration {
    Duration::seconds(30)
}

struct Device {
    _dir: tempfile::TempDir,
    store: Store,
    client: Client,
    gemeente: &'static str,
    region: &'static str,
}

impl Device {
    fn enroll(url: &str, code: &str, gemeente: &'static str, region: &'static str) -> anyhow::Result<Device> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        rt()?.block_on(sync::enroll_and_store(&store, url, code, None, "balie"))?;
        let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
        Ok(Device {
            _dir: dir,
            store,
            client,
            gemeente,
            region,
        })
    }

    /// Write a report of `kind` about someone in the pharmacy's municipality; kept in the outbox.
    fn write(&self, kind: Kind, now: DateTime<Utc>) -> anyhow::Result<Uuid> {
        let mut report = meldcode::examples::example(kind, Uuid::new_v4(), now);
        report.gemeente = Some(self.gemeente.to_owned());
        self.store.enqueue(&report, now)?;
        Ok(report.id)
    }

    fn sync(&self, now: DateTime<Utc>) -> anyhow::Result<sync::SyncSummary> {
        Ok(rt()?.block_on(sync::sync_once(&self.store, &self.client, now, poll_interval()))?)
    }
}

/// The kinds of the first 50 reports: melding and adviesvraag mostly, some counted only.
fn first_kind(i: usize) -> Kind {
    match i % 10 {
        0..=5 => Kind::Melding,
        6 | 7 => Kind::Adviesvraag,
        8 => Kind::GeenMelding,
        _ => Kind::Acuut112,
    }
}

/// The kinds of the 20 reports after the backup: forwarded kinds only. A geen melding or
/// acuut_112 is settled (`recorded`) the moment the server accepts it, so the device wipes it
/// and never polls it again: one accepted after the backup is not brought back (the drill
/// then finds 69 of 70).
fn second_kind(i: usize) -> Kind {
    if i.is_multiple_of(2) {
        Kind::Melding
    } else {
        Kind::Adviesvraag
    }
}

/// Write `per_device` reports on every device and send them; each is accepted.
fn send_round(
    devices: &[Device],
    per_device: usize,
    kind: impl Fn(usize) -> Kind,
    now: DateTime<Utc>,
    sent: &mut Vec<(Uuid, Kind, &'static str)>,
) -> R {
    for (d, device) in devices.iter().enumerate() {
        let mut ids = Vec::new();
        for i in 0..per_device {
            let k = kind(d * per_device + i);
            let id = device.write(k, now)?;
            ids.push(id);
            sent.push((id, k, device.region));
        }
        let sum = device.sync(now)?;
        let accepted: HashSet<Uuid> = sum.accepted.into_iter().collect();
        anyhow::ensure!(
            ids.iter().all(|id| accepted.contains(id)),
            "not all accepted: {:?}",
            sum.problem
        );
    }
    Ok(())
}

/// How many rows the server's store holds per report id, and in all.
fn held(db: &Path) -> anyhow::Result<(HashMap<Uuid, i64>, i64)> {
    let conn = open_store(db)?;
    let mut stmt = conn.prepare("SELECT id, count(*) FROM report GROUP BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut per_id = HashMap::new();
    for row in rows {
        let (id, n) = row?;
        per_id.insert(Uuid::parse_str(&id)?, n);
    }
    let total = conn.query_row("SELECT count(*) FROM report", [], |r| r.get(0))?;
    Ok((per_id, total))
}

/// The report ids a region's receiver has taken (2xx), whatever the delivery's id.
fn delivered_ids(receiver: &Receiver) -> HashSet<String> {
    receiver
        .delivered()
        .iter()
        .filter(|a| a.verified)
        .filter_map(|a| a.body["data"]["id"].as_str().map(str::to_owned))
        .collect()
}

fn run(db: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = admin(db, args, "")?;
    anyhow::ensure!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn after_a_restore_from_backup_the_devices_bring_back_every_report_once_to_its_region() -> R {
    // A production-like database: pharmacies and webhooks set with the CLI, no demo data.
    let (dir, db) = temp_db()?;
    let mut receivers = HashMap::new();
    let mut codes = Vec::new();
    for (n, (gemeente, region)) in PHARMACIES.iter().enumerate() {
        let name = format!("Apotheek {n}");
        let out = run(&db, &["pharmacy", "add", "--name", &name, "--gemeente", gemeente])?;
        codes.push(out.trim().to_owned());
        let receiver = Receiver::start(Behaviour::Accept)?;
        set_webhook(&db, region, &receiver.url())?;
        receivers.insert(*region, receiver);
    }
    let server = TestServer::start(&db, false)?;
    let listen = server.url.trim_start_matches("http://").to_owned();
    let devices = PHARMACIES
        .iter()
        .zip(&codes)
        .map(|((gemeente, region), code)| Device::enroll(&server.url, code, gemeente, region))
        .collect::<anyhow::Result<Vec<_>>>()?;

    // The store keeps milliseconds.
    let start = Utc::now().trunc_subsecs(3);
    let mut sent = Vec::new();
    send_round(&devices, 10, first_kind, start, &mut sent)?;
    assert_eq!(sent.len(), 50);

    let backup = dir.path().join("nacht.db");
    let out = run(&db, &["backup", "--to", &backup.to_string_lossy()])?;
    assert!(out.contains("reports=50"), "{out}");

    send_round(&devices, 4, second_kind, start + Duration::minutes(1), &mut sent)?;
    assert_eq!(sent.len(), 70);
    assert_eq!(held(&db)?.1, 70);

    // The server's disk is lost: kill -9, the database put back from last night's backup, the
    // server started again where the devices know it.
    server.kill9()?;
    let out = run(&db, &["restore", "--from", &backup.to_string_lossy()])?;
    assert!(out.contains("reports=50"), "{out}");
    let server = TestServer::start_at(&db, &listen, false, &[])?;
    assert_eq!(held(&db)?.1, 50, "the backup lacks the last 20");

    // The devices' next passes, the clock moving on as it does between polls.
    let mut t = start + Duration::minutes(1);
    let mut passes = 0;
    loop {
        t += poll_interval() * 2;
        passes += 1;
        for device in &devices {
            let sum = device.sync(t)?;
            assert!(sum.rejected.is_empty() && sum.lost.is_empty(), "{sum:?}");
        }
        if held(&db)?.1 >= 70 || passes >= 6 {
            break;
        }
    }
    let (per_id, total) = held(&db)?;
    assert_eq!(total, 70, "all 70 on the server again after {passes} passes");
    // One pass hears 404 and queues each lost report again, the next sends it.
    assert_eq!(passes, 2, "brought back within two passes");
    for (id, kind, _) in &sent {
        assert_eq!(per_id.get(id), Some(&1), "{kind:?} {id} held once");
    }

    // Every melding and adviesvraag reaches its own region, and no other. One of the 20 that
    // was delivered before the loss arrives a second time after it, under a new webhook id (the
    // restored server cannot know): the region recognises it by its report id.
    let forwarded: Vec<_> = sent.iter().filter(|(_, k, _)| k.is_forwarded()).collect();
    assert_eq!(forwarded.len(), 60);
    for (region, receiver) in &receivers {
        let expected: HashSet<String> = forwarded
            .iter()
            .filter(|(_, _, r)| r == region)
            .map(|(id, _, _)| id.to_string())
            .collect();
        let waited = receiver.wait_until(DELIVERY_WAIT, region, |_| {
            delivered_ids(receiver).is_superset(&expected)
        });
        assert!(
            waited.is_ok(),
            "{region}: {} of {} delivered",
            delivered_ids(receiver).len(),
            expected.len()
        );
        assert_eq!(delivered_ids(receiver), expected, "{region} gets its own reports only");
    }
    drop(server);
    Ok(())
}
