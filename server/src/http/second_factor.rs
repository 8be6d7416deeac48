//! The second factor at sign-in: the code check after the right password (the API and the login
//! page alike), and the setup pages of a first sign-in: the secret as a QR code and as text,
//! confirmed by one code, then ten recovery codes shown once. Plain HTML forms, no JavaScript.

use std::net::SocketAddr;
use std::time::Instant;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use chrono::Utc;
use serde::Deserialize;

use super::client_addr::client_addr;
use super::pages::{LOGIN_COOKIE, Who, error_page, home_of, html, set_cookie};
use super::users::{SESSION_COOKIE, cookie};
use super::{ApiError, AppState};
use crate::auth::throttle::retry_after_secs;
use crate::auth::{self, totp};
use crate::store::directory::second_factor::{self, Confirmation, PendingSetup, Verdict};
use crate::store::directory::{self, Issued, Role};

/// The cookie of a setup in progress (`__Host-`: Secure, Path=/, no Domain).
const SETUP_COOKIE: &str = "__Host-m19_setup";

/// After the right password: the user's second factor. No code → `CodeRequired`, or
/// `SecondFactorSetupRequired` for a user without one; a wrong, replayed or used-up code counts
/// as a failed sign-in for this name and client address, like a wrong password (the caller
/// reserved the attempt and takes it back only after this check).
pub async fn check_code(s: &AppState, user_id: i64, code: Option<&str>) -> Result<(), ApiError> {
    let code = code.map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
    let Some(code) = code else {
        let set_up = s.store.call(move |c| second_factor::is_set_up(c, user_id)).await?;
        return Err(if set_up {
            ApiError::CodeRequired
        } else {
            ApiError::SecondFactorSetupRequired
        });
    };
    let verdict = s
        .store
        .call(move |c| second_factor::verify(c, user_id, &code, Utc::now()))
        .await?;
    match verdict {
        Verdict::Accepted => Ok(()),
        Verdict::NotSetUp => Err(ApiError::SecondFactorSetupRequired),
        // The attempt reserved before the password check stays counted: a failure.
        Verdict::Invalid => Err(ApiError::CodeInvalid),
    }
}

/// The login page's answer to the right password of a user without a second factor: a new
/// secret, and a redirect to its setup page with the setup's cookie.
pub async fn start_setup(s: &AppState, name: &str) -> Response {
    let lookup = name.to_owned();
    let started = s
        .store
        .call(move |c| {
            let Some(user) = directory::user_by_name(c, &lookup)? else {
                return Ok(None);
            };
            second_factor::begin_setup(c, user.id, Utc::now())
        })
        .await;
    match started {
        Ok(Some(token)) => {
            let mut r = Redirect::to("/login/setup").into_response();
            let max_age = second_factor::SETUP_VALIDITY.num_seconds();
            let h = r.headers_mut();
            h.append(header::SET_COOKIE, set_cookie(SETUP_COOKIE, &token, max_age));
            h.append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", 0));
            r
        }
        Ok(None) => Redirect::to("/login").into_response(),
        Err(e) => error_page(e.into(), None),
    }
}

#[derive(Template)]
#[template(path = "second_factor_setup.html")]
struct SetupPage {
    who: Option<Who>,
    name: String,
    secret: String,
    qr_data_uri: String,
    csrf: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryPage {
    who: Option<Who>,
    codes: Vec<String>,
    home: &'static str,
    home_name: &'static str,
}

fn setup_page(status: StatusCode, setup: PendingSetup, error: Option<String>) -> Response {
    let svg = totp::qr_svg(&setup.secret, &setup.name).unwrap_or_default();
    let qr_data_uri = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    );
    html(
        status,
        &SetupPage {
            who: None,
            name: setup.name,
            secret: setup.secret,
            qr_data_uri,
            csrf: setup.csrf,
            error,
        },
    )
}

async fn pending(s: &AppState, headers: &HeaderMap) -> Result<Option<(String, PendingSetup)>, ApiError> {
    let Some(token) = cookie(headers, SETUP_COOKIE).filter(|t| t.len() <= 128) else {
        return Ok(None);
    };
    let lookup = token.clone();
    let found = s
        .store
        .call(move |c| second_factor::pending_setup(c, &lookup, Utc::now()))
        .await?;
    Ok(found.map(|setup| (token, setup)))
}

/// `GET /login/setup`: the QR code, the secret as text, and the form for one code.
pub async fn setup_form(State(s): State<AppState>, headers: HeaderMap) -> Response {
    match pending(&s, &headers).await {
        Ok(Some((_, setup))) => setup_page(StatusCode::OK, setup, None),
        Ok(None) => Redirect::to("/login").into_response(),
        Err(e) => error_page(e, None),
    }
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /login/setup`: one code of the new secret confirms it; the page session opens and the
/// recovery codes are shown, once.
pub async fn setup_submit(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<SetupForm>, FormRejection>,
) -> Response {
    let (token, setup) = match pending(&s, &headers).await {
        Ok(Some(found)) => found,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => return error_page(e, None),
    };
    let Ok(Form(form)) = form else {
        return setup_page(
            StatusCode::BAD_REQUEST,
            setup,
            Some("Het formulier was onvolledig.".into()),
        );
    };
    if !auth::same_secret(&setup.csrf, &form.csrf) {
        return setup_page(
            StatusCode::FORBIDDEN,
            setup,
            Some("Het formulier is verlopen. Probeer het opnieuw.".into()),
        );
    }
    let ip = client_addr(peer, &headers, &s.access.trusted_proxies);
    if let Some(wait) = s.access.throttle.wait(&setup.name, ip, Instant::now()) {
        let retry_after = retry_after_secs(wait);
        let text = format!("Te veel pogingen. Probeer het over {retry_after} seconden opnieuw.");
        let mut r = setup_page(StatusCode::TOO_MANY_REQUESTS, setup, Some(text));
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        return r;
    }
    let code = form.code.trim().to_owned();
    let confirmed = s
        .store
        .call(move |c| {
            let confirmation = second_factor::confirm_setup(c, &token, &code, Utc::now())?;
            let Confirmation::Done { user_id, .. } = &confirmation else {
                return Ok((confirmation, None));
            };
            let (session_token, _) = directory::create_session(c, *user_id, Issued::Page, Utc::now())?;
            let session = directory::session(c, &session_token, Issued::Page, Utc::now())?;
            Ok((confirmation, session.map(|found| (session_token, found))))
        })
        .await;
    match confirmed {
        Ok((Confirmation::Done { recovery_codes, .. }, Some((session_token, session)))) => {
            s.access.throttle.succeeded(&setup.name, ip, Instant::now());
            let (home, home_name) = match session.user.role {
                Role::Intake => (home_of(&session), "de inbox"),
                Role::Evaluator => (home_of(&session), "de statistieken"),
            };
            let mut r = html(
                StatusCode::OK,
                &RecoveryPage {
                    who: Some(Who::from(&session)),
                    codes: recovery_codes,
                    home,
                    home_name,
                },
            );
            let max_age = directory::SESSION_LIFETIME.num_seconds();
            let h = r.headers_mut();
            h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &session_token, max_age));
            h.append(header::SET_COOKIE, set_cookie(SETUP_COOKIE, "", 0));
            r
        }
        Ok((Confirmation::WrongCode, _)) => {
            s.access.throttle.failed(&setup.name, ip, Instant::now());
            setup_page(
                StatusCode::UNAUTHORIZED,
                setup,
                Some("Die code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul de code in die de app nu toont.".into()),
            )
        }
        Ok(_) => Redirect::to("/login").into_response(),
        Err(e) => error_page(e.into(), None),
    }
}
