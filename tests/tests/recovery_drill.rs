//! The recovery drill, as the README tells a region to run it: every worker's key of VT01 is
//! lost (the identity file gone, the unlock passphrases forgotten). The region's key custodian
//! opens every sealed report with the recovery identity (`age -d -i VT01-recovery.key`, Debian's
//! age), makes a new key (`age-keygen`), the scheme signs a new list version without the lost key
//! (`minisign -S`), the operator puts it in force (`region-keys set`), and the workers store the
//! new key wrapped with new passphrases. From then on a device seals to the new key (and the
//! recovery key): the new key opens what arrives, the lost one does not.

use std::path::Path;

use masker19_e2e::ceremony::{Ceremony, age_decrypt, age_keygen, set_list};
use masker19_e2e::{Api, DEMO_PASSWORD, TestServer, admin, with_fresh_id};
use masker19_seal::sign::wrap_with_passphrase;
use masker19_seal::wrapped::unwrap_with_passphrase;
use meldcode::sealed::{Envelope, KeyList};
use serde_json::json;

type R = anyhow::Result<()>;

const OCTETS: &str = "application/octet-stream";

/// What a device does on its sync and at the end of a report: fetch the list, check its
/// signature with the scheme key it pinned, seal to the recipients valid at `created_at`.
fn device_seals(api: &Api, device: &str, scheme_key: &str, kind: &str) -> anyhow::Result<(meldcode::Report, Envelope)> {
    let signed = api.get("/api/v1/region-keys", Some(device))?;
    anyhow::ensure!(signed.status == 200, "region-keys: {}", signed.body);
    let list: KeyList = masker19_seal::verify_list(
        signed.body["list"].as_str().unwrap_or("").as_bytes(),
        signed.body["signature"].as_str().unwrap_or(""),
        scheme_key,
    )?;
    let report: meldcode::Report = serde_json::from_value(with_fresh_id(&api.example(kind)?))?;
    let envelope = masker19_seal::seal_report(&report, "VT01", &list)?;
    let r = api.post_json("/api/v1/reports", Some(device), &serde_json::to_value(&envelope)?)?;
    anyhow::ensure!(r.status == 201, "submit: {}", r.body);
    Ok((report, envelope))
}

/// The envelope of a report as the intake API gives it to the region.
fn fetched(api: &Api, token: &str, id: &str) -> anyhow::Result<Envelope> {
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(token))?;
    anyhow::ensure!(shown.status == 200, "intake report: {}", shown.body);
    Ok(serde_json::from_value(shown.body["envelope"].clone())?)
}

fn store_key(api: &Api, token: &str, identity: &Path, passphrase: &str) -> R {
    let wrapped = wrap_with_passphrase(&std::fs::read(identity)?, passphrase, 10)?;
    let r = api.send(
        "PUT",
        "/api/v1/intake/key",
        Some(token),
        Some(OCTETS),
        wrapped.into_bytes(),
    )?;
    anyhow::ensure!(r.status == 204, "storing the key: {}", r.body);
    Ok(())
}

fn stored_key(api: &Api, token: &str) -> anyhow::Result<Vec<u8>> {
    let resp = api
        .http
        .get(format!("{}/api/v1/intake/key", api.base))
        .bearer_auth(token)
        .send()?;
    anyhow::ensure!(resp.status() == 200, "fetching the key: {}", resp.status());
    Ok(resp.bytes()?.to_vec())
}

#[test]
fn a_region_that_lost_every_key_opens_its_reports_with_recovery_and_rolls_a_new_key() -> R {
    let (dir, db) = masker19_e2e::temp_db()?;
    let server = TestServer::start(&db, true)?;
    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01"])?;
    let keys = ceremony.region("VT01")?.clone();
    let (list, sig) = ceremony.sign("regions-1.json", &ceremony.list(1))?;
    let out = set_list(&db, &ceremony.scheme_key, &list, &sig)?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // A normal week: the worker keeps the region key wrapped; reports arrive sealed.
    let worker = api.login("intake-vt01", DEMO_PASSWORD)?;
    store_key(&api, &worker, &keys.identity, "oude zin die vergeten wordt")?;
    let before = [
        device_seals(&api, &device, &ceremony.scheme_key, "melding")?,
        device_seals(&api, &device, &ceremony.scheme_key, "adviesvraag")?,
    ];

    // Every key is lost: the identity file is gone, the passphrase forgotten.
    let lost = std::fs::read_to_string(&keys.identity)?;
    std::fs::remove_file(&keys.identity)?;
    let wrapped = stored_key(&api, &worker)?;
    assert!(unwrap_with_passphrase(&wrapped, "een gok").is_err());

    // The custodian opens each report with the recovery identity, with the age tool.
    for (report, _) in &before {
        let envelope = fetched(&api, &worker, &report.id.to_string())?;
        let plain = age_decrypt(&envelope.sealed, &keys.recovery_identity)?;
        assert_eq!(plain, report.canonical_json().as_bytes(), "the report exactly");
        let opened = meldcode::parse_structure(&plain).ok_or_else(|| anyhow::anyhow!("not a report v1"))?;
        assert!(meldcode::sealed::mismatches(&envelope, &opened, None).is_empty());
    }

    // The roll: a new key, a new list version without the lost one, signed and put in force.
    let new_identity = ceremony.dir.join("VT01-b.key");
    let new_recipient = age_keygen(&new_identity)?;
    let v2 = json!({
        "version": 2,
        "issued_at": "2026-12-08T09:00:00Z",
        "regions": {"VT01": {
            "recipients": [{"id": "vt01-b", "age": new_recipient, "valid_from": "2020-01-01T00:00:00Z"}],
            "recovery": keys.recovery,
        }},
    });
    let (list, sig) = ceremony.sign("regions-2.json", &v2)?;
    let out = set_list(&db, &ceremony.scheme_key, &list, &sig)?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = admin(&db, &["region-keys", "show"], "")?;
    let shown = String::from_utf8_lossy(&shown.stdout).into_owned();
    assert!(shown.contains("vt01-b") && !shown.contains("vt01-a"), "{shown}");
    store_key(&api, &worker, &new_identity, "nieuwe zin van deze week")?;

    // A report finished after the roll is sealed to the new key and the recovery key only.
    let (report, _) = device_seals(&api, &device, &ceremony.scheme_key, "melding")?;
    let envelope = fetched(&api, &worker, &report.id.to_string())?;
    assert_eq!(envelope.key_list_version, 2);
    assert_eq!(masker19_seal::read_header(&envelope.sealed)?.x25519, 2);
    assert_eq!(
        age_decrypt(&envelope.sealed, &new_identity)?,
        report.canonical_json().as_bytes()
    );
    assert_eq!(
        age_decrypt(&envelope.sealed, &keys.recovery_identity)?,
        report.canonical_json().as_bytes()
    );
    let found_again = dir.path().join("lost-key-turns-up.key");
    std::fs::write(&found_again, &lost)?;
    assert!(
        age_decrypt(&envelope.sealed, &found_again).is_err(),
        "the lost key opens nothing new"
    );
    // The worker unlocks the new key with the new passphrase and reads it, as the browser will.
    let identity = unwrap_with_passphrase(&stored_key(&api, &worker)?, "nieuwe zin van deze week")?;
    let (opened, mismatches) = masker19_seal::open_report(&envelope, &String::from_utf8(identity)?, None)?;
    assert_eq!(opened.canonical_json(), report.canonical_json());
    assert!(mismatches.is_empty(), "{mismatches:?}");
    Ok(())
}
