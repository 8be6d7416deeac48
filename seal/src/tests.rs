use std::str::FromStr;

use chrono::Utc;
use meldcode::Kind;
use meldcode::examples::example;
use meldcode::sealed::KeyList;
use uuid::Uuid;

use super::*;

fn identity() -> (String, String) {
    let id = age::x25519::Identity::generate();
    let secret = age::secrecy::ExposeSecret::expose_secret(&id.to_string()).to_owned();
    (secret, id.to_public().to_string())
}

fn list_for(region: &str, recipient: &str, recovery: &str) -> KeyList {
    let json = serde_json::json!({
        "version": 2, "issued_at": "2026-12-01T00:00:00Z",
        "regions": {region: {"recipients": [{"id": "k1", "age": recipient, "valid_from": "2020-01-01T00:00:00Z"}], "recovery": recovery}}
    });
    KeyList::parse(json.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_sealed_report_opens_with_the_region_key_and_with_the_recovery_key_only() {
    let (region_secret, region_public) = identity();
    let (recovery_secret, recovery_public) = identity();
    let (other_secret, _) = identity();
    let report = example(Kind::Melding, Uuid::new_v4(), Utc::now());
    let envelope = seal_report(&report, "VT01", &list_for("VT01", &region_public, &recovery_public))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        read_header(&envelope.sealed).map(|h| h.x25519),
        Ok(2),
        "age adds a grease stanza of another type"
    );
    assert!(sealed_problems(&envelope).is_empty());
    assert!(
        !envelope
            .sealed
            .contains(&report.person.as_ref().map(|p| p.name.clone()).unwrap_or_default())
    );
    for secret in [&region_secret, &recovery_secret] {
        let (opened, mismatches) = open_report(&envelope, secret, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(opened, report);
        assert!(mismatches.is_empty(), "{mismatches:?}");
        assert_eq!(
            open_bytes(&envelope.sealed, secret).ok(),
            Some(report.canonical_json().into_bytes())
        );
    }
    assert!(matches!(
        open_bytes(&envelope.sealed, &other_secret),
        Err(OpenError::Age(_))
    ));
    assert!(matches!(
        open_bytes(&envelope.sealed, "no key"),
        Err(OpenError::Identity)
    ));
}

#[test]
fn an_envelope_that_lies_about_its_content_is_caught_on_opening() {
    let (secret, public) = identity();
    let (_, recovery) = identity();
    let report = example(Kind::Melding, Uuid::new_v4(), Utc::now());
    let mut envelope =
        seal_report(&report, "VT01", &list_for("VT01", &public, &recovery)).unwrap_or_else(|e| panic!("{e}"));
    envelope.accompanied = !report.accompanied;
    envelope.acute_112_at = None;
    let (_, mismatches) = open_report(&envelope, &secret, None).unwrap_or_else(|e| panic!("{e}"));
    let fields: Vec<_> = mismatches.iter().map(|m| m.field).collect();
    assert!(fields.contains(&"accompanied"), "{fields:?}");
}

#[test]
fn a_file_sealed_to_one_recipient_or_not_age_at_all_is_refused() {
    let (_, public) = identity();
    let report = example(Kind::Melding, Uuid::new_v4(), Utc::now());
    let one = seal_bytes(b"{}", &[&public]).unwrap_or_else(|e| panic!("{e}"));
    let mut envelope = Envelope::for_report(&report, "VT01", 1, one);
    assert_eq!(read_header(&envelope.sealed).map(|h| h.x25519), Ok(1));
    let rules: Vec<_> = sealed_problems(&envelope).iter().map(|e| e.rule.code()).collect();
    assert_eq!(rules, ["too_few_recipients"]);
    envelope.sealed = format!(
        "{}\nbm90IGFnZQ==\n-----END AGE ENCRYPTED FILE-----\n",
        meldcode::sealed::ARMOR_BEGIN
    );
    let rules: Vec<_> = sealed_problems(&envelope).iter().map(|e| e.rule.code()).collect();
    assert_eq!(rules, ["invalid_value"]);
}

#[test]
fn sealing_to_a_malformed_recipient_fails() {
    assert!(matches!(seal_bytes(b"x", &["age1nope"]), Err(SealError::Recipient(_))));
    assert!(age::x25519::Recipient::from_str("age1nope").is_err());
}

/// The ceremony with the real tools: `minisign -G` once, `minisign -S` per list version.
#[test]
fn a_list_signed_with_minisign_verifies_and_a_tampered_or_foreign_one_does_not() {
    let dir = std::env::temp_dir().join(format!("seal-list-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let run = |args: &[&str]| {
        let out = std::process::Command::new("minisign")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| panic!("minisign (Debian package minisign) must be installed: {e}"));
        assert!(
            out.status.success(),
            "minisign {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["-G", "-W", "-p", "scheme.pub", "-s", "scheme.key"]);
    run(&["-G", "-W", "-p", "other.pub", "-s", "other.key"]);
    let (_, region) = identity();
    let (_, recovery) = identity();
    let list = serde_json::to_vec(&list_for("VT20", &region, &recovery)).unwrap_or_default();
    std::fs::write(dir.join("regions.json"), &list).unwrap_or_else(|e| panic!("{e}"));
    run(&["-S", "-s", "scheme.key", "-m", "regions.json"]);
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{e}"));
    let sig = read("regions.json.minisig");
    let scheme = read("scheme.pub");
    let key_line = scheme.lines().nth(1).unwrap_or_default().to_owned();
    assert!(key_line.starts_with("RW"));
    let verified = verify_list(&list, &sig, &key_line).unwrap_or_else(|e| panic!("{e}"));
    assert!(verified.seals("VT20"));
    assert!(
        verify_list(&list, &sig, &scheme).is_ok(),
        "the whole .pub file works too"
    );
    let mut tampered = list.clone();
    if let Some(b) = tampered.iter_mut().find(|b| **b == b'2') {
        *b = b'3';
    }
    assert!(matches!(
        verify_list(&tampered, &sig, &key_line),
        Err(ListError::BadSignature(_))
    ));
    let other = read("other.pub");
    assert!(matches!(
        verify_list(&list, &sig, &other),
        Err(ListError::BadSignature(_))
    ));
    assert!(matches!(
        verify_list(&list, "junk", &key_line),
        Err(ListError::SignatureFile(_))
    ));
    assert!(matches!(
        verify_list(&list, &sig, "RWnot"),
        Err(ListError::SchemeKey(_))
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "sign")]
#[test]
fn a_list_signed_by_a_made_scheme_key_verifies() {
    let scheme = sign::SchemeKey::generate().unwrap_or_else(|e| panic!("{e}"));
    let (file, public) = sign::new_identity("2026-12-07T00:00:00Z");
    assert!(sign::identity_matches(&file, &public));
    let (_, recovery) = sign::new_identity("2026-12-07T00:00:00Z");
    let list = serde_json::to_vec(&list_for("VT01", &public, &recovery)).unwrap_or_default();
    let sig = scheme.sign(&list).unwrap_or_else(|e| panic!("{e}"));
    assert!(verify_list(&list, &sig, &scheme.public()).is_ok());
    let public_file = scheme.public_file().unwrap_or_default();
    assert!(verify_list(&list, &sig, &public_file).is_ok());
    let wrapped = sign::wrap_with_passphrase(file.as_bytes(), "geheim", 10).unwrap_or_default();
    assert!(wrapped.starts_with(meldcode::sealed::ARMOR_BEGIN));
}
