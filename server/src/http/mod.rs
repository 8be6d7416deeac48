//! The HTTP API (v1): routes, shared state, and headers every response carries.

mod access;
mod body;
mod committer;
mod error;
mod intake;
mod intake_pages;
mod openapi;
mod pages;
mod params;
mod reports;
mod stats;
mod stats_page;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::auth::LoginLimiter;
use crate::db::Store;
pub use committer::Committer;
pub use error::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub limiter: Arc<LoginLimiter>,
    /// Tells the forwarder a report was accepted.
    pub forwarder_wake: Arc<tokio::sync::Notify>,
    pub stats_cache: stats::StatsCache,
    pub committer: committer::Committer,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/enroll", post(access::enroll))
        .route("/api/v1/session", post(access::session))
        .route("/api/v1/reports", post(reports::submit))
        .route("/api/v1/reports/{id}/status", get(reports::status))
        .route("/api/v1/intake/reports", get(intake::list))
        .route("/api/v1/intake/reports/{id}", get(intake::show))
        .route("/api/v1/intake/reports/{id}/acknowledge", post(intake::acknowledge))
        .route("/api/v1/intake/reports/{id}/transfer", post(intake::transfer))
        .route("/api/v1/intake/reports/{id}/close", post(intake::close))
        .route("/api/v1/stats", get(stats::api))
        .route("/stats", get(stats_page::page))
        .route("/stats.csv", get(stats_page::download))
        .route("/", get(pages::root))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .route("/intake", get(intake_pages::inbox))
        .route("/intake/reports/{id}", get(intake_pages::report))
        .route("/intake/reports/{id}/{action}", post(intake_pages::action))
        .route("/assets/server.css", get(pages::stylesheet))
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
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
