//! Who is asking: intake and evaluator users, by bearer token (their own tools) or by session
//! cookie (the web pages).

use axum::http::{HeaderMap, header};
use chrono::Utc;

use super::body::bearer;
use super::{ApiError, AppState};
use crate::store::directory::{self, Issued, Role, Session};

/// `__Host-`: the browser keeps it only if it is Secure, for Path=/ and without a Domain, so no
/// other host (a subdomain, a plain-http page) can set or overwrite it.
pub const SESSION_COOKIE: &str = "__Host-m19_session";

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A live session issued where `issued` says; one without a CSRF token (opened before migration
/// 002) is refused: its forms would accept an empty token.
async fn session(state: &AppState, token: String, issued: Issued) -> Result<Option<Session>, ApiError> {
    if token.len() > 128 {
        return Ok(None);
    }
    let found = state
        .store
        .call(move |c| directory::session(c, &token, issued, Utc::now()))
        .await?;
    Ok(found.filter(|s| !s.csrf.is_empty()))
}

/// The API session behind `Authorization: Bearer`; 401 without a live one (a page's session
/// cookie is none).
pub async fn from_bearer(state: &AppState, headers: &HeaderMap) -> Result<Session, ApiError> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?.to_owned();
    session(state, token, Issued::Api).await?.ok_or(ApiError::Unauthorized)
}

/// The page session behind the session cookie, and its token (an API token is none).
pub async fn from_cookie(state: &AppState, headers: &HeaderMap) -> Result<Option<(String, Session)>, ApiError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(session(state, token.clone(), Issued::Page).await?.map(|s| (token, s)))
}

/// An intake user's region; anyone else is refused (403).
pub fn intake_region(session: &Session) -> Result<String, ApiError> {
    match (&session.user.role, &session.user.vt_region) {
        (Role::Intake, Some(region)) => Ok(region.clone()),
        _ => Err(ApiError::Forbidden),
    }
}
