//! `GET /api/v1/openapi.json`: OpenAPI 3.1 generated from the Rust types, with a complete, valid
//! example of each kind, made fresh on each request (so `created_at` is inside the window).

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use meldcode::Kind;
use serde_json::{Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use uuid::Uuid;

mod intake_stats;

use super::AppState;
use super::error::PROBLEM_JSON;

#[derive(OpenApi)]
#[openapi(
    info(title = "Masker 19 API", version = "1.0.0", contact(name = "Masker 19"), description = "Reports from pharmacies to the regional Veilig Thuis."),
    paths(
        super::reports::submit,
        super::reports::status,
        super::region_keys::list,
        super::intake_key::api_get,
        super::intake_key::api_put,
        super::access::enroll,
        super::access::session,
        intake_stats::list,
        intake_stats::show,
        intake_stats::acknowledge,
        intake_stats::transfer,
        intake_stats::close,
        intake_stats::stats
    ),
    components(schemas(meldcode::sealed::Envelope)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn spec() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_else(|_| json!({}));
    let now = Utc::now();
    let examples: serde_json::Map<String, Value> = Kind::ALL
        .into_iter()
        .map(|kind| {
            let report = meldcode::examples::example(kind, Uuid::new_v4(), now);
            let value = serde_json::to_value(report).unwrap_or(Value::Null);
            (
                kind.code().to_owned(),
                json!({ "summary": format!("A complete {}", kind.code()), "value": value }),
            )
        })
        .collect();
    if let Some(media) = doc.pointer_mut("/paths/~1api~1v1~1reports/post/requestBody/content/application~1json") {
        media["examples"] = Value::Object(examples);
    }
    let xlsx = "/paths/~1api~1v1~1stats/get/responses/200/content/application~1vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if let Some(media) = doc.pointer_mut(xlsx) {
        media["schema"] = json!({"type": "string", "format": "binary"});
    }
    // A practice report (oefenmodus): any kind, validated the same, with `"practice": true`.
    let mut practice = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), now);
    practice.practice = true;
    errors_as_problems(&mut doc);
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        components.insert(
            "examples".into(),
            json!({ "practice_melding": {
                "summary": "A practice melding (oefenmodus): answered 201 recorded with \"practice\": true, counted as training uptake only",
                "value": serde_json::to_value(practice).unwrap_or(Value::Null),
            }}),
        );
    }
    doc
}

/// The document, with the operator's contact.
pub async fn document(State(s): State<AppState>) -> Json<Value> {
    let mut doc = spec();
    doc["info"]["contact"] = s.front_door.api_contact();
    Json(doc)
}

/// Errors are sent as `application/problem+json` (RFC 9457): say so for every 4xx and 5xx.
fn errors_as_problems(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let operations = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|p| p.values_mut());
    for responses in operations.filter_map(|op| op.get_mut("responses").and_then(Value::as_object_mut)) {
        for (code, response) in responses.iter_mut() {
            if !(code.starts_with('4') || code.starts_with('5')) {
                continue;
            }
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            if let Some(media) = content.remove("application/json") {
                content.insert(PROBLEM_JSON.to_owned(), media);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_openapi_3_1_with_four_examples() {
        let doc = super::spec();
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
        let examples = doc.pointer("/paths/~1api~1v1~1reports/post/requestBody/content/application~1json/examples");
        assert_eq!(examples.and_then(|e| e.as_object()).map(|e| e.len()), Some(4));
        assert!(doc.pointer("/components/schemas/Report").is_some());
        assert!(doc.pointer("/components/schemas/Report/properties/practice").is_some());
        assert!(doc.pointer("/components/schemas/Envelope/properties/sealed").is_some());
        assert!(doc.pointer("/paths/~1api~1v1~1region-keys/get").is_some());
        assert_eq!(
            doc.pointer("/components/examples/practice_melding/value/practice"),
            Some(&serde_json::Value::Bool(true))
        );
    }

    #[test]
    fn the_intake_and_stats_endpoints_are_documented_with_their_parameters() {
        let doc = super::spec();
        let params = |path: &str, method: &str| -> Vec<String> {
            let pointer = format!("/paths/{}/{method}/parameters", path.replace('/', "~1"));
            doc.pointer(&pointer)
                .and_then(|p| p.as_array())
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| p["name"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(params("/api/v1/intake/reports", "get"), ["status", "q", "page"]);
        assert_eq!(params("/api/v1/stats", "get"), ["period", "from", "to", "format"]);
        for (path, method) in [
            ("/api/v1/intake/reports/{id}", "get"),
            ("/api/v1/intake/reports/{id}/acknowledge", "post"),
            ("/api/v1/intake/reports/{id}/transfer", "post"),
            ("/api/v1/intake/reports/{id}/close", "post"),
        ] {
            assert_eq!(params(path, method), ["id"], "{path}");
        }
        let transfer = doc.pointer("/components/schemas/TransferRequest");
        assert_eq!(
            transfer.map(|s| s["required"].clone()),
            Some(serde_json::json!(["vt_region", "reason"]))
        );
        let answers = doc
            .pointer("/paths/~1api~1v1~1intake~1reports~1{id}~1transfer/post/responses")
            .and_then(|r| r.as_object())
            .map(|r| r.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        for code in ["200", "401", "404", "409", "422", "503"] {
            assert!(
                answers.iter().any(|a| a == code),
                "transfer answers {code}: {answers:?}"
            );
        }
        assert!(
            doc.pointer("/components/schemas/InboxPage/example").is_some(),
            "with examples"
        );
        assert!(doc.pointer("/components/schemas/Stats/example").is_some());
    }

    #[test]
    fn errors_are_problem_details_and_the_version_is_semver() {
        let doc = super::spec();
        assert_eq!(doc["info"]["version"], super::super::front_door::API_VERSION);
        let report = doc.pointer("/paths/~1api~1v1~1reports/post/responses");
        let media = |code: &str| {
            report
                .and_then(|r| r[code]["content"].as_object())
                .map(|c| c.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        assert_eq!(media("422"), ["application/problem+json"]);
        assert_eq!(media("201"), ["application/json"]);
        let problem = doc.pointer("/components/schemas/ErrorBody/properties");
        for member in ["type", "title", "status", "detail", "error", "fields"] {
            assert!(problem.is_some_and(|p| p.get(member).is_some()), "{member}");
        }
    }
}
