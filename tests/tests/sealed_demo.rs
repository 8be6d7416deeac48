//! `serve --demo` runs the whole sealed path out of the box: it makes a scheme key, a key and a
//! recovery key per region and the signed list (in `demo-keys/` beside the database), puts the
//! list in force, and prints `scheme_key=` and `region_key_passphrase=`. An app pinned to that
//! scheme key seals; the demo identity opens what arrives.

use std::process::Command;
use std::time::Duration;

use chrono::Utc;
use masker19::store::Store;
use masker19::sync;
use masker19_e2e::ceremony::age_decrypt;
use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{TestServer, admin, set_webhook, temp_db, with_fresh_id};

type R = anyhow::Result<()>;
const SEALED_DEMO: &[(&str, &str)] = &[("MASKER19_TEST_DEMO_PLAINTEXT", "0")];

#[test]
fn the_demo_seals_out_of_the_box_with_the_keys_it_says_where_to_find() -> R {
    let (_dir, db) = temp_db()?;
    let receiver = Receiver::start(Behaviour::Accept)?;
    let server = TestServer::start_with(&db, true, SEALED_DEMO)?;
    let scheme_key = server.info["scheme_key"].clone();
    assert!(scheme_key.starts_with("RW"), "{scheme_key}");
    assert!(!server.info["region_key_passphrase"].is_empty());
    let keys = std::path::PathBuf::from(&server.info["demo_keys"]);
    assert_eq!(
        keys,
        db.parent().unwrap_or(&db).join("demo-keys"),
        "beside the database"
    );
    for file in [
        "VT01.key",
        "VT01-recovery.key",
        "VT01.key.age",
        "VT20.key",
        "scheme.pub",
        "regions.json",
    ] {
        let meta = std::fs::metadata(keys.join(file))?;
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o077, 0, "{file} is its owner's only");
    }
    // The demo's list verifies with the standard tool.
    let verified = Command::new("minisign")
        .args(["-V", "-p", "scheme.pub", "-m", "regions.json"])
        .current_dir(&keys)
        .output()?;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let shown = String::from_utf8(admin(&db, &["region-keys", "show"], "")?.stdout)?;
    assert!(
        shown.contains("version=1") && shown.contains("VT01\t") && shown.contains("VT27\t"),
        "{shown}"
    );

    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    let r = api.post_json(
        "/api/v1/reports",
        Some(&device),
        &with_fresh_id(&api.example("melding")?),
    )?;
    assert_eq!(
        r.status, 422,
        "the demo's regions receive sealed reports only: {}",
        r.body
    );

    set_webhook(&db, "VT01", &receiver.url())?;
    let adir = tempfile::tempdir()?;
    let store = Store::open_dir(adir.path(), false)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    drop(server);
    // A restart keeps the demo's keys (and gives a fresh enrollment code).
    let server = TestServer::start_with(&db, true, SEALED_DEMO)?;
    assert_eq!(server.info["scheme_key"], scheme_key, "the keys are made once");
    rt.block_on(sync::enroll_and_store(
        &store,
        &server.url,
        &server.info["enrollment_code"],
        None,
        "balie",
    ))?;
    masker19::seal::pin_scheme_key(&store, &scheme_key)?;
    let client = sync::client_for(&store)?.ok_or_else(|| anyhow::anyhow!("not enrolled"))?;
    let now = Utc::now();
    let report = meldcode::examples::example(meldcode::Kind::Melding, uuid::Uuid::new_v4(), now);
    store.enqueue(&report, now)?;
    let sum = rt.block_on(sync::sync_once(&store, &client, now, chrono::Duration::seconds(30)))?;
    assert_eq!(sum.accepted, vec![report.id], "{sum:?}");
    let id = report.id.to_string();
    receiver.wait_until(Duration::from_secs(20), "the delivery", |a| {
        a.iter().any(|a| a.body["data"]["id"] == id.as_str())
    })?;
    let sealed = receiver
        .delivered()
        .into_iter()
        .find(|a| a.body["data"]["id"] == id.as_str())
        .and_then(|a| a.body["data"]["sealed"].as_str().map(str::to_owned))
        .unwrap_or_default();
    assert_eq!(
        age_decrypt(&sealed, &keys.join("VT01.key"))?,
        report.canonical_json().into_bytes()
    );
    assert_eq!(
        age_decrypt(&sealed, &keys.join("VT01-recovery.key"))?,
        report.canonical_json().into_bytes()
    );
    assert!(
        age_decrypt(&sealed, &keys.join("VT20.key")).is_err(),
        "another region cannot open it"
    );
    Ok(())
}
