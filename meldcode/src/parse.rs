//! From bytes to a [`Report`]: malformed JSON is one error, a JSON object that breaks rules is a
//! list of every broken rule (unknown fields included).

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{FieldError, Rejection, Rule, pointer_token};
use crate::examples::example;
use crate::report::{Kind, Report};
use crate::validate::validate;
use uuid::Uuid;

/// Parse and validate a report body as the server and the app both do.
///
/// Serde stops at the first structural error (a missing field, a wrong type). To list every
/// broken rule anyway, each structural error is recorded and its place patched with the value
/// of a valid example report, and parsing goes on; the rules are then checked on the result.
pub fn parse_report(body: &[u8], now: DateTime<Utc>) -> Result<Report, Rejection> {
    parse_report_checked(body, now)
}

/// A well-formed report without unknown fields, its rules not checked: to recognise a report
/// sent before (its content hash) even when it would no longer pass, e.g. past the `created_at`
/// window after waiting on a device.
pub fn parse_structure(body: &[u8]) -> Option<Report> {
    parse_direct(body)
}

fn parse_report_checked(body: &[u8], now: DateTime<Utc>) -> Result<Report, Rejection> {
    // The common case first: a well-formed report straight from the bytes, no JSON tree.
    if let Some(report) = parse_direct(body) {
        let errors = validate(&report, now);
        return if errors.is_empty() {
            Ok(report)
        } else {
            Err(Rejection::Invalid(errors))
        };
    }
    let mut value = parse_value(body)?;
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .and_then(Kind::from_code)
        .unwrap_or(Kind::Melding);
    // Built only when a structural error needs repairing: a valid report never pays for them.
    let templates = std::cell::OnceCell::new();
    let templates = || {
        templates.get_or_init(|| {
            [kind, Kind::Melding].map(|k| serde_json::to_value(example(k, TEMPLATE_ID, now)).unwrap_or_default())
        })
    };
    // Unknown fields are seen only as far as each pass gets: gather them from every pass.
    let mut unknown = Vec::new();
    let mut errors = Vec::new();
    let pass = |value: &Value, unknown: &mut Vec<FieldError>| {
        let (parsed, seen) = deserialize_collecting::<Report>(value);
        unknown.extend(seen.into_iter().filter(|e| !unknown.contains(e)).collect::<Vec<_>>());
        parsed
    };
    let mut parsed = pass(&value, &mut unknown);
    for _ in 0..MAX_REPAIRS {
        let Err(e) = parsed else { break };
        let repaired = e.path != "/kind" && repair(&mut value, &e.path, templates());
        errors.push(e);
        if !repaired {
            unknown.append(&mut errors);
            return Err(Rejection::Invalid(unknown));
        }
        parsed = pass(&value, &mut unknown);
    }
    unknown.append(&mut errors);
    let mut errors = unknown;
    match parsed {
        Ok(report) => {
            errors.extend(validate(&report, now));
            if errors.is_empty() {
                Ok(report)
            } else {
                Err(Rejection::Invalid(errors))
            }
        }
        Err(e) => {
            errors.push(e);
            Err(Rejection::Invalid(errors))
        }
    }
}

const MAX_REPAIRS: usize = 64;
/// A version-4 id for the templates, so a repaired id breaks no further rule.
const TEMPLATE_ID: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000);

/// Put a valid value where a structural error was found: the templates' value at that place (for
/// an array element, the templates' first element), else remove the place. `false`: no progress.
fn repair(value: &mut Value, path: &str, templates: &[Value]) -> bool {
    let Some((parent_path, token)) = path.rsplit_once('/') else {
        return false;
    };
    let key = token.replace("~1", "/").replace("~0", "~");
    let replacement = templates.iter().find_map(|t| {
        t.pointer(path)
            .or_else(|| {
                key.parse::<usize>()
                    .ok()
                    .and_then(|_| t.pointer(&format!("{parent_path}/0")))
            })
            .cloned()
    });
    match (value.pointer_mut(parent_path), replacement) {
        (Some(Value::Object(map)), Some(v)) => map.insert(key, v.clone()).as_ref() != Some(&v),
        (Some(Value::Object(map)), None) => map.remove(&key).is_some(),
        (Some(Value::Array(items)), replacement) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                match replacement {
                    Some(v) if items[i] != v => items[i] = v,
                    _ => {
                        items.remove(i);
                    }
                }
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Parse any JSON object body into `T`, refusing unknown fields: the same errors as for reports.
pub fn parse_object<T: DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    let (parsed, mut errors) = deserialize_collecting::<T>(&parse_value(body)?);
    match parsed {
        Ok(value) if errors.is_empty() => Ok(value),
        Ok(_) => Err(Rejection::Invalid(errors)),
        Err(e) => {
            errors.push(e);
            Err(Rejection::Invalid(errors))
        }
    }
}

/// A report without structural errors or unknown fields, or `None` (then the slow path lists
/// what is wrong).
fn parse_direct(body: &[u8]) -> Option<Report> {
    let mut unknown = false;
    let mut on_unknown = |_: serde_ignored::Path<'_>| unknown = true;
    let mut de = serde_json::Deserializer::from_slice(body);
    let report: Report =
        serde::Deserialize::deserialize(serde_ignored::Deserializer::new(&mut de, &mut on_unknown)).ok()?;
    de.end().ok()?;
    (!unknown).then_some(report)
}

fn parse_value(body: &[u8]) -> Result<Value, Rejection> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| Rejection::Malformed(format!("the body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(Rejection::Malformed("the body must be a JSON object".into()));
    }
    Ok(value)
}

/// The parsed value (or the first structural error), and every unknown field.
fn deserialize_collecting<T: DeserializeOwned>(value: &Value) -> (Result<T, FieldError>, Vec<FieldError>) {
    let mut unknown = Vec::new();
    let mut on_unknown = |path: serde_ignored::Path<'_>| {
        unknown.push(FieldError::new(
            ignored_pointer(&path),
            Rule::UnknownField,
            "this field is not part of the API",
        ))
    };
    let parsed: Result<T, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(value, &mut on_unknown));
    (parsed.map_err(|e| structure_error(&e)), unknown)
}

fn structure_error(e: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let mut path = String::new();
    for segment in e.path().iter() {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => path.push_str(&format!("/{index}")),
            Segment::Map { key } => path.push_str(&format!("/{}", pointer_token(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    let message = e.inner().to_string();
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        return FieldError::new(
            format!("{path}/{}", pointer_token(field)),
            Rule::Required,
            "this field is required",
        );
    }
    let rule = if message.starts_with("invalid type") {
        Rule::InvalidType
    } else {
        Rule::InvalidValue
    };
    FieldError::new(path, rule, message)
}

fn ignored_pointer(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}/{index}", ignored_pointer(parent)),
        Path::Map { parent, key } => format!("{}/{}", ignored_pointer(parent), pointer_token(key)),
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => {
            ignored_pointer(parent)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(body: &Value) -> Vec<(String, &'static str)> {
        match parse_report(body.to_string().as_bytes(), Utc::now()) {
            Err(Rejection::Invalid(errors)) => errors.into_iter().map(|e| (e.path, e.rule.code())).collect(),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn every_structural_error_is_listed_not_just_the_first() {
        let found = rules(&json!({"kind": "melding", "extra": 1, "accompanied": "ja", "person": {"bsn": "123"}}));
        for want in [
            ("/extra", "unknown_field"),
            ("/id", "required"),
            ("/created_at", "required"),
            ("/accompanied", "invalid_type"),
            ("/person/name", "required"),
            ("/person/bsn", "elfproef"),
        ] {
            assert!(
                found.iter().any(|(p, r)| (p.as_str(), *r) == want),
                "{want:?} missing in {found:?}"
            );
        }
    }

    #[test]
    fn a_broken_kind_stops_after_saying_so() {
        let found = rules(&json!({"kind": "brief"}));
        assert_eq!(found, vec![("/kind".to_owned(), "invalid_value")]);
    }

    #[test]
    fn malformed_bodies_are_400_material() {
        for body in ["", "[1]", "\"x\"", "{", "null"] {
            assert!(
                matches!(parse_report(body.as_bytes(), Utc::now()), Err(Rejection::Malformed(_))),
                "{body}"
            );
        }
    }
}
