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
use crate::store::reports::{self, Submitted};

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
    request_body(content = meldcode::Report, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Accepted: stored durably. A practice report (`\"practice\": true`) is validated the same, answered `recorded` with `\"practice\": true`, and kept only as a count of training uptake: never forwarded, never in an inbox or the report counts", body = StatusBody),
        (status = 200, description = "Identical resubmission", body = StatusBody),
        (status = 401, description = "No, unknown or revoked device token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 400, description = "Not a JSON object", body = ErrorBody),
        (status = 422, description = "Breaks rules (every broken rule is listed), or no region can be found for it: nothing stored", body = ErrorBody),
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
    let report = match meldcode::parse_report(&bytes, now) {
        Ok(report) => report,
        Err(rejection) => {
            // A report accepted before is recognised first: the days it then waited on a device
            // (past the `created_at` window) never turn an accepted report into a rejected one.
            if let Some(report) = meldcode::parse_structure(&bytes) {
                let pharmacy = device.pharmacy_id;
                let sent = s.store.read(move |c| reports::identical(c, &report, pharmacy)).await?;
                if let Some(b) = sent {
                    return Ok((StatusCode::OK, Json(b.retained(s.retention))));
                }
            }
            return Err(rejection.into());
        }
    };
    // A practice report is never forwarded: there is nothing to wake the forwarder for.
    let forwarded = report.kind.is_forwarded() && !report.practice;
    match s.committer.submit(device, report).await? {
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
    }
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
