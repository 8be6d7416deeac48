//! The web pages' common parts (Dutch, plain HTML forms, no JavaScript): layout helpers, error
//! pages, login and logout.
//! Every form carries a CSRF token (compared in constant time); cookies are `__Host-` prefixed,
//! HttpOnly, Secure, SameSite=Strict; logging out clears the site's data in the browser.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use super::access::login;
use super::users::{SESSION_COOKIE, cookie, from_cookie};
use super::{ApiError, AppState};
use crate::auth;
use crate::store::directory::{Issued, Role, Session};

/// The login form's CSRF token (`__Host-`: Secure, Path=/, no Domain).
pub(super) const LOGIN_COOKIE: &str = "__Host-m19_login";

/// The signed-in user, for the page header.
#[derive(Clone)]
pub struct Who {
    pub name: String,
    pub region: Option<String>,
    pub csrf: String,
}

impl From<&Session> for Who {
    fn from(s: &Session) -> Who {
        Who {
            name: s.user.name.clone(),
            region: s.user.vt_region.clone(),
            csrf: s.csrf.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    who: Option<Who>,
    csrf: String,
    name: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    who: Option<Who>,
    heading: String,
    text: String,
}

pub fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "page error").into_response()
        }
    }
}

pub fn message(status: StatusCode, who: Option<Who>, heading: &str, text: &str) -> Response {
    html(
        status,
        &MessagePage {
            who,
            heading: heading.into(),
            text: text.into(),
        },
    )
}

/// An API error as a page.
pub fn error_page(e: ApiError, who: Option<Who>) -> Response {
    match e {
        ApiError::Forbidden => message(
            StatusCode::FORBIDDEN,
            who,
            "Geen toegang",
            "Deze pagina is niet voor uw rol.",
        ),
        ApiError::NotFound => message(
            StatusCode::NOT_FOUND,
            who,
            "Niet gevonden",
            "Deze melding bestaat niet of hoort niet bij uw regio.",
        ),
        ApiError::Unavailable(_) | ApiError::PasswordChecksBusy => {
            let retry_after = if matches!(e, ApiError::PasswordChecksBusy) {
                super::error::RETRY_AFTER_BUSY
            } else {
                super::error::RETRY_AFTER_UNAVAILABLE
            };
            let mut r = message(
                StatusCode::SERVICE_UNAVAILABLE,
                who,
                "Even niet beschikbaar",
                "Probeer het over enkele seconden opnieuw.",
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            r
        }
        ApiError::BadParameter(fields) => super::param_pages::bad_parameter(&fields, who),
        other => message(StatusCode::BAD_REQUEST, who, "Dat lukte niet", &other.to_string()),
    }
}

/// Whether an error should be a Dutch page: a browser (it asks for `text/html`) outside the
/// API. The API (`/api/…`) and every other client keep the JSON error body.
pub fn wants_page(uri: &Uri, headers: &HeaderMap) -> bool {
    let accepts_html = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/html"));
    accepts_html && !uri.path().starts_with("/api/")
}

/// No route: a Dutch page for a browser, else the JSON error.
pub async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    if !wants_page(&uri, &headers) {
        return ApiError::NotFound.into_response();
    }
    message(
        StatusCode::NOT_FOUND,
        None,
        "Pagina niet gevonden",
        "Deze pagina bestaat niet. Controleer het adres, of ga terug naar het begin.",
    )
}

/// A route without this method (e.g. opening a form's address): as [`not_found`].
pub async fn method_not_allowed(uri: Uri, headers: HeaderMap) -> Response {
    if !wants_page(&uri, &headers) {
        return ApiError::MethodNotAllowed.into_response();
    }
    message(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "Dat kan zo niet",
        "Dit adres is er alleen voor een formulier. Ga terug en gebruik de knop op de pagina.",
    )
}

/// A `__Host-` cookie: Secure, Path=/, no Domain.
pub(super) fn set_cookie(name: &str, value: &str, max_age: i64) -> HeaderValue {
    let cookie = format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict");
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static("m19=; Max-Age=0"))
}

pub(super) fn home_of(session: &Session) -> &'static str {
    match session.user.role {
        Role::Intake => "/intake",
        Role::Evaluator => "/stats",
    }
}

pub async fn root(State(s): State<AppState>, headers: HeaderMap) -> Response {
    match from_cookie(&s, &headers).await {
        Ok(Some((_, session))) => Redirect::to(home_of(&session)).into_response(),
        Ok(None) => Redirect::to("/login").into_response(),
        Err(e) => error_page(e, None),
    }
}

fn login_page(status: StatusCode, name: String, error: Option<String>) -> Response {
    let csrf = auth::new_token();
    let mut r = html(
        status,
        &LoginPage {
            who: None,
            csrf: csrf.clone(),
            name,
            error,
        },
    );
    r.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, &csrf, 3600));
    r
}

pub async fn login_form(State(s): State<AppState>, headers: HeaderMap) -> Response {
    match from_cookie(&s, &headers).await {
        Ok(Some((_, session))) => Redirect::to(home_of(&session)).into_response(),
        _ => login_page(StatusCode::OK, String::new(), None),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    /// The second factor: empty at a first sign-in, which sets it up.
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

pub async fn login_submit(
    State(s): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return login_page(
            StatusCode::BAD_REQUEST,
            String::new(),
            Some("Het formulier was onvolledig.".into()),
        );
    };
    let name: String = form.name.chars().take(200).collect();
    if !auth::same_secret(&cookie(&headers, LOGIN_COOKIE).unwrap_or_default(), &form.csrf) {
        return login_page(
            StatusCode::FORBIDDEN,
            name,
            Some("Het formulier is verlopen. Probeer het opnieuw.".into()),
        );
    }
    let code = Some(form.code.as_str());
    match login(&s, &name, &form.password, code, Issued::Page, peer, &headers).await {
        Ok((token, _)) => {
            let target = match s
                .store
                .call({
                    let token = token.clone();
                    move |c| crate::store::directory::session(c, &token, Issued::Page, Utc::now())
                })
                .await
            {
                Ok(Some(session)) => home_of(&session),
                _ => "/login",
            };
            let mut r = Redirect::to(target).into_response();
            let max_age = crate::store::directory::SESSION_LIFETIME.num_seconds();
            r.headers_mut()
                .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, max_age));
            r.headers_mut()
                .append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", 0));
            r
        }
        Err(ApiError::TooManyRequests { retry_after }) => {
            let mut r = login_page(
                StatusCode::TOO_MANY_REQUESTS,
                name,
                Some(format!(
                    "Te veel pogingen. Probeer het over {retry_after} seconden opnieuw."
                )),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            r
        }
        Err(ApiError::Unauthorized) => login_page(
            StatusCode::UNAUTHORIZED,
            name,
            Some("Gebruikersnaam of wachtwoord klopt niet.".into()),
        ),
        Err(ApiError::SecondFactorSetupRequired) => super::second_factor::start_setup(&s, &name).await,
        Err(ApiError::CodeRequired) => login_page(
            StatusCode::UNAUTHORIZED,
            name,
            Some("Vul ook de code uit uw authenticator-app in.".into()),
        ),
        Err(ApiError::CodeInvalid) => login_page(
            StatusCode::UNAUTHORIZED,
            name,
            Some("Die code klopt niet of is al gebruikt. Vul de volgende code uit uw authenticator-app in, of een ongebruikte herstelcode.".into()),
        ),
        Err(e) => error_page(e, None),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Log out with the session's CSRF token: the session ends, its cookie goes and the browser
/// clears what it kept of the site (the inbox does not come back with the Back button). A wrong
/// or missing token ends nothing: 403 with a page that carries a working logout button.
pub async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let (token, session) = match from_cookie(&s, &headers).await {
        Ok(Some(found)) => found,
        // Nothing to end: a dead or unknown session.
        Ok(None) => return logged_out(),
        Err(e) => return error_page(e, None),
    };
    let csrf = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if !auth::same_secret(&session.csrf, &csrf) {
        return message(
            StatusCode::FORBIDDEN,
            Some(Who::from(&session)),
            "Uitloggen lukte niet",
            "Het formulier was verlopen; u bent nog ingelogd. Gebruik de knop Uitloggen bovenaan deze pagina.",
        );
    }
    let ended = s
        .store
        .call(move |c| crate::store::directory::end_session(c, &token))
        .await;
    match ended {
        Ok(()) => logged_out(),
        Err(e) => error_page(e.into(), Some(Who::from(&session))),
    }
}

fn logged_out() -> Response {
    let mut r = Redirect::to("/login").into_response();
    let h = r.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0));
    h.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    r
}

/// The pages' icon (a plain pharmacy cross), cached for a day: no 404 on any page load.
pub async fn icon_png() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_bytes!("../../../assets/icon/apotheek.png").as_slice(),
    )
}

/// `/favicon.ico`, which browsers ask for by themselves (a JSON download, a print preview).
pub async fn icon_ico() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/vnd.microsoft.icon"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_bytes!("../../../assets/icon/apotheek.ico").as_slice(),
    )
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../../assets/server.css"),
    )
}
