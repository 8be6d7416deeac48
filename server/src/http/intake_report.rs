//! A report on the intake page, in the order intake works (how to call safely first, then the
//! person, the children, the signals, the afwegingskader, consultation, reporter and pharmacy,
//! then the history and the audit log in Dutch with people's names); its print version and its
//! JSON download (the webhook's `data`), both written to the audit log. The actions on it are
//! in [`super::intake_actions`].

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use meldcode::describe::local_time;
use meldcode::flow::{Question, Step};
use meldcode::intake::{self as words, AuditAction, Text, status_label};
use meldcode::texts::Label;
use serde::Deserialize;

use super::intake::view;
use super::intake_call::{self, Phone, RouteView, phone};
use super::intake_pages::{LANG, gemeente_name, intake_session, region_name};
use super::nowrap::filters;
use super::pages::{Who, error_page, html};
use super::param_pages::PagePath;
use super::{ApiError, AppState};
use crate::store::intake::{self, IntakeReport};

pub struct RowView {
    pub label: &'static str,
    pub value: String,
    pub strong: bool,
    pub tel: Option<Phone>,
}

pub struct SectionView {
    pub title: &'static str,
    pub prominent: bool,
    pub warnings: Vec<&'static str>,
    pub rows: Vec<RowView>,
}

pub struct PharmacyView {
    pub name: String,
    pub address: String,
    pub phone: Option<Phone>,
    pub gemeente: String,
}

pub struct AuditView {
    pub at: String,
    pub what: String,
    pub region: String,
    pub detail: String,
}

/// The messages at the action forms' fields, in Dutch.
#[derive(Default)]
pub struct FieldErrors {
    pub vt_region: Option<String>,
    pub transfer_reason: Option<String>,
    pub close_reason: Option<String>,
}

/// What the action forms show again after a mistake: what was filled in, the message at each
/// field that breaks a rule, and the field that gets the focus (the first of them).
#[derive(Default)]
pub struct ActionDraft {
    pub vt_region: String,
    pub transfer_reason: String,
    pub close_reason: String,
    pub errors: FieldErrors,
    pub focus: &'static str,
}

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    who: Option<Who>,
    id: String,
    kenmerk: String,
    kind: &'static str,
    received: String,
    created: Option<String>,
    status: &'static str,
    region: String,
    notice: Option<String>,
    error: Option<String>,
    purged: bool,
    /// A sealed report: what its envelope says (the content opens with the region's key).
    sealed: Option<SealedView>,
    acute_112: Option<String>,
    accompanied: bool,
    handled_by: Option<String>,
    closed: Option<String>,
    sections: Vec<SectionView>,
    pharmacy: Option<PharmacyView>,
    open: bool,
    can_acknowledge: bool,
    csrf: String,
    regions: Vec<(String, String, bool)>,
    draft: ActionDraft,
    transferred_in: Option<String>,
    route: Option<RouteView>,
    history: Vec<(String, &'static str, String)>,
    audit: Vec<AuditView>,
    print: bool,
    texts: Texts,
}

/// Labels the template shows, all from `meldcode`.
struct Texts {
    kenmerk: &'static str,
    confidential: &'static str,
    received: &'static str,
    created: &'static str,
    pharmacy: &'static str,
    name: &'static str,
    address: &'static str,
    phone: &'static str,
    called_112: &'static str,
    accompanied: &'static str,
    yes: &'static str,
}

impl Texts {
    fn new() -> Texts {
        Texts {
            kenmerk: Text::Kenmerk.label(LANG),
            confidential: Text::Confidential.label(LANG),
            received: Text::ReceivedAt.label(LANG),
            created: Text::CreatedAt.label(LANG),
            pharmacy: Text::Pharmacy.label(LANG),
            name: Text::PharmacyName.label(LANG),
            address: Text::Address.label(LANG),
            phone: Text::Phone.label(LANG),
            called_112: Text::Called112.label(LANG),
            accompanied: Text::Accompanied.label(LANG),
            yes: true.label(LANG),
        }
    }
}

/// What the page shows of a sealed report: its envelope, never its content.
pub struct SealedView {
    channel: &'static str,
    children: u8,
    key_list_version: u64,
}

fn sealed_view(found: &IntakeReport) -> Option<SealedView> {
    found.envelope.as_ref().map(|e| SealedView {
        channel: e.channel.label(LANG),
        children: e.children,
        key_list_version: e.key_list_version,
    })
}

/// The report's sections; the client's safe number is a one-tap `tel:` link only when
/// `dial_client` (see [`super::intake_call`]), the reporter's always.
fn sections(found: &IntakeReport, dial_client: bool) -> Vec<SectionView> {
    let Some(report) = &found.report else {
        return Vec::new();
    };
    let safe_phone = Question::SafePhone.short(LANG);
    let phones = [safe_phone, Question::ReporterPhone.short(LANG)];
    words::sections(report, LANG)
        .into_iter()
        .map(|sec| {
            let safe = sec.step == Step::SafeContact;
            SectionView {
                title: if safe { Text::CallSafely.label(LANG) } else { sec.title },
                prominent: safe,
                warnings: match (&report.safe_contact, safe) {
                    (Some(sc), true) => words::warnings(sc).iter().map(|w| w.label(LANG)).collect(),
                    _ => Vec::new(),
                },
                rows: sec
                    .rows
                    .into_iter()
                    .map(|row| RowView {
                        tel: (phones.contains(&row.label) && (dial_client || row.label != safe_phone))
                            .then(|| phone(&row.value))
                            .flatten(),
                        label: row.label,
                        value: row.value,
                        strong: row.prominent,
                    })
                    .collect(),
            }
        })
        .collect()
}

fn audit_view(found: &IntakeReport) -> Vec<AuditView> {
    found
        .audit
        .iter()
        .map(|a| {
            let action = AuditAction::from_code(&a.action);
            let detail = a.detail.clone().unwrap_or_default();
            AuditView {
                at: local_time(a.at),
                what: action.map_or_else(|| format!("{} {}", a.action, a.actor), |x| x.sentence(&a.actor, LANG)),
                region: a.vt_region.clone().unwrap_or_default(),
                detail: match (&a.to_region, detail.is_empty()) {
                    (Some(to), true) => format!("naar {}", region_name(to)),
                    (Some(to), false) => format!("naar {} — reden: {detail}", region_name(to)),
                    (None, _) => detail,
                },
            }
        })
        .collect()
}

/// "Overgedragen door VT01 Amsterdam-Amstelland op … — reden: …" when another region handed
/// the report to this one (its last transfer into this region).
fn transferred_in(found: &IntakeReport) -> Option<String> {
    let t = found
        .audit
        .iter()
        .rev()
        .find(|a| a.action == AuditAction::Transfer.code() && a.to_region.as_deref() == Some(&found.vt_region))?;
    let from = region_name(t.vt_region.as_deref().unwrap_or("—"));
    Some(words::transferred_in(&from, t.at, t.detail.as_deref(), LANG))
}

/// The page for a report the region holds; `dial_anyway`: the worker chose to call the client
/// outside the safe times.
pub fn page(
    found: IntakeReport,
    who: Who,
    notice: Option<String>,
    error: Option<String>,
    draft: ActionDraft,
    dial_anyway: bool,
) -> ReportPage {
    let region = found.vt_region.clone();
    let route = intake_call::route(&found, Utc::now(), dial_anyway, LANG);
    let regions = meldcode::regions::latest()
        .regions()
        .filter(|r| r.code != region)
        .map(|r| (r.code.clone(), r.name.clone(), r.code == draft.vt_region))
        .collect();
    ReportPage {
        csrf: who.csrf.clone(),
        who: Some(who),
        kenmerk: found.kenmerk.clone(),
        kind: found.kind.label(LANG),
        received: local_time(found.received_at),
        created: found.created_at.map(local_time),
        status: status_label(found.status, LANG),
        region,
        notice,
        error,
        purged: found.report.is_none() && found.envelope.is_none(),
        sealed: sealed_view(&found),
        acute_112: found
            .report
            .as_ref()
            .and_then(|r| r.acute_112_at)
            .or(found.envelope.as_ref().and_then(|e| e.acute_112_at))
            .map(local_time),
        accompanied: found.report.as_ref().is_some_and(|r| r.accompanied)
            || found.envelope.as_ref().is_some_and(|e| e.accompanied),
        handled_by: found.handled_by.as_ref().map(|h| words::handled_by(&h.by, h.at, LANG)),
        closed: found
            .closed
            .as_ref()
            .map(|c| words::closed_by(&c.by, c.at, found.close_reason.as_deref(), LANG)),
        sections: sections(&found, route.as_ref().is_some_and(|r| r.may_dial)),
        transferred_in: transferred_in(&found),
        route,
        pharmacy: found.pharmacy.as_ref().map(|p| PharmacyView {
            name: p.name.clone(),
            address: p.address.clone().unwrap_or_else(|| "—".into()),
            phone: p.phone.as_deref().and_then(phone),
            gemeente: gemeente_name(&p.gemeente),
        }),
        open: found.status.is_open(),
        can_acknowledge: found.status.can_become(meldcode::Status::Acknowledged),
        regions,
        draft,
        history: found
            .history
            .iter()
            .map(|e| {
                (
                    local_time(e.at),
                    status_label(e.status, LANG),
                    e.vt_region.clone().unwrap_or_default(),
                )
            })
            .collect(),
        audit: audit_view(&found),
        print: false,
        texts: Texts::new(),
        id: found.id,
    }
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
    /// `toch`: show the client's number outside the safe times (see [`super::intake_call`]).
    bellen: Option<String>,
}

/// Read a report of the caller's region for a page, recording `action` in its audit log.
pub async fn load(
    s: &AppState,
    headers: &HeaderMap,
    id: &str,
    action: AuditAction,
) -> Result<(IntakeReport, Who), Response> {
    let (session, region) = intake_session(s, headers).await?;
    let who = Who::from(&session);
    let Ok(id) = uuid::Uuid::parse_str(id).map(|u| u.to_string()) else {
        return Err(error_page(ApiError::NotFound, Some(who)));
    };
    match view(s, id, region, session.user.name.clone(), action).await {
        Ok(Some(r)) => Ok((r, who)),
        Ok(None) => Err(error_page(ApiError::NotFound, Some(who))),
        Err(e) => Err(error_page(e, Some(who))),
    }
}

pub async fn report(
    State(s): State<AppState>,
    headers: HeaderMap,
    PagePath(id): PagePath<String>,
    Query(q): Query<Notice>,
) -> Response {
    let notice = q.done.as_deref().map(|d| match d {
        "acknowledge" => "In behandeling genomen.",
        "close" => "Afgesloten.",
        _ => "Gedaan.",
    });
    // Showing the number outside the safe times is a decision: the audit log says who took it.
    let anyway = q.bellen.as_deref() == Some(intake_call::DIAL_ANYWAY);
    let action = if anyway {
        AuditAction::DialAnyway
    } else {
        AuditAction::View
    };
    match load(&s, &headers, &id, action).await {
        Ok((found, who)) => html(
            StatusCode::OK,
            &page(
                found,
                who,
                notice.map(str::to_owned),
                None,
                ActionDraft::default(),
                anyway,
            ),
        ),
        Err(r) => r,
    }
}

/// The print version: no forms and no navigation; the kenmerk and "Vertrouwelijk" on every page.
pub async fn print(State(s): State<AppState>, headers: HeaderMap, PagePath(id): PagePath<String>) -> Response {
    match load(&s, &headers, &id, AuditAction::Print).await {
        Ok((found, who)) => {
            let mut view = page(found, who, None, None, ActionDraft::default(), false);
            view.print = true;
            view.route = None; // what is safe "now" is not true on paper later
            html(StatusCode::OK, &view)
        }
        Err(r) => r,
    }
}

/// The report as JSON in the webhook's `data` format, as a download, for a case system
/// without a webhook.
pub async fn export(State(s): State<AppState>, headers: HeaderMap, PagePath(id): PagePath<String>) -> Response {
    let (session, region) = match intake_session(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let who = Who::from(&session);
    let Ok(id) = uuid::Uuid::parse_str(&id).map(|u| u.to_string()) else {
        return error_page(ApiError::NotFound, Some(who));
    };
    let (actor, lookup) = (session.user.name.clone(), id.clone());
    let found = s
        .store
        .call(move |c| {
            let Some(_) = intake::body_in_region(c, &lookup, &region)? else {
                return Ok(None);
            };
            intake::audit(c, &lookup, &actor, &region, AuditAction::Export, None, Utc::now())?;
            Ok(intake::body_in_region(c, &lookup, &region)?.map(|b| (b, region)))
        })
        .await;
    let ((body, status), region) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return error_page(ApiError::NotFound, Some(who)),
        Err(e) => return error_page(ApiError::from(e), Some(who)),
    };
    let data = crate::forward::webhook_data(&body, &region, status.code());
    let file = format!("attachment; filename=\"masker19-{}.json\"", words::kenmerk(&id));
    let mut response = (StatusCode::OK, axum::Json(data)).into_response();
    if let Ok(v) = HeaderValue::from_str(&file) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
