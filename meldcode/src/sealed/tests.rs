use chrono::{Duration, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::examples::example;

const R1: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const R2: &str = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg";
const R3: &str = "age1yhm4gctwfmrpz87tdslm550wrx6m79y9f2hdzt0lndjnehwj0ukqrjpyx5";

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).single().unwrap_or_default()
}

fn melding() -> crate::Report {
    example(Kind::Melding, Uuid::new_v4(), now())
}

fn envelope() -> Envelope {
    let sealed = format!("{ARMOR_BEGIN}\nYWdl\n-----END AGE ENCRYPTED FILE-----\n");
    Envelope::for_report(&melding(), "VT14", 3, sealed)
}

fn rules(body: &[u8]) -> Vec<(String, &'static str)> {
    match parse_envelope(body, now()) {
        Ok(_) => Vec::new(),
        Err(Rejection::Invalid(errors)) => errors.iter().map(|e| (e.path.clone(), e.rule.code())).collect(),
        Err(Rejection::Malformed(m)) => vec![(m, "malformed")],
    }
}

#[test]
fn an_envelope_round_trips_and_carries_counts_not_content() {
    let report = melding();
    let e = Envelope::for_report(&report, "VT14", 3, envelope().sealed);
    let json = e.canonical_json();
    assert_eq!(parse_envelope(json.as_bytes(), now()), Ok(e.clone()));
    assert_eq!(declared_schema_version(json.as_bytes()), Some(2));
    assert_eq!(declared_schema_version(report.canonical_json().as_bytes()), Some(1));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let mut keys: Vec<_> = value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(
        keys,
        [
            "accompanied",
            "acute_112_at",
            "channel",
            "children",
            "created_at",
            "id",
            "key_list_version",
            "kind",
            "practice",
            "schema_version",
            "sealed",
            "vt_region"
        ]
    );
    assert_eq!(e.children, children_of(&report));
    assert!(!json.contains("GM0363"), "the gemeente is inside only");
}

#[test]
fn an_envelope_breaking_rules_lists_each() {
    let mut e = envelope();
    e.schema_version = 1;
    e.kind = Kind::GeenMelding;
    e.vt_region = "VT99".into();
    e.children = 21;
    e.key_list_version = 0;
    e.created_at = now() - Duration::days(31);
    let found = rules(e.canonical_json().as_bytes());
    for want in [
        ("/schema_version", "schema_version"),
        ("/kind", "not_allowed_for_kind"),
        ("/vt_region", "invalid_value"),
        ("/children", "range"),
        ("/key_list_version", "range"),
        ("/created_at", "out_of_window"),
    ] {
        assert!(found.contains(&(want.0.into(), want.1)), "{want:?} in {found:?}");
    }
}

#[test]
fn an_oversized_or_unarmored_sealed_is_refused() {
    let mut e = envelope();
    e.sealed = format!("{ARMOR_BEGIN}\n{}", "A".repeat(MAX_SEALED_BYTES));
    assert_eq!(rules(e.canonical_json().as_bytes()), [("/sealed".into(), "max_length")]);
    e.sealed = "{\"person\": \"in clear\"}".into();
    assert_eq!(
        rules(e.canonical_json().as_bytes()),
        [("/sealed".into(), "invalid_value")]
    );
}

#[test]
fn unknown_fields_in_an_envelope_are_refused() {
    let mut value = serde_json::to_value(envelope()).unwrap_or_default();
    value["person"] = serde_json::json!({"name": "in clear"});
    let body = serde_json::to_vec(&value).unwrap_or_default();
    assert_eq!(rules(&body), [("/person".into(), "unknown_field")]);
}

fn list() -> KeyList {
    let json = serde_json::json!({
        "version": 7,
        "issued_at": "2026-12-01T10:00:00Z",
        "regions": {"VT14": {
            "recipients": [
                {"id": "vt14-2026a", "age": R1, "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2026-12-01T00:00:00Z"},
                {"id": "vt14-2026b", "age": R2, "valid_from": "2026-11-15T00:00:00Z", "valid_until": "2027-12-01T00:00:00Z"}
            ],
            "recovery": R3
        }}
    });
    match KeyList::parse(json.to_string().as_bytes()) {
        Ok(list) => list,
        Err(e) => panic!("the example list is valid: {e}"),
    }
}

#[test]
fn recipients_are_those_valid_at_created_at_plus_recovery() {
    let list = list();
    let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap_or_default();
    assert_eq!(list.recipients_for("VT14", at(2026, 6, 1)), Ok(vec![R1, R3]));
    assert_eq!(
        list.recipients_for("VT14", at(2026, 11, 20)),
        Ok(vec![R1, R2, R3]),
        "overlap in a rotation"
    );
    assert_eq!(
        list.recipients_for("VT14", at(2026, 12, 5)),
        Ok(vec![R2, R3]),
        "the old key retired"
    );
    assert_eq!(
        list.recipients_for("VT14", at(2028, 1, 1)),
        Err(keys::NoRecipients::NoneValid("VT14".into()))
    );
    assert_eq!(
        list.recipients_for("VT01", at(2026, 6, 1)),
        Err(keys::NoRecipients::RegionNotListed("VT01".into()))
    );
    assert!(list.seals("VT14") && !list.seals("VT01"));
}

#[test]
fn a_list_breaking_a_rule_is_refused_with_the_reason() {
    let base = serde_json::to_value(list()).unwrap_or_default();
    let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = base.clone();
        edit(&mut v);
        KeyList::parse(v.to_string().as_bytes()).err()
    };
    assert_eq!(
        refused(&|v| v["regions"]["VT99"] = v["regions"]["VT14"].clone()),
        Some(ListProblem::UnknownRegion("VT99".into()))
    );
    assert_eq!(
        refused(&|v| {
            v["regions"]["VT14"].as_object_mut().map(|o| o.remove("recovery"));
        }),
        Some(ListProblem::NoRecovery("VT14".into()))
    );
    assert_eq!(
        refused(&|v| v["regions"]["VT14"]["recipients"][0]["age"] = "age1notakey".into()),
        Some(ListProblem::MalformedRecipient {
            region: "VT14".into(),
            id: "vt14-2026a".into()
        })
    );
    assert_eq!(refused(&|v| v["version"] = 0.into()), Some(ListProblem::Version));
    assert!(matches!(
        refused(&|v| v["regions"] = "VT14".into()),
        Some(ListProblem::Malformed(_))
    ));
    assert_eq!(
        list().may_replace(Some(7)),
        Err(ListProblem::NotNewer { got: 7, held: 7 })
    );
    assert_eq!(
        list().may_replace(Some(8)),
        Err(ListProblem::NotNewer { got: 7, held: 8 })
    );
    assert_eq!(list().may_replace(Some(6)), Ok(()));
    assert_eq!(list().may_replace(None), Ok(()));
}

#[test]
fn the_opener_finds_every_field_where_envelope_and_content_disagree() {
    let report = melding();
    let e = Envelope::for_report(&report, "VT01", 3, envelope().sealed);
    assert_eq!(
        mismatches(&e, &report, None),
        Vec::new(),
        "the envelope the app made agrees"
    );
    let mut lying = e.clone();
    lying.kind = Kind::Adviesvraag;
    lying.accompanied = !report.accompanied;
    lying.children = children_of(&report) + 1;
    lying.vt_region = "VT14".into();
    lying.created_at = report.created_at - Duration::hours(1);
    let fields: Vec<_> = mismatches(&lying, &report, None).iter().map(|m| m.field).collect();
    assert_eq!(fields, ["kind", "created_at", "accompanied", "children", "vt_region"]);
    assert!(mismatches(&lying, &report, None)[0].dutch().contains("envelop"));
    let mut other = report.clone();
    other.id = Uuid::new_v4();
    other.acute_112_at = Some(now());
    let fields: Vec<_> = mismatches(&e, &other, None).iter().map(|m| m.field).collect();
    assert_eq!(fields, ["id", "acute_112_at"]);
}
