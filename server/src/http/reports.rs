//! `POST /api/v1/reports` and `GET /api/v1/reports/{id}/status`, for enrolled devices.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use meldcode::api::{ErrorBody, StatusBody};
use meldcode::{FieldError, Rule};
use uuid::Uuid;

use super::body::{bearer, json_bytes};
use super::params::ApiPath;
use super::{ApiError, AppState};
use crate::store::directory::{self, Device};
use crate::store::reports::{self, Incoming, Submitted};

/// The device behind the bearer token; 401 when missing, unknown or revoked.
pub async fn device(state: &AppState, headers: &HeaderMap) -> Result<Device, ApiError> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?.to_owned();
    let device = state
        .store
        .read(move |c| directory::device_by_token(c, &token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let now = Utc::now();
    // `device list`'s "last seen": one write per device and hour, not one per request.
    if directory::last_seen_is_stale(&device, now) {
        let id = device.id;
        state.store.call(move |c| directory::touch_device(c, id, now)).await?;
    }
    Ok(device)
}

/// Submit a report.
#[utoipa::path(
    post, path = "/api/v1/reports", tag = "pharmacy",
    request_body(content = meldcode::Report, content_type = "application/json", description = "A report v1, or the envelope of a sealed report (schema_version 2: id, schema_version, kind, created_at, channel, practice, vt_region, accompanied, acute_112_at, children, key_list_version, sealed), schema `Envelope`"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Accepted: stored durably. A practice report (`\"practice\": true`) is validated the same, answered `recorded` with `\"practice\": true`, and kept only as a count of training uptake: never forwarded, never in an inbox or the report counts", body = StatusBody),
        (status = 200, description = "Identical resubmission", body = StatusBody),
        (status = 401, description = "No, unknown or revoked device token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 400, description = "Not a JSON object", body = ErrorBody),
        (status = 422, description = "Breaks rules (every broken rule is listed), or no region can be found for it, or a report v1 melding or adviesvraag of a region that receives sealed reports only (`seal_required` at `/schema_version`): nothing stored", body = ErrorBody),
        (status = 409, description = "Same id, other content", body = ErrorBody),
        (status = 503, description = "Fault of the server; retry after Retry-After", body = ErrorBody),
    )
)]
pub async fn submit(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<StatusBody>), ApiError> {
    let device = match device(&s, &headers).await {
        Ok(device) => device,
        Err(e) => {
            // Read what was sent (bounded) so the connection stays usable for the next request.
            let _ = axum::body::to_bytes(body, super::body::MAX_BODY_BYTES).await;
            return Err(e);
        }
    };
    let bytes = json_bytes(&headers, body).await?;
    let now = Utc::now();
    let pharmacy = device.pharmacy_id;
    let incoming = match parse_incoming(&bytes, now) {
        Ok(incoming) => incoming,
        Err(refused) => {
            let (rejection, recognised) = *refused;
            // A report accepted before is recognised first: the days it then waited on a device
            // (past the `created_at` window) never turn an accepted report into a rejected one.
            if let Some(incoming) = recognised {
                let sent = s
                    .store
                    .read(move |c| reports::identical(c, &incoming, pharmacy))
                    .await?;
                if let Some(b) = sent {
                    return Ok((StatusCode::OK, Json(b.retained(s.retention))));
                }
            }
            return Err(rejection);
        }
    };
    // A practice report is never forwarded: there is nothing to wake the forwarder for.
    let forwarded = match &incoming {
        Incoming::Plain(r) => r.kind.is_forwarded() && !r.practice,
        Incoming::Sealed(_) => true,
    };
    match s.committer.submit(device, incoming).await? {
        Submitted::Created(b) => {
            crate::observe::report_accepted();
            if forwarded {
                s.forwarder_wake.notify_one();
            }
            Ok((StatusCode::CREATED, Json(b.retained(s.retention))))
        }
        Submitted::Identical(b) => Ok((StatusCode::OK, Json(b.retained(s.retention)))),
        Submitted::Conflict => Err(ApiError::Conflict(
            "a report with this id but other content exists".into(),
        )),
        Submitted::Unroutable => Err(ApiError::Invalid(vec![FieldError::new(
            "/gemeente",
            Rule::UnknownGemeente,
            "no Veilig Thuis region for this report (nor for the pharmacy's municipality); nothing was stored: call Veilig Thuis, 0800-2000",
        )])),
        Submitted::SealRequired => Err(ApiError::Invalid(vec![meldcode::sealed::seal_required()])),
    }
}

/// A body as a report v1 or, when it declares `schema_version` 2, as the envelope of a sealed
/// report (its rules, then its age file's: armor, at least two X25519 recipients). A refused
/// body comes with what it is when well-formed, to be recognised as sent before.
fn parse_incoming(bytes: &[u8], now: chrono::DateTime<Utc>) -> Result<Incoming, Box<(ApiError, Option<Incoming>)>> {
    if meldcode::sealed::declared_schema_version(bytes) == Some(u64::from(meldcode::sealed::SEALED_SCHEMA_VERSION)) {
        let envelope = meldcode::sealed::parse_envelope(bytes, now).map_err(|rejection| {
            let recognised = meldcode::parse_object::<meldcode::sealed::Envelope>(bytes).ok();
            Box::new((ApiError::from(rejection), recognised.map(Incoming::Sealed)))
        })?;
        let problems = masker19_seal::sealed_problems(&envelope);
        if !problems.is_empty() {
            return Err(Box::new((ApiError::Invalid(problems), None)));
        }
        return Ok(Incoming::Sealed(envelope));
    }
    meldcode::parse_report(bytes, now)
        .map(|r| Incoming::Plain(Box::new(r)))
        .map_err(|rejection| {
            let recognised = meldcode::parse_structure(bytes).map(|r| Incoming::Plain(Box::new(r)));
            Box::new((ApiError::from(rejection), recognised))
        })
}

/// The status of a report this pharmacy submitted.
#[utoipa::path(
    get, path = "/api/v1/reports/{id}/status", tag = "pharmacy",
    params(("id" = Uuid, Path, description = "The report id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = StatusBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "Unknown, or submitted by another pharmacy", body = ErrorBody),
        (status = 503, description = "Fault of the server; retry after Retry-After", body = ErrorBody),
    )
)]
pub async fn status(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<StatusBody>, ApiError> {
    let device = device(&s, &headers).await?;
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    let found = s
        .store
        .read(move |c| reports::status(c, id, device.pharmacy_id))
        .await?;
    found.map(|b| Json(b.retained(s.retention))).ok_or(ApiError::NotFound)
}
