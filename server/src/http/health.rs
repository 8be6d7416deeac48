//! For operators and their probes: `/healthz` (the process answers and reads its store),
//! `/readyz` (the store takes a write and the forwarder runs) and `/metrics` (Prometheus text,
//! only with `MASKER19_METRICS_TOKEN`, else 404).

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

use super::body::bearer;
use super::{ApiError, AppState};
use crate::store::health;

/// The forwarder counts as running when its loop went round within this many seconds (it
/// wakes at least every second).
const FORWARDER_STALE_SECS: i64 = 30;

pub async fn healthz(State(s): State<AppState>) -> Result<&'static str, ApiError> {
    s.store.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?)).await?;
    Ok("ok")
}

pub async fn readyz(State(s): State<AppState>) -> Response {
    let now = Utc::now();
    let database = s.store.call(move |c| health::take_a_write(c, now)).await.is_ok();
    let beat = s.forwarder_heartbeat.load(Ordering::Relaxed);
    let forwarder = now.timestamp() - beat <= FORWARDER_STALE_SECS;
    let body = Json(json!({
        "database": if database { "ok" } else { "fault" },
        "forwarder": if forwarder { "ok" } else { "stalled" },
    }));
    if database && forwarder {
        (StatusCode::OK, body).into_response()
    } else {
        let mut r = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(super::error::RETRY_AFTER_UNAVAILABLE),
        );
        r
    }
}

pub async fn metrics(State(s): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    // Without a token, or with a wrong one, there is nothing here: not even that it exists.
    let Some(metrics) = s.metrics.clone() else {
        return Err(ApiError::NotFound);
    };
    if !bearer(&headers).is_some_and(|t| metrics.allows(t)) {
        return Err(ApiError::NotFound);
    }
    let snapshot = s.store.read(|c| health::snapshot(c, Utc::now())).await?;
    let text = metrics.render(&snapshot);
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
        .into_response())
}
