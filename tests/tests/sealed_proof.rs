//! Proof that the relay cannot read what it relays: a melding whose person, address and safe
//! number carry unique markers goes from the app's own code (outbox, sealing, sync) through the
//! real server to a stand-in Veilig Thuis receiver. None of the markers is in any byte of the
//! server's database (read row by row with its key, and the raw file), its WAL, a backup made
//! while it runs, its log (at debug level) or the webhook body; `age -d` with the region's
//! identity, and separately with the recovery identity, gives back the report exactly.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use masker19::store::Store;
use masker19::sync;
use masker19_e2e::ceremony::{Ceremony, age_decrypt, set_list};
use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{DEMO_PASSWORD, admin, open_store, server_bin, set_webhook, temp_db};
use meldcode::Kind;

type R = anyhow::Result<()>;

fn rt() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// Every text and blob in every table of a store, as one byte string per value.
fn every_value(conn: &rusqlite::Connection) -> anyhow::Result<Vec<Vec<u8>>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut values = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\""))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..columns {
                match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => values.push(t.to_vec()),
                    _ => {}
                }
            }
        }
    }
    Ok(values)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

#[test]
fn the_server_holds_no_byte_of_a_sealed_reports_content() -> R {
    let (dir, db) = temp_db()?;
    let log_path = dir.path().join("server.log");
    let receiver = Receiver::start(Behaviour::Accept)?;
    let mut child = Command::new(server_bin())
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .env("MASKER19_ALLOW_TEST_SETTINGS", "1")
        .env("MASKER19_TEST_DEMO_PLAINTEXT", "1")
        .env("MASKER19_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path)?)
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("stdout"))?;
    let mut info = std::collections::HashMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if let Some((k, v)) = line.split_once('=') {
            info.insert(k.to_owned(), v.to_owned());
        }
        if info.contains_key("demo_keys") {
            break;
        }
    }
    let url = info.get("url").cloned().unwrap_or_default();
    masker19_e2e::totp::register_server(&url, &db, info.get("totp_secret").map(String::as_str));
    let result = (|| -> R {
        set_webhook(&db, "VT01", &receiver.url())?;
        let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01"])?;
        let (list, sig) = ceremony.sign("regions.json", &ceremony.list(1))?;
        let out = set_list(&db, &ceremony.scheme_key, &list, &sig)?;
        anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let keys = ceremony.region("VT01")?;

        // The pharmacy's app, through its own code: enrolled with the scheme key pinned.
        let adir = tempfile::tempdir()?;
        let store = Store::open_dir(adir.path(), false)?;
        rt()?.block_on(sync::enroll_and_store(
            &store,
            &url,
            &info["enrollment_code"],
            Some("1919"),
            "balie",
        ))?;
        masker19::seal::pin_scheme_key(&store, &ceremony.scheme_key)?;
        let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;

        let tag = uuid::Uuid::new_v4().simple().to_string();
        let (name, street) = (
            format!("Naammarker{}", &tag[..10]),
            format!("Straatmarker{}", &tag[10..20]),
        );
        let digits: String = tag
            .chars()
            .filter(char::is_ascii_digit)
            .chain("12345678".chars())
            .take(8)
            .collect();
        let safe_number = format!("06{digits}");
        let now = Utc::now();
        let mut report = meldcode::examples::example(Kind::Melding, uuid::Uuid::new_v4(), now);
        if let Some(p) = report.person.as_mut() {
            p.name = name.clone();
            p.address.street = street.clone();
        }
        if let Some(s) = report.safe_contact.as_mut() {
            s.phone = safe_number.clone();
        }
        meldcode::parse_report(report.canonical_json().as_bytes(), now)
            .map_err(|e| anyhow::anyhow!("the marked report is valid: {e:?}"))?;
        store.enqueue(&report, now)?;
        let sum = rt()?.block_on(sync::sync_once(&store, &client, now, chrono::Duration::seconds(30)))?;
        anyhow::ensure!(sum.accepted == vec![report.id], "{sum:?}");
        let envelope = store
            .envelope(report.id)?
            .ok_or_else(|| anyhow::anyhow!("the app sealed it"))?;

        let id = report.id.to_string();
        receiver.wait_until(Duration::from_secs(20), "the delivery", |a| {
            a.iter().any(|a| a.body["data"]["id"] == id.as_str())
        })?;
        let delivered = receiver
            .delivered()
            .into_iter()
            .find(|a| a.body["data"]["id"] == id.as_str())
            .ok_or_else(|| anyhow::anyhow!("delivered"))?;
        // Someone reads it in intake, so every path that touches it has run.
        let api = masker19_e2e::Api {
            base: url.clone(),
            http: reqwest::blocking::Client::new(),
        };
        let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
        let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?;
        anyhow::ensure!(shown.status == 200, "{}", shown.body);
        let backup = dir.path().join("backup.db");
        let out = admin(&db, &["backup", "--to", &backup.to_string_lossy()], "")?;
        anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        let markers = [name.as_str(), street.as_str(), safe_number.as_str()];
        let mut places: Vec<(String, Vec<u8>)> = vec![
            ("the webhook body".into(), delivered.raw.to_vec()),
            ("the intake API's answer".into(), shown.body.to_string().into_bytes()),
            ("the database file".into(), file_bytes(&db)),
            ("the WAL".into(), file_bytes(&db.with_extension("db-wal"))),
            ("the backup".into(), file_bytes(&backup)),
            ("the server's log".into(), file_bytes(&log_path)),
        ];
        for value in every_value(&open_store(&db)?)? {
            places.push(("a value in the database".into(), value));
        }
        std::fs::copy(db.with_extension("db.key"), backup.with_extension("db.key"))?;
        for value in every_value(&open_store(&backup)?)? {
            places.push(("a value in the backup".into(), value));
        }
        for (place, bytes) in &places {
            for marker in markers {
                assert!(!contains(bytes, marker), "{marker} is in {place}");
            }
        }
        assert!(
            contains(&file_bytes(&log_path), "masker19-server listening"),
            "the log was captured"
        );
        // The canaries are where they belong: in the app's report, before it was sealed.
        assert!(report.canonical_json().contains(&name) && report.canonical_json().contains(&safe_number));

        let sealed = delivered.body["data"]["sealed"].as_str().unwrap_or_default().to_owned();
        let parsed: meldcode::sealed::Envelope = serde_json::from_str(&envelope)?;
        assert_eq!(sealed, parsed.sealed, "the webhook carries the app's sealed bytes");
        for identity in [&keys.identity, &keys.recovery_identity] {
            assert_eq!(age_decrypt(&sealed, identity)?, report.canonical_json().into_bytes());
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// The attack: a server (or someone between) serves a list signed by another key, or lowers the
/// version. The app believes only the scheme key it pinned: the melding waits, in Dutch with
/// 0800-2000, and nothing of it reaches the server in clear.
#[test]
fn a_list_not_signed_by_the_pinned_scheme_key_keeps_the_melding_on_the_device() -> R {
    let (dir, db) = temp_db()?;
    let server = masker19_e2e::TestServer::start(&db, true)?;
    let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01"])?;
    let (list, sig) = ceremony.sign("regions.json", &ceremony.list(1))?;
    let out = set_list(&server.db, &ceremony.scheme_key, &list, &sig)?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pinned = Ceremony::new(&dir.path().join("pinned"), &[])?;

    let adir = tempfile::tempdir()?;
    let store = Store::open_dir(adir.path(), false)?;
    let code = server.info["enrollment_code"].clone();
    rt()?.block_on(sync::enroll_and_store(&store, &server.url, &code, None, "balie"))?;
    masker19::seal::pin_scheme_key(&store, &pinned.scheme_key)?;
    let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
    let now = Utc::now();
    let report = meldcode::examples::example(Kind::Melding, uuid::Uuid::new_v4(), now);
    store.enqueue(&report, now)?;
    let sum = rt()?.block_on(sync::sync_once(&store, &client, now, chrono::Duration::seconds(30)))?;
    assert_eq!(sum.retrying, vec![report.id], "{sum:?}");
    let entry = store.outbox_entry(report.id)?.ok_or_else(|| anyhow::anyhow!("kept"))?;
    let problem = meldcode::delivery::DeliveryProblem::from_code(entry.last_error.as_deref().unwrap_or(""));
    assert_eq!(problem, meldcode::delivery::DeliveryProblem::SealKeys);
    use meldcode::texts::Label;
    assert!(problem.label(meldcode::Lang::Nl).contains("0800-2000"));
    assert_eq!(store.envelope(report.id)?, None);
    let token = store.setting(masker19::store::keys::DEVICE_TOKEN)?.unwrap_or_default();
    let status = server.client().status_of(&token, &report.id.to_string())?;
    assert_eq!(status.status, 404, "the server never got it");
    assert!(
        store.setting(masker19::store::keys::KEY_LIST)?.is_none(),
        "the foreign list is not kept"
    );
    Ok(())
}
