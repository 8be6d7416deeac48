//! Getting credentials: a device enrolls with a one-time code; a user opens a session.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use meldcode::api::{EnrollRequest, EnrollResponse, ErrorBody, SessionRequest, SessionResponse};

use super::body::json_object;
use super::client_addr::client_addr;
use super::second_factor;
use super::{ApiError, AppState};
use crate::auth::throttle::{client_key, retry_after_secs};
use crate::store::directory::{self, Issued};

/// Enroll a device of a pharmacy with its one-time code.
#[utoipa::path(
    post, path = "/api/v1/enroll", tag = "pharmacy", request_body = EnrollRequest,
    responses(
        (status = 201, body = EnrollResponse),
        (status = 400, description = "Not a JSON object", body = ErrorBody),
        (status = 401, description = "Used, expired or unknown code", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Breaks rules; every broken rule is listed (`/device_name`: 1 to 100 printable characters, rule `control_character` for a tab, newline or escape)", body = ErrorBody),
        (status = 429, description = "Wrong codes from this client address: wait Retry-After seconds (growing delays)", body = ErrorBody),
        (status = 503, description = "Fault of the server; retry after Retry-After", body = ErrorBody),
    )
)]
pub async fn enroll(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<EnrollResponse>), ApiError> {
    let req: EnrollRequest = json_object(&headers, body).await?;
    if let Some(field) = req.device_name_error() {
        return Err(ApiError::Invalid(vec![field]));
    }
    // Guessing codes is throttled per client like guessing passwords; the reservation is
    // counted as a wrong code until the code turns out right.
    let ip = client_addr(peer, &headers, &s.access.trusted_proxies);
    s.access
        .enrollment
        .reserve(ENROLLMENT, ip, Instant::now())
        .map_err(too_many)?;
    if req.code.len() > 64 {
        return Err(ApiError::Unauthorized);
    }
    let now = Utc::now();
    // A wrong code is found on the reading connection: guesses never queue on the writer.
    let code = req.code.clone();
    if !s
        .store
        .read(move |c| directory::enrollment_code_is_open(c, &code, now))
        .await?
    {
        return Err(ApiError::Unauthorized);
    }
    let enrolled = s
        .store
        .call(move |c| directory::enroll(c, &req.code, &req.device_name, now))
        .await?;
    let enrolled = enrolled.ok_or(ApiError::Unauthorized)?;
    s.access.enrollment.succeeded(ENROLLMENT, ip, Instant::now());
    Ok((
        StatusCode::CREATED,
        Json(EnrollResponse {
            device_token: enrolled.token,
            device_id: Some(enrolled.device_id),
            pharmacy: enrolled.pharmacy,
        }),
    ))
}

/// Open a session for an intake or evaluator user's own tools: name, password and the second
/// factor's `code`. The token is an `Authorization: Bearer` token for the API only, never a page
/// cookie.
#[utoipa::path(
    post, path = "/api/v1/session", tag = "users", request_body = SessionRequest,
    responses(
        (status = 201, body = SessionResponse),
        (status = 400, description = "Not a JSON object", body = ErrorBody),
        (status = 401, description = "Wrong name or password; or the right password of a user with a second factor and no `code` (`fields`: `/code`, rule `required`) or a wrong, replayed or used-up one (`/code`, rule `invalid`; counts as a failed login). A TOTP code (RFC 6238, 6 digits, 30 s) is accepted once: the same time step again is refused", body = ErrorBody),
        (status = 403, description = "The user has not set up a second factor yet (`fields`: `/code`, rule `second_factor_setup_required`): the first sign-in on the login page (`/login`) sets it up", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Breaks rules; every broken rule is listed", body = ErrorBody),
        (status = 429, description = "Failed logins (wrong passwords or codes) from this client address for this name: wait Retry-After seconds (growing delays)", body = ErrorBody),
        (status = 503, description = "Every password check slot is taken, or a fault of the server; retry after Retry-After", body = ErrorBody),
    )
)]
pub async fn session(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<SessionResponse>), ApiError> {
    let req: SessionRequest = json_object(&headers, body).await?;
    let code = req.code.as_deref();
    let (token, expires_at) = login(&s, &req.name, &req.password, code, Issued::Api, peer, &headers).await?;
    Ok((StatusCode::CREATED, Json(SessionResponse { token, expires_at })))
}

/// The throttle's name for enrollment attempts (one budget per client, whatever the code).
const ENROLLMENT: &str = "enrollment";

fn too_many(wait: std::time::Duration) -> ApiError {
    ApiError::TooManyRequests {
        retry_after: retry_after_secs(wait),
    }
}

/// Check a name, password and second-factor code and open a session where it is `issued`.
/// Failures slow down per name and client address and per name (429); the attempt is reserved
/// before the check, so a burst gets no more than the free attempts, and it stays counted until
/// the second factor is right too. The password check waits for a place in the bounded pool,
/// within the client's share of it (503 when full). Every refusal is counted for `/metrics`.
pub async fn login(
    s: &AppState,
    name: &str,
    password: &str,
    code: Option<&str>,
    issued: Issued,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<(String, chrono::DateTime<Utc>), ApiError> {
    let signed_in = sign_in(s, name, password, code, issued, peer, headers).await;
    match &signed_in {
        Ok(_) | Err(ApiError::Unavailable(_)) => {}
        Err(ApiError::TooManyRequests { .. }) => crate::observe::sign_in_refused("throttled"),
        Err(ApiError::PasswordChecksBusy) => crate::observe::sign_in_refused("busy"),
        Err(_) => crate::observe::sign_in_refused("credentials"),
    }
    signed_in
}

async fn sign_in(
    s: &AppState,
    name: &str,
    password: &str,
    code: Option<&str>,
    issued: Issued,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<(String, chrono::DateTime<Utc>), ApiError> {
    let ip = client_addr(peer, headers, &s.access.trusted_proxies);
    let throttle = &s.access.throttle;
    if let Some(wait) = throttle.wait(name, ip, Instant::now()) {
        return Err(too_many(wait));
    }
    let admission = s
        .access
        .passwords
        .admit(client_key(ip))
        .map_err(|_| ApiError::PasswordChecksBusy)?;
    throttle.reserve(name, ip, Instant::now()).map_err(too_many)?;
    let lookup = name.to_owned();
    let user = s.store.read(move |c| directory::user_by_name(c, &lookup)).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = admission
        .verify(password.to_owned(), hash)
        .await
        .map_err(|_| ApiError::PasswordChecksBusy)?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        // The reservation stays: it was a failure.
        _ => return Err(ApiError::Unauthorized),
    };
    second_factor::check_code(s, user.id, code).await?;
    throttle.succeeded(name, ip, Instant::now());
    let now = Utc::now();
    Ok(s.store
        .call(move |c| directory::create_session(c, user.id, issued, now))
        .await?)
}
