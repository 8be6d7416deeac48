//! The intake pages (Dutch, plain HTML forms, no JavaScript): a region's inbox, a report as
//! readable Dutch with its history and audit log, and the actions on it.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use meldcode::describe::{Row, describe, local_time};
use meldcode::texts::{Label, Lang};
use serde::Deserialize;

use super::intake::{act, view};
use super::pages::{Who, error_page, html, message};
use super::users::{from_cookie, intake_region};
use super::{ApiError, AppState};
use crate::store::directory::Session;
use crate::store::intake::{self, Action};

const LANG: Lang = Lang::Nl;

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
    page: u32,
    total: u64,
    next_page: Option<u32>,
    previous_page: Option<u32>,
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

pub async fn inbox(State(s): State<AppState>, headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let (session, region) = match intake_session(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let page = match super::intake::inbox_page(uri.query()) {
        Ok(page) => page,
        Err(e) => return error_page(e, Some(Who::from(&session))),
    };
    let r = region.clone();
    let inbox = match s.store.call(move |c| intake::inbox(c, &r, page)).await {
        Ok(inbox) => inbox,
        Err(e) => return error_page(e.into(), Some(Who::from(&session))),
    };
    let next_page = inbox.has_more(page).then_some(page + 1);
    let total = inbox.total;
    let rows = inbox
        .items
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
            page,
            total,
            next_page,
            previous_page: page.checked_sub(1).filter(|p| *p >= 1),
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
    if !crate::auth::same_secret(&session.csrf, &form.csrf) {
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
