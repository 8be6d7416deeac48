//! The web pages (Dutch, plain HTML forms, no JavaScript): login, logout and the intake inbox.
//! Every form carries a CSRF token; session cookies are HttpOnly, Secure, SameSite=Strict.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use meldcode::describe::{Row, describe, local_time};
use meldcode::texts::{Label, Lang};
use serde::Deserialize;

use super::access::login;
use super::intake::{act, view};
use super::users::{SESSION_COOKIE, cookie, from_cookie, intake_region};
use super::{ApiError, AppState};
use crate::auth;
use crate::store::directory::{Role, Session};
use crate::store::intake::{self, Action};

const LOGIN_COOKIE: &str = "m19_login";
const LANG: Lang = Lang::Nl;

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

fn message(status: StatusCode, who: Option<Who>, heading: &str, text: &str) -> Response {
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
        ApiError::Unavailable(_) => {
            let mut r = message(
                StatusCode::SERVICE_UNAVAILABLE,
                who,
                "Even niet beschikbaar",
                "Probeer het over enkele seconden opnieuw.",
            );
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(super::error::RETRY_AFTER_UNAVAILABLE),
            );
            r
        }
        other => message(StatusCode::BAD_REQUEST, who, "Dat lukte niet", &other.to_string()),
    }
}

fn set_cookie(name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
    let cookie = format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict");
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static("m19=; Max-Age=0"))
}

fn home_of(session: &Session) -> &'static str {
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
        .append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, &csrf, "/login", 3600));
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
    if form.csrf.is_empty() || cookie(&headers, LOGIN_COOKIE).as_deref() != Some(form.csrf.as_str()) {
        return login_page(
            StatusCode::FORBIDDEN,
            name,
            Some("Het formulier is verlopen. Probeer het opnieuw.".into()),
        );
    }
    match login(&s, &name, &form.password, peer).await {
        Ok((token, _)) => {
            let target = match s
                .store
                .call({
                    let token = token.clone();
                    move |c| crate::store::directory::session(c, &token, Utc::now())
                })
                .await
            {
                Ok(Some(session)) => home_of(&session),
                _ => "/login",
            };
            let mut r = Redirect::to(target).into_response();
            let max_age = crate::store::directory::SESSION_LIFETIME.num_seconds();
            r.headers_mut()
                .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, "/", max_age));
            r.headers_mut()
                .append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", "/login", 0));
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
        Err(e) => error_page(e, None),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    if let (Ok(Some((token, session))), Ok(Form(form))) = (from_cookie(&s, &headers).await, form)
        && form.csrf == session.csrf
    {
        let _ = s
            .store
            .call(move |c| crate::store::directory::end_session(c, &token))
            .await;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", "/", 0));
    r
}

/// The session of a page request, or the response to give instead (to login, or 403).
async fn intake_session(s: &AppState, headers: &HeaderMap) -> Result<(Session, String), Response> {
    match from_cookie(s, headers).await {
        Ok(Some((_, session))) => match intake_region(&session) {
            Ok(region) => Ok((session, region)),
            Err(e) => Err(error_page(e, Some(Who::from(&session)))),
        },
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(error_page(e, None)),
    }
}

struct InboxRow {
    id: String,
    received: String,
    age: String,
    kind: &'static str,
    channel: &'static str,
    accompanied: &'static str,
    status: &'static str,
    status_code: &'static str,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    who: Option<Who>,
    region: String,
    region_name: String,
    items: Vec<InboxRow>,
}

/// "3 uur", "2 dagen": how long a report has waited.
fn age(since: chrono::DateTime<Utc>) -> String {
    let minutes = (Utc::now() - since).num_minutes().max(0);
    match minutes {
        0..60 => format!("{minutes} min"),
        60..2880 => format!("{} uur", minutes / 60),
        _ => format!("{} dagen", minutes / 1440),
    }
}

pub async fn inbox(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let (session, region) = match intake_session(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let r = region.clone();
    let items = match s.store.call(move |c| intake::inbox(c, &r)).await {
        Ok(items) => items,
        Err(e) => return error_page(e.into(), Some(Who::from(&session))),
    };
    let rows = items
        .into_iter()
        .map(|i| InboxRow {
            id: i.id,
            received: local_time(i.received_at),
            age: age(i.received_at),
            kind: i.kind.label(LANG),
            channel: i.channel.label(LANG),
            accompanied: i.accompanied.map_or("—", |a| a.label(LANG)),
            status: i.status.label(LANG),
            status_code: i.status.code(),
        })
        .collect();
    let region_name = meldcode::regions::latest()
        .region(&region)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    html(
        StatusCode::OK,
        &InboxPage {
            who: Some(Who::from(&session)),
            region,
            region_name,
            items: rows,
        },
    )
}

struct SectionView {
    title: &'static str,
    prominent: bool,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    who: Option<Who>,
    id: String,
    kind: &'static str,
    received: String,
    status: &'static str,
    region: String,
    notice: Option<String>,
    error: Option<String>,
    purged: bool,
    sections: Vec<SectionView>,
    open: bool,
    can_acknowledge: bool,
    csrf: String,
    regions: Vec<(String, String)>,
    history: Vec<(String, &'static str, String)>,
    audit: Vec<(String, String, String, String, String)>,
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn report(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<Notice>,
) -> Response {
    let notice = q.done.as_deref().map(|d| match d {
        "acknowledge" => "In behandeling genomen.",
        "close" => "Afgesloten.",
        _ => "Gedaan.",
    });
    render_report(&s, &headers, &id, notice.map(str::to_owned), None, StatusCode::OK).await
}

async fn render_report(
    s: &AppState,
    headers: &HeaderMap,
    id: &str,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let (session, region) = match intake_session(s, headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let who = Who::from(&session);
    let Ok(id) = uuid::Uuid::parse_str(id).map(|u| u.to_string()) else {
        return error_page(ApiError::NotFound, Some(who));
    };
    let found = match view(s, id, region.clone(), session.user.name.clone(), "view").await {
        Ok(Some(r)) => r,
        Ok(None) => return error_page(ApiError::NotFound, Some(who)),
        Err(e) => return error_page(e, Some(who)),
    };
    let mut sections: Vec<SectionView> = found
        .report
        .as_ref()
        .map(|r| describe(r, LANG))
        .unwrap_or_default()
        .into_iter()
        .map(|sec| SectionView {
            title: sec.title,
            prominent: sec.step == meldcode::flow::Step::SafeContact,
            rows: sec.rows,
        })
        .collect();
    // How to reach the person safely comes first.
    sections.sort_by_key(|sec| !sec.prominent);
    let regions = meldcode::regions::latest()
        .regions()
        .filter(|r| r.code != region)
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect();
    let page = ReportPage {
        who: Some(who),
        kind: found.kind.label(LANG),
        received: local_time(found.received_at),
        status: found.status.label(LANG),
        region,
        notice,
        error,
        purged: found.report.is_none(),
        sections,
        open: found.status.is_open(),
        can_acknowledge: found.status.can_become(meldcode::Status::Acknowledged),
        csrf: session.csrf.clone(),
        regions,
        history: found
            .history
            .iter()
            .map(|e| {
                (
                    local_time(e.at),
                    e.status.label(LANG),
                    e.vt_region.clone().unwrap_or_default(),
                )
            })
            .collect(),
        audit: found
            .audit
            .iter()
            .map(|a| {
                (
                    local_time(a.at),
                    a.actor.clone(),
                    a.vt_region.clone().unwrap_or_default(),
                    a.action.clone(),
                    a.detail.clone().unwrap_or_default(),
                )
            })
            .collect(),
        id: found.id,
    };
    html(status, &page)
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    vt_region: String,
    #[serde(default)]
    reason: String,
}

pub async fn action(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let (session, region) = match intake_session(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(Form(form)) = form else {
        return error_page(
            ApiError::BadRequest("Het formulier was onvolledig.".into()),
            Some(Who::from(&session)),
        );
    };
    if form.csrf != session.csrf {
        return message(
            StatusCode::FORBIDDEN,
            Some(Who::from(&session)),
            "Formulier verlopen",
            "Laad de pagina opnieuw en probeer het nog eens.",
        );
    }
    let Ok(report_id) = uuid::Uuid::parse_str(&id).map(|u| u.to_string()) else {
        return error_page(ApiError::NotFound, Some(Who::from(&session)));
    };
    let action = match action.as_str() {
        "acknowledge" => Action::Acknowledge,
        "transfer" => Action::Transfer {
            to: form.vt_region.trim().to_owned(),
        },
        "close" => Action::Close {
            reason: Some(form.reason),
        },
        _ => return error_page(ApiError::NotFound, Some(Who::from(&session))),
    };
    let code = action.code();
    match act(&s, report_id.clone(), region, session.user.name.clone(), action).await {
        // After a transfer this region no longer sees the report.
        Ok(_) if code == "transfer" => Redirect::to("/intake").into_response(),
        Ok(_) => Redirect::to(&format!("/intake/reports/{report_id}?done={code}")).into_response(),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            // In Dutch, for the intake worker; the API keeps its English sentences.
            let text = match &e {
                ApiError::Invalid(fields) if fields.iter().any(|f| f.path == "/reason") => {
                    "Geef een reden: u sluit af zonder de melding eerst in behandeling te nemen.".to_owned()
                }
                ApiError::Invalid(fields) if fields.iter().any(|f| f.path == "/vt_region") => {
                    "Kies een andere Veilig Thuis-regio om aan over te dragen.".to_owned()
                }
                ApiError::Invalid(_) => "Dit formulier is niet volledig of te lang.".to_owned(),
                _ => "Dat kan niet meer: de status van deze melding is intussen veranderd.".to_owned(),
            };
            render_report(
                &s,
                &headers,
                &report_id,
                None,
                Some(text),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error_page(e, Some(Who::from(&session))),
    }
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
