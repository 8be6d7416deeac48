use chrono::Utc;
use masker19_seal::sign::{new_identity, wrap_with_passphrase};
use meldcode::Kind;
use meldcode::examples::example;

use super::*;

fn sealed_melding(recipient: &str) -> (meldcode::Report, Vec<u8>) {
    let report = example(Kind::Melding, uuid::Uuid::new_v4(), Utc::now());
    let sealed = masker19_seal::seal_bytes(report.canonical_json().as_bytes(), &[recipient]).unwrap_or_default();
    let envelope = Envelope::for_report(&report, "VT01", 1, sealed);
    (report, serde_json::to_vec(&envelope).unwrap_or_default())
}

#[test]
fn the_wrapped_key_unlocks_and_opens_the_report_as_intake_reads_it() {
    let (identity, public) = new_identity("2026-12-08T00:00:00Z");
    let wrapped = wrap_with_passphrase(identity.as_bytes(), "zin", 10).unwrap_or_default();
    assert!(unlock(wrapped.as_bytes(), "fout").is_err());
    let unlocked = unlock(wrapped.as_bytes(), "zin").unwrap_or_default();
    let (report, envelope) = sealed_melding(&public);
    let shown = open_json(&unlocked, &envelope, None);
    assert_eq!(shown["ok"], true, "{shown}");
    let expected = meldcode::intake::sections(&report, Lang::Nl);
    let titles: Vec<&str> = expected.iter().map(|s| s.title).collect();
    let got: Vec<&str> = shown["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["title"].as_str())
        .collect();
    assert_eq!(got, titles, "the same sections in the same order");
    assert_eq!(shown["sections"][0]["rows"][0]["label"], expected[0].rows[0].label);
    assert_eq!(shown["mismatches"].as_array().map(Vec::len), Some(0));
}

#[test]
fn another_key_or_a_doctored_envelope_is_said_so() {
    let (identity, _) = new_identity("2026-12-08T00:00:00Z");
    let (_, other) = new_identity("2026-12-08T00:00:00Z");
    let (_, envelope) = sealed_melding(&other);
    assert_eq!(open_json(&identity, &envelope, None)["ok"], false);
    assert_eq!(open_json(&identity, b"{", None)["ok"], false);
    let (identity, public) = new_identity("2026-12-08T00:00:00Z");
    let (_, envelope) = sealed_melding(&public);
    let mut doctored: Value = serde_json::from_slice(&envelope).unwrap_or_default();
    doctored["channel"] = "telefoon".into();
    let shown = open_json(&identity, doctored.to_string().as_bytes(), None);
    assert_eq!(shown["ok"], true);
    assert!(
        shown["mismatches"][0].as_str().is_some_and(|m| m.contains("channel")),
        "{shown}"
    );
}
