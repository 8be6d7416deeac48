//! Sealed reports on the server, black box: the region key list (`region-keys set` and its
//! refusals, `GET /api/v1/region-keys`), the envelope's rules, `seal_required`, identical
//! resubmission, the intake API, transfer with `reseal_required`, the webhook and the purge.
//! The keys are made and the reports sealed with the standard tools (age, minisign).

use std::path::Path;
use std::time::Duration;

use masker19_e2e::ceremony::{Ceremony, age_decrypt, age_encrypt, set_list};
use masker19_e2e::receiver::{Behaviour, Receiver};
use masker19_e2e::{Api, DEMO_PASSWORD, admin, admin_with, demo_server, open_store, set_webhook, with_fresh_id};
use serde_json::{Value, json};

type R = anyhow::Result<()>;
const WAIT: Duration = Duration::from_secs(20);

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A report v1 melding of the Demo-apotheek's region (VT01, Amsterdam), sealed with `age` to
/// `recipients`, as an envelope of `key_list_version` 1.
fn envelope(api: &Api, recipients: &[&str]) -> anyhow::Result<(Value, Value)> {
    let report = with_fresh_id(&api.example("melding")?);
    let canonical: meldcode::Report = serde_json::from_value(report.clone())?;
    let sealed = age_encrypt(canonical.canonical_json().as_bytes(), recipients)?;
    let envelope = meldcode::sealed::Envelope::for_report(&canonical, "VT01", 1, sealed);
    Ok((report, serde_json::to_value(envelope)?))
}

fn rules(body: &Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_owned(),
                f["rule"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn in_force(db: &Path, ceremony: &Ceremony, version: u64) -> R {
    let (list, sig) = ceremony.sign(&format!("regions-{version}.json"), &ceremony.list(version))?;
    let out = set_list(db, &ceremony.scheme_key, &list, &sig)?;
    anyhow::ensure!(out.status.success(), "region-keys set: {}", stderr(&out));
    Ok(())
}

#[test]
fn region_keys_set_refuses_a_bad_signature_a_downgrade_and_a_broken_list() -> R {
    let (dir, db) = masker19_e2e::temp_db()?;
    let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01", "VT03"])?;
    let refused = |name: &str, list: &Value, expect: &str| -> R {
        let (path, sig) = ceremony.sign(name, list)?;
        let out = set_list(&db, &ceremony.scheme_key, &path, &sig)?;
        assert!(!out.status.success(), "{name} was accepted");
        assert!(stderr(&out).contains(expect), "{name}: {}", stderr(&out));
        Ok(())
    };
    // The attacker edits a signed list (a key of their own for VT01) and keeps the signature.
    let (path, sig) = ceremony.sign("good.json", &ceremony.list(2))?;
    let mut forged = ceremony.list(2);
    forged["regions"]["VT01"]["recipients"][0]["age"] = ceremony.region("VT03")?.recipient.clone().into();
    std::fs::write(&path, serde_json::to_vec_pretty(&forged)?)?;
    let out = set_list(&db, &ceremony.scheme_key, &path, &sig)?;
    assert!(
        !out.status.success() && stderr(&out).contains("signature"),
        "{}",
        stderr(&out)
    );
    // A list signed by another key than the scheme's.
    let other = Ceremony::new(&dir.path().join("other"), &["VT01"])?;
    let (path, sig) = other.sign("foreign.json", &ceremony.list(2))?;
    let out = set_list(&db, &ceremony.scheme_key, &path, &sig)?;
    assert!(
        !out.status.success() && stderr(&out).contains("signature"),
        "{}",
        stderr(&out)
    );
    // Without the scheme key set, nothing is taken.
    let (path, sig) = ceremony.sign("nokey.json", &ceremony.list(2))?;
    let (list_arg, sig_arg) = (path.to_string_lossy(), sig.to_string_lossy());
    let out = admin(&db, &["region-keys", "set", "--list", &list_arg, "--sig", &sig_arg], "")?;
    assert!(
        !out.status.success() && stderr(&out).contains("MASKER19_SCHEME_KEY"),
        "{}",
        stderr(&out)
    );

    let mut unknown = ceremony.list(2);
    unknown["regions"]["VT99"] = unknown["regions"]["VT01"].clone();
    refused("unknown.json", &unknown, "VT99")?;
    let mut malformed = ceremony.list(2);
    malformed["regions"]["VT03"]["recipients"][0]["age"] = "age1thisisnotakey".into();
    refused("malformed.json", &malformed, "not an age X25519 recipient")?;
    let mut bech = ceremony.list(2);
    // The right shape, a wrong checksum: only a real parse finds it.
    let good = ceremony.region("VT03")?.recipient.clone();
    let flipped = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('q') { 'p' } else { 'q' }
    );
    bech["regions"]["VT03"]["recovery"] = flipped.into();
    refused("checksum.json", &bech, "not an age X25519 recipient")?;
    let mut no_recovery = ceremony.list(2);
    no_recovery["regions"]["VT03"]
        .as_object_mut()
        .map(|o| o.remove("recovery"));
    refused("norecovery.json", &no_recovery, "recovery")?;

    in_force(&db, &ceremony, 2)?;
    // A replay of the same version, and a downgrade to an older one, are refused.
    refused("again.json", &ceremony.list(2), "not above")?;
    refused("older.json", &ceremony.list(1), "not above")?;
    let shown = admin(&db, &["region-keys", "show"], "")?;
    let shown = String::from_utf8(shown.stdout)?;
    assert!(shown.contains("version=2"), "{shown}");
    assert!(
        shown.contains("VT01\tvt01-a") && shown.contains("VT03\tvt03-a"),
        "{shown}"
    );
    assert!(!shown.contains("VT99"), "{shown}");
    Ok(())
}

#[test]
fn devices_get_the_signed_list_with_an_etag() -> R {
    let (dir, server, token) = demo_server(&[])?;
    let api = server.client();
    assert_eq!(api.get("/api/v1/region-keys", None)?.status, 401);
    assert_eq!(api.get("/api/v1/region-keys", Some(&token))?.status, 404, "no list yet");
    let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01"])?;
    in_force(&server.db, &ceremony, 1)?;
    let http = reqwest::blocking::Client::new();
    let url = format!("{}/api/v1/region-keys", server.url);
    let resp = http.get(&url).bearer_auth(&token).send()?;
    assert_eq!(resp.status(), 200);
    let etag = resp
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(!etag.is_empty());
    let body: Value = resp.json()?;
    assert_eq!(
        body["list"],
        std::fs::read_to_string(ceremony.dir.join("regions-1.json"))?
    );
    assert_eq!(
        body["signature"],
        std::fs::read_to_string(ceremony.dir.join("regions-1.json.minisig"))?
    );
    let again = http
        .get(&url)
        .bearer_auth(&token)
        .header("if-none-match", &etag)
        .send()?;
    assert_eq!(again.status(), 304);
    Ok(())
}

#[test]
fn a_sealed_region_refuses_report_v1_and_takes_a_valid_envelope_once() -> R {
    let (dir, server, token) = demo_server(&[])?;
    let api = server.client();
    let plain = with_fresh_id(&api.example("melding")?);
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&token), &plain)?.status,
        201,
        "no list: v1"
    );
    let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01"])?;
    in_force(&server.db, &ceremony, 1)?;
    let keys = ceremony.region("VT01")?;

    let r = api.post_json("/api/v1/reports", Some(&token), &with_fresh_id(&plain))?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        rules(&r.body),
        [("/schema_version".to_owned(), "seal_required".to_owned())]
    );
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&token), &plain)?.status,
        200,
        "a report v1 accepted before the list is still recognised"
    );
    let count = with_fresh_id(&api.example("geen_melding")?);
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&token), &count)?.status,
        201,
        "a count is never sealed"
    );
    let mut utrecht = with_fresh_id(&plain);
    utrecht["gemeente"] = "GM0344".into();
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&token), &utrecht)?.status,
        201,
        "a region not in the list"
    );

    let (_, sealed) = envelope(&api, &[&keys.recipient, &keys.recovery])?;
    assert_eq!(api.post_json("/api/v1/reports", Some(&token), &sealed)?.status, 201);
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&token), &sealed)?.status,
        200,
        "the same bytes"
    );
    let mut resealed = sealed.clone();
    resealed["sealed"] = age_encrypt(b"other", &[&keys.recipient, &keys.recovery])?.into();
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&token), &resealed)?.status,
        409,
        "other sealed bytes"
    );

    let (_, one) = envelope(&api, &[&keys.recipient])?;
    let r = api.post_json("/api/v1/reports", Some(&token), &one)?;
    assert_eq!(
        rules(&r.body),
        [("/sealed".to_owned(), "too_few_recipients".to_owned())]
    );
    let (_, mut clear) = envelope(&api, &[&keys.recipient, &keys.recovery])?;
    clear["sealed"] = plain.to_string().into();
    let r = api.post_json("/api/v1/reports", Some(&token), &clear)?;
    assert_eq!(rules(&r.body), [("/sealed".to_owned(), "invalid_value".to_owned())]);
    let (_, mut bad_armor) = envelope(&api, &[&keys.recipient, &keys.recovery])?;
    bad_armor["sealed"] = format!(
        "{}\nbm90IGFnZQ==\n-----END AGE ENCRYPTED FILE-----\n",
        meldcode::sealed::ARMOR_BEGIN
    )
    .into();
    let r = api.post_json("/api/v1/reports", Some(&token), &bad_armor)?;
    assert_eq!(rules(&r.body), [("/sealed".to_owned(), "invalid_value".to_owned())]);
    let (_, mut big) = envelope(&api, &[&keys.recipient, &keys.recovery])?;
    let padding = "A".repeat(meldcode::sealed::MAX_SEALED_BYTES);
    big["sealed"] = format!("{}{padding}", big["sealed"].as_str().unwrap_or("")).into();
    let r = api.post_json("/api/v1/reports", Some(&token), &big)?;
    assert!(
        r.status == 413 || rules(&r.body).contains(&("/sealed".to_owned(), "max_length".to_owned())),
        "{} {}",
        r.status,
        r.body
    );
    let (_, mut extra) = envelope(&api, &[&keys.recipient, &keys.recovery])?;
    extra["person"] = json!({"name": "in clear"});
    let r = api.post_json("/api/v1/reports", Some(&token), &extra)?;
    assert_eq!(rules(&r.body), [("/person".to_owned(), "unknown_field".to_owned())]);
    Ok(())
}

#[test]
fn a_sealed_report_goes_out_as_its_envelope_and_is_handed_over_only_resealed() -> R {
    let vt01 = Receiver::start(Behaviour::Accept)?;
    let vt03 = Receiver::start(Behaviour::Accept)?;
    let (dir, server, token) = demo_server(&[])?;
    set_webhook(&server.db, "VT01", &vt01.url())?;
    set_webhook(&server.db, "VT03", &vt03.url())?;
    let api = server.client();
    let plain = with_fresh_id(&api.example("melding")?);
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&token), &plain)?.status,
        201,
        "before the list"
    );
    let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01", "VT03"])?;
    in_force(&server.db, &ceremony, 1)?;
    let (keys, next) = (ceremony.region("VT01")?, ceremony.region("VT03")?);
    let (report, sealed) = envelope(&api, &[&keys.recipient, &keys.recovery])?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(api.post_json("/api/v1/reports", Some(&token), &sealed)?.status, 201);

    vt01.wait_until(WAIT, "the delivery", |a| {
        a.iter().any(|a| a.body["data"]["id"] == id.as_str())
    })?;
    let data = vt01
        .delivered()
        .into_iter()
        .find(|a| a.body["data"]["id"] == id.as_str())
        .map(|a| a.body["data"].clone());
    let data = data.unwrap_or_default();
    let mut expected = sealed.clone();
    expected["status"] = "received".into();
    assert_eq!(data, expected, "data is the envelope with sealed, vt_region and status");
    let canonical: meldcode::Report = serde_json::from_value(report.clone())?;
    let sealed_text = data["sealed"].as_str().unwrap_or_default();
    assert_eq!(
        age_decrypt(sealed_text, &keys.identity)?,
        canonical.canonical_json().into_bytes()
    );
    assert_eq!(
        age_decrypt(sealed_text, &keys.recovery_identity)?,
        canonical.canonical_json().into_bytes()
    );

    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?;
    assert_eq!(
        shown.body["envelope"], sealed,
        "the intake API returns the envelope with sealed"
    );
    assert_eq!(shown.body["report"], Value::Null);

    let path = format!("/api/v1/intake/reports/{id}/transfer");
    let r = api.post_json(
        &path,
        Some(&intake),
        &json!({"vt_region": "VT03", "reason": "Woont in Hilversum"}),
    )?;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(rules(&r.body), [("/sealed".to_owned(), "reseal_required".to_owned())]);
    let one = age_encrypt(canonical.canonical_json().as_bytes(), &[&next.recipient])?;
    let r = api.post_json(
        &path,
        Some(&intake),
        &json!({"vt_region": "VT03", "reason": "Woont in Hilversum", "sealed": one}),
    )?;
    assert_eq!(
        rules(&r.body),
        [("/sealed".to_owned(), "too_few_recipients".to_owned())]
    );
    let resealed = age_encrypt(
        canonical.canonical_json().as_bytes(),
        &[&next.recipient, &next.recovery],
    )?;
    let r = api.post_json(
        &path,
        Some(&intake),
        &json!({"vt_region": "VT03", "reason": "Woont in Hilversum", "sealed": resealed}),
    )?;
    assert_eq!(r.status, 200, "{}", r.body);
    vt03.wait_until(WAIT, "the hand-over", |a| {
        a.iter().any(|a| a.body["data"]["id"] == id.as_str())
    })?;
    let data = vt03
        .delivered()
        .into_iter()
        .find(|a| a.body["data"]["id"] == id.as_str())
        .map(|a| a.body["data"].clone());
    let sealed_text = data.unwrap_or_default()["sealed"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(sealed_text, resealed);
    assert_eq!(
        age_decrypt(&sealed_text, &next.identity)?,
        canonical.canonical_json().into_bytes()
    );
    assert!(
        age_decrypt(&sealed_text, &keys.identity).is_err(),
        "the old region no longer opens it"
    );

    // A report v1 is handed over without `sealed`: one in its place is refused.
    let path = format!(
        "/api/v1/intake/reports/{}/transfer",
        plain["id"].as_str().unwrap_or_default()
    );
    let r = api.post_json(
        &path,
        Some(&intake),
        &json!({"vt_region": "VT03", "reason": "Woont in Hilversum", "sealed": resealed}),
    )?;
    assert_eq!(rules(&r.body), [("/sealed".to_owned(), "invalid_value".to_owned())]);
    Ok(())
}

#[test]
fn the_purge_drops_sealed_and_keeps_the_count() -> R {
    let (dir, db) = masker19_e2e::temp_db()?;
    let server = masker19_e2e::TestServer::start(&db, true)?;
    let token = server.client().enroll(&server.info["enrollment_code"])?;
    let api = server.client();
    let ceremony = Ceremony::new(&dir.path().join("keys"), &["VT01"])?;
    in_force(&db, &ceremony, 1)?;
    let keys = ceremony.region("VT01")?;
    let (_, sealed) = envelope(&api, &[&keys.recipient, &keys.recovery])?;
    assert_eq!(api.post_json("/api/v1/reports", Some(&token), &sealed)?.status, 201);
    let id = sealed["id"].as_str().unwrap_or_default().to_owned();
    let stored: Option<String> =
        open_store(&db)?.query_row("SELECT body FROM report WHERE id = ?1", [&id], |r| r.get(0))?;
    assert!(stored.is_some_and(|b| b.contains("BEGIN AGE ENCRYPTED FILE")));
    let out = admin_with(&db, &["purge"], "", &[("MASKER19_RETENTION_MAX_DAYS", "0")])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let stored: Option<String> =
        open_store(&db)?.query_row("SELECT body FROM report WHERE id = ?1", [&id], |r| r.get(0))?;
    assert_eq!(stored, None, "the purge dropped the envelope with sealed");
    let kept: (String, String) =
        open_store(&db)?.query_row("SELECT kind, vt_region FROM report WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    assert_eq!(kept, ("melding".to_owned(), "VT01".to_owned()), "the count stays");
    Ok(())
}
