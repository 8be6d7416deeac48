//! The HTTP API (v1): routes, shared state, and headers every response carries.

mod access;
mod body;
mod client_addr;
mod committer;
mod error;
pub mod front_door;
mod health;
mod intake;
mod intake_actions;
mod intake_call;
mod intake_key;
mod intake_pages;
mod intake_report;
pub mod listener;
mod nowrap;
mod openapi;
mod pages;
mod param_pages;
mod params;
mod region_keys;
mod reports;
mod second_factor;
mod stats;
mod stats_page;
mod users;
mod web_guard;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::auth::passwords::PasswordChecks;
use crate::auth::throttle::LoginThrottle;
use crate::settings::Settings;
use crate::store::Store;
pub use committer::Committer;
pub use error::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub access: Arc<Access>,
    /// Tells the forwarder a report was accepted.
    pub forwarder_wake: Arc<tokio::sync::Notify>,
    pub stats_cache: stats::StatsCache,
    pub practice_cache: stats::PracticeCache,
    /// Test only: days the statistics' today lies after the real one.
    pub stats_days_ahead: i64,
    pub committer: committer::Committer,
    /// How long personal data is kept: each status body says until when.
    pub retention: meldcode::api::Retention,
    /// When the forwarder's loop last went round (unix seconds), for `/readyz`.
    pub forwarder_heartbeat: Arc<std::sync::atomic::AtomicI64>,
    /// The Prometheus recorder, when `MASKER19_METRICS_TOKEN` is set.
    pub metrics: Option<Arc<crate::observe::Metrics>>,
    /// The operator's contact (security.txt, the OpenAPI document).
    pub front_door: Arc<front_door::FrontDoor>,
}

/// Who may try a password and where the checks run (the API and the login page alike), and
/// what the web pages trust.
pub struct Access {
    pub throttle: LoginThrottle,
    /// Wrong enrollment codes, per client.
    pub enrollment: LoginThrottle,
    pub passwords: PasswordChecks,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The only origin web forms may come from (`MASKER19_PUBLIC_URL`); without it, the `Host`.
    pub public_origin: Option<String>,
    /// `Strict-Transport-Security` on every answer: the public URL is https.
    pub hsts: bool,
}

impl Access {
    pub fn new(settings: &Settings) -> Arc<Access> {
        Arc::new(Access {
            throttle: LoginThrottle::default(),
            enrollment: LoginThrottle::per_client(),
            passwords: PasswordChecks::for_this_machine(),
            trusted_proxies: settings.trusted_proxies.clone(),
            public_origin: settings.public_origin(),
            hsts: settings.https(),
        })
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/enroll", post(access::enroll))
        .route("/api/v1/session", post(access::session))
        .route("/api/v1/reports", post(reports::submit))
        .route("/api/v1/reports/{id}/status", get(reports::status))
        .route("/api/v1/region-keys", get(region_keys::list))
        .route("/api/v1/intake/key", get(intake_key::api_get).put(intake_key::api_put))
        .route("/api/v1/intake/reports", get(intake::list))
        .route("/api/v1/intake/reports/{id}", get(intake::show))
        .route("/api/v1/intake/reports/{id}/acknowledge", post(intake::acknowledge))
        .route("/api/v1/intake/reports/{id}/transfer", post(intake::transfer))
        .route("/api/v1/intake/reports/{id}/close", post(intake::close))
        .route("/api/v1/stats", get(stats::api))
        .route("/stats", get(stats_page::page))
        .route("/stats.csv", get(stats_page::download_csv))
        .route("/stats.xlsx", get(stats_page::download_xlsx))
        .route("/", get(pages::root))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route(
            "/login/setup",
            get(second_factor::setup_form).post(second_factor::setup_submit),
        )
        .route("/logout", post(pages::logout))
        .route("/intake", get(intake_pages::inbox))
        .route("/intake/key", get(intake_key::page_get).put(intake_key::page_put))
        .route("/intake/reports/{id}", get(intake_report::report))
        .route("/intake/reports/{id}/print", get(intake_report::print))
        .route("/intake/reports/{id}/export.json", get(intake_report::export))
        .route("/intake/reports/{id}/{action}", post(intake_actions::action))
        .route("/assets/server.css", get(pages::stylesheet))
        .route("/assets/icon/apotheek.png", get(pages::icon_png))
        .route("/favicon.ico", get(pages::icon_ico))
        .route("/.well-known/security.txt", get(front_door::security_txt))
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web_guard::same_origin_forms,
        ))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(axum::middleware::from_fn(front_door::api_version))
        .with_state(state)
}

/// Headers every answer carries (with `Cache-Control: no-store` unless a handler set its own,
/// and [`HSTS`] when the public URL is https).
pub const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (header::X_FRAME_OPTIONS, "DENY"),
    // Not `no-referrer`: under it a browser sends `Origin: null` with the pages' own forms,
    // which the origin check (web_guard.rs) must refuse.
    (header::REFERRER_POLICY, "same-origin"),
];

pub const HSTS: &str = "max-age=31536000";

async fn security_headers(State(s): State<AppState>, mut response: Response) -> Response {
    let h = response.headers_mut();
    if s.access.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    for (name, value) in SECURITY_HEADERS {
        h.insert(name, HeaderValue::from_static(value));
    }
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
