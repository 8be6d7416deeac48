//! An intake worker's own key: the region's identity file wrapped in the worker's browser with a
//! passphrase (an age v1 file with one scrypt stanza, armored or binary, at most 16 KiB). The
//! server keeps the bytes exactly as sent and gives them back to that user alone; it never sees
//! the identity or the passphrase.
//!
//! `PUT`/`GET /api/v1/intake/key` take the user's API bearer token; the pages reach the same store
//! through `PUT`/`GET /intake/key` with the session cookie (and, to store, the session's CSRF
//! token in `X-CSRF-Token`). Both: `application/octet-stream`; `204` when stored, `404` when the
//! user has none. Only intake users have one (`403` for anyone else).

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use masker19_seal::wrapped::{WrappedProblem, check_wrapped};
use meldcode::api::ErrorBody;
use meldcode::{FieldError, Rule};

use super::body::octet_stream_bytes;
use super::users::{from_bearer, from_cookie, intake_region};
use super::{ApiError, AppState};
use crate::store::directory::{self, Session};

/// The header that carries a page session's CSRF token on a request made by the page's script.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The wrapped key as the API returns it.
#[utoipa::path(
    get, path = "/api/v1/intake/key", tag = "intake",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's wrapped key, exactly the bytes stored (an age v1 file encrypted with the worker's passphrase, armored or binary)", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No, unknown or expired user token", body = ErrorBody),
        (status = 403, description = "Not an intake user", body = ErrorBody),
        (status = 404, description = "The caller has stored no key", body = ErrorBody),
    )
)]
pub async fn api_get(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let session = from_bearer(&s, &headers).await?;
    fetch(&s, &session).await
}

/// Store (or replace) the caller's wrapped key.
#[utoipa::path(
    put, path = "/api/v1/intake/key", tag = "intake",
    security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The region's identity file encrypted with the worker's passphrase: an age v1 file (armored or binary) with exactly one scrypt stanza (16-byte salt, work factor 1 to 22), at most 16 KiB"),
    responses(
        (status = 204, description = "Stored, replacing the caller's earlier key"),
        (status = 401, description = "No, unknown or expired user token", body = ErrorBody),
        (status = 403, description = "Not an intake user", body = ErrorBody),
        (status = 413, description = "A body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not `Content-Type: application/octet-stream`", body = ErrorBody),
        (status = 422, description = "Path `\"\"` (the whole body): `required` (empty), `max_length` (over 16 KiB) or `invalid_value` (not an age file encrypted to one passphrase)", body = ErrorBody),
    )
)]
pub async fn api_put(State(s): State<AppState>, headers: HeaderMap, body: Body) -> Result<StatusCode, ApiError> {
    let session = from_bearer(&s, &headers).await?;
    store(&s, &session, &headers, body).await
}

/// The page session's wrapped key.
pub async fn page_get(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, session) = from_cookie(&s, &headers).await?.ok_or(ApiError::Unauthorized)?;
    fetch(&s, &session).await
}

/// Store the page session's wrapped key; the session's CSRF token must come with it.
pub async fn page_put(State(s): State<AppState>, headers: HeaderMap, body: Body) -> Result<StatusCode, ApiError> {
    let (_, session) = from_cookie(&s, &headers).await?.ok_or(ApiError::Unauthorized)?;
    let given = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !crate::auth::same_secret(&session.csrf, given) {
        return Err(ApiError::Forbidden);
    }
    store(&s, &session, &headers, body).await
}

async fn fetch(s: &AppState, session: &Session) -> Result<Response, ApiError> {
    intake_region(session)?;
    let user_id = session.user.id;
    let wrapped = s
        .store
        .read(move |c| directory::intake_key(c, user_id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        )],
        wrapped,
    )
        .into_response())
}

async fn store(s: &AppState, session: &Session, headers: &HeaderMap, body: Body) -> Result<StatusCode, ApiError> {
    intake_region(session)?;
    let bytes = octet_stream_bytes(headers, body).await?;
    check_wrapped(&bytes).map_err(refusal)?;
    let (user_id, size) = (session.user.id, bytes.len());
    s.store
        .call(move |c| directory::put_intake_key(c, user_id, &bytes, Utc::now()))
        .await?;
    tracing::info!(user = %session.user.name, bytes = size, "intake key stored");
    Ok(StatusCode::NO_CONTENT)
}

/// A refused key file: `422`, the whole body (`""`) named with the rule it breaks.
fn refusal(problem: WrappedProblem) -> ApiError {
    let rule = match problem {
        WrappedProblem::Empty => Rule::Required,
        WrappedProblem::TooLarge => Rule::MaxLength,
        WrappedProblem::NotAge(_) | WrappedProblem::NotPassphrase | WrappedProblem::ScryptArguments => {
            Rule::InvalidValue
        }
    };
    ApiError::Invalid(vec![FieldError::new("", rule, problem.to_string())])
}
