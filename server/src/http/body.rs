//! Reading request bodies in the order of docs/contract.md ("Order of checks"): 413 (over
//! 64 KiB) → 415 (not JSON) → 400 → 422.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::listener::deadline_body::timed_out;

pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The body, at most 64 KiB, sent as `application/json`.
pub async fn json_bytes(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(read_failed)?;
    if !is_json(headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    Ok(bytes)
}

/// The body, at most 64 KiB, sent as `application/octet-stream` (a file, such as a worker's
/// wrapped key), in the same order: 413 → 415.
pub async fn octet_stream_bytes(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(read_failed)?;
    let octets = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/octet-stream"));
    if !octets {
        return Err(ApiError::MediaTypeRequired("application/octet-stream"));
    }
    Ok(bytes)
}

/// A body that did not arrive in time is `408`; any other read failure is over the limit.
fn read_failed(e: axum::Error) -> ApiError {
    match timed_out(&e) {
        Some(secs) => ApiError::RequestTimeout(secs),
        None => ApiError::PayloadTooLarge(MAX_BODY_BYTES),
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// A small JSON object body (enroll, session), with the same errors as a report.
pub async fn json_object<T: DeserializeOwned>(headers: &HeaderMap, body: Body) -> Result<T, ApiError> {
    let bytes = json_bytes(headers, body).await?;
    Ok(meldcode::parse_object(&bytes)?)
}

/// A JSON object body that may be left out: no body at all (whether sent with Content-Length or
/// chunked) is `T::default()`; anything sent is read under the same limits as [`json_object`].
pub async fn optional_json_object<T: DeserializeOwned + Default>(
    headers: &HeaderMap,
    body: Body,
) -> Result<T, ApiError> {
    if headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(read_failed)?;
    if bytes.is_empty() {
        return Ok(T::default());
    }
    if !is_json(headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    Ok(meldcode::parse_object(&bytes)?)
}

/// The bearer token of an `Authorization` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 512).then_some(token)
}
