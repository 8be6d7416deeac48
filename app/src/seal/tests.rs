use chrono::Utc;
use masker19_seal::sign::{SchemeKey, new_identity};
use meldcode::Kind;
use meldcode::examples::example;
use meldcode::sealed::{Envelope, SignedList};
use uuid::Uuid;

use super::*;

type R = Result<(), Box<dyn std::error::Error>>;

struct Keys {
    scheme: SchemeKey,
    region: String,
    region_public: String,
}

fn keys() -> Result<Keys, Box<dyn std::error::Error>> {
    let (region, region_public) = new_identity("t");
    Ok(Keys {
        scheme: SchemeKey::generate()?,
        region,
        region_public,
    })
}

fn signed(k: &Keys, version: u64, region: &str) -> Result<SignedList, Box<dyn std::error::Error>> {
    let (_, recovery) = new_identity("t");
    let list = serde_json::json!({
        "version": version, "issued_at": "2026-12-01T00:00:00Z",
        "regions": {region: {"recipients": [{"id": "k", "age": k.region_public, "valid_from": "2020-01-01T00:00:00Z"}], "recovery": recovery}}
    })
    .to_string();
    Ok(SignedList {
        signature: k.scheme.sign(list.as_bytes())?,
        list,
    })
}

fn store() -> Result<(tempfile::TempDir, Store), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open_dir(dir.path(), false)?;
    store.set_setting(keys::PHARMACY_GEMEENTE, "GM0363")?;
    Ok((dir, store))
}

#[test]
fn a_finished_melding_of_a_sealed_region_is_sealed_once_and_sent_as_the_same_envelope() -> R {
    let k = keys()?;
    let (_dir, store) = store()?;
    pin_scheme_key(&store, &k.scheme.public())?;
    store.set_setting(keys::KEY_LIST, &serde_json::to_string(&signed(&k, 1, "VT01")?)?)?;
    let now = Utc::now();
    let report = example(Kind::Melding, Uuid::new_v4(), now);
    store.enqueue(&report, now)?;
    let count = example(Kind::GeenMelding, Uuid::new_v4(), now);
    store.enqueue(&count, now)?;
    assert!(seal_pending(&store, now)?.is_empty());
    let envelope = store.envelope(report.id)?.ok_or("sealed")?;
    assert_eq!(store.envelope(count.id)?, None, "a count is never sealed");
    let parsed: Envelope = serde_json::from_str(&envelope)?;
    assert_eq!(parsed.vt_region, "VT01");
    let (opened, mismatches) = masker19_seal::open_report(&parsed, &k.region, Some("GM0363"))?;
    assert_eq!(opened, report);
    assert!(mismatches.is_empty());
    seal_pending(&store, now)?;
    let due = store.due_to_send(now)?;
    let sent = due.iter().find(|d| d.id == report.id).ok_or("due")?;
    assert_eq!(sent.json, envelope, "the envelope, byte for byte, on every attempt");
    assert!(!sent.unsealed);
    let person = report.person.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    assert!(!sent.json.contains(&person));
    Ok(())
}

#[test]
fn without_a_valid_list_a_pinned_device_keeps_meldingen_waiting() -> R {
    let k = keys()?;
    let (_dir, store) = store()?;
    pin_scheme_key(&store, &k.scheme.public())?;
    let now = Utc::now();
    let report = example(Kind::Melding, Uuid::new_v4(), now);
    store.enqueue(&report, now)?;
    assert_eq!(
        seal_pending(&store, now)?,
        vec![report.id],
        "no list fetched yet: it waits"
    );
    // A list signed by another key is not believed.
    let other = keys()?;
    store.set_setting(keys::KEY_LIST, &serde_json::to_string(&signed(&other, 1, "VT01")?)?)?;
    assert_eq!(sealing(&store)?, Sealing::Unavailable);
    assert_eq!(seal_pending(&store, now)?, vec![report.id]);
    assert_eq!(store.envelope(report.id)?, None);
    Ok(())
}

#[test]
fn a_region_absent_from_the_list_or_a_server_without_one_gets_report_v1() -> R {
    let k = keys()?;
    let now = Utc::now();
    let report = example(Kind::Melding, Uuid::new_v4(), now);
    let list = signed(&k, 1, "VT20")?;
    let verified = masker19_seal::verify_list(list.list.as_bytes(), &list.signature, &k.scheme.public())?;
    let region = region_of(&report, Some("GM0363"), None);
    assert_eq!(region.as_deref(), Some("VT01"));
    assert_eq!(
        decide(&Sealing::Verified(verified), &report, region.as_deref()),
        Decision::Plain
    );
    assert_eq!(decide(&Sealing::NoneYet, &report, region.as_deref()), Decision::Plain);
    assert_eq!(decide(&Sealing::NotPinned, &report, region.as_deref()), Decision::Plain);
    assert_eq!(
        decide(&Sealing::Unavailable, &report, region.as_deref()),
        Decision::Wait
    );
    let mut practice = report.clone();
    practice.practice = true;
    assert_eq!(
        decide(&Sealing::Unavailable, &practice, region.as_deref()),
        Decision::Plain
    );
    Ok(())
}

#[test]
fn a_fetched_list_is_refused_when_forged_or_older_than_the_one_held() -> R {
    let k = keys()?;
    let scheme = k.scheme.public();
    let v2 = signed(&k, 2, "VT01")?;
    assert_eq!(accept_list(None, &v2, &scheme), Ok(()));
    assert_eq!(accept_list(Some(&v2), &v2, &scheme), Ok(()), "the same list again");
    let v1 = signed(&k, 1, "VT01")?;
    assert!(accept_list(Some(&v2), &v1, &scheme).is_err(), "a downgrade");
    let other_v2 = signed(&k, 2, "VT01")?;
    assert!(
        accept_list(Some(&v2), &other_v2, &scheme).is_err(),
        "another list under the same version"
    );
    let mut forged = signed(&k, 3, "VT01")?;
    forged.list = forged.list.replace("VT01", "VT02");
    assert!(accept_list(Some(&v2), &forged, &scheme).is_err(), "a bad signature");
    assert_eq!(accept_list(Some(&v2), &signed(&k, 3, "VT01")?, &scheme), Ok(()));
    Ok(())
}

#[test]
fn a_scheme_key_that_is_no_minisign_key_is_not_pinned() -> R {
    let (_dir, store) = store()?;
    assert!(pin_scheme_key(&store, "RWnotakey").is_err());
    assert_eq!(store.setting(keys::SCHEME_KEY)?, None);
    Ok(())
}
