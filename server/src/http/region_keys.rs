//! `GET /api/v1/region-keys`: the signed region key list for enrolled devices, with an `ETag`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use meldcode::api::ErrorBody;
use meldcode::sealed::SignedList;

use super::{ApiError, AppState};
use crate::store::region_keys;

/// The region key list in force, as the scheme signed it.
#[utoipa::path(
    get, path = "/api/v1/region-keys", tag = "pharmacy",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The list in force, with an `ETag`; the device checks the signature with the scheme key it pinned and never takes a lower version than it has", body = SignedList),
        (status = 304, description = "`If-None-Match` named the list in force"),
        (status = 401, description = "No, unknown or revoked device token", body = ErrorBody),
        (status = 404, description = "No list was ever set: no region receives sealed reports yet", body = ErrorBody),
    )
)]
pub async fn list(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    super::reports::device(&s, &headers).await?;
    let stored = s.store.read(region_keys::current).await?.ok_or(ApiError::NotFound)?;
    let etag = stored.etag();
    let tag = HeaderValue::from_str(&etag).map_err(|_| ApiError::NotFound)?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    let body = SignedList {
        list: stored.list,
        signature: stored.signature,
    };
    Ok(([(header::ETAG, tag)], Json(body)).into_response())
}
