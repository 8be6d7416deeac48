//! The HTTP API (v1): routes, shared state, and headers every response carries.

mod access;
mod body;
mod error;
mod openapi;
mod reports;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::auth::LoginLimiter;
use crate::db::Store;
pub use error::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub limiter: Arc<LoginLimiter>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/enroll", post(access::enroll))
        .route("/api/v1/session", post(access::session))
        .route("/api/v1/reports", post(reports::submit))
        .route("/api/v1/reports/{id}/status", get(reports::status))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn healthz(State(s): State<AppState>) -> Result<&'static str, ApiError> {
    s.store.call(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?)).await?;
    Ok("ok")
}

async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}
