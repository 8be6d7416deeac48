//! The intake API for a region's own systems (an intake user's bearer token, scoped to the
//! user's region: another region's report is 404).

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::body::{json_object, optional_json_object};
use super::params::{ApiPath, bad_query, query_pairs};
use super::users::{from_bearer, intake_region};
use super::{ApiError, AppState};
use crate::store::inbox::{self, InboxQuery};
use crate::store::intake::{self, Action, IntakeReport, Refusal};
use meldcode::Rule;
use meldcode::intake::{AuditAction, Filter};

/// The caller's region and name.
async fn caller(s: &AppState, headers: &HeaderMap) -> Result<(String, String), ApiError> {
    let session = from_bearer(s, headers).await?;
    Ok((intake_region(&session)?, session.user.name))
}

fn report_id(id: &str) -> Result<String, ApiError> {
    uuid::Uuid::parse_str(id)
        .map(|u| u.to_string())
        .map_err(|_| ApiError::NotFound)
}

/// A report of the caller's region, checked before its body is read: another region's report
/// is "not found", whatever the request carries.
async fn own_report(s: &AppState, id: &str, region: &str) -> Result<String, ApiError> {
    let id = report_id(id)?;
    let (lookup, r) = (id.clone(), region.to_owned());
    match s.store.read(move |c| intake::status_in_region(c, &lookup, &r)).await? {
        Some(_) => Ok(id),
        None => Err(ApiError::NotFound),
    }
}

/// The inbox's query: `status=open|acknowledged|transferred|closed|all` (default `open`),
/// `q=TEXT` (at most [`inbox::MAX_QUERY_CHARS`]) and `page=N` (from 1); other parameters are
/// left to the caller. A bad value is the contract's `400` naming the parameter.
pub fn inbox_query(query: Option<&str>) -> Result<InboxQuery, ApiError> {
    let mut q = InboxQuery {
        filter: Filter::Open,
        q: String::new(),
        page: 1,
    };
    for (name, value) in query_pairs(query) {
        match name.as_str() {
            "page" => {
                q.page = value
                    .parse::<u32>()
                    .ok()
                    .filter(|p| (1..=inbox::MAX_INBOX_PAGE).contains(p))
                    .ok_or_else(|| {
                        bad_query(
                            "page",
                            Rule::Range,
                            format!("a page number from 1 to {}", inbox::MAX_INBOX_PAGE),
                        )
                    })?;
            }
            "status" => {
                q.filter = Filter::from_code(&value).ok_or_else(|| {
                    bad_query(
                        "status",
                        Rule::InvalidValue,
                        "one of open, acknowledged, transferred, closed, all",
                    )
                })?;
            }
            "q" if value.chars().count() > inbox::MAX_QUERY_CHARS => {
                return Err(bad_query(
                    "q",
                    Rule::MaxLength,
                    format!("at most {} characters", inbox::MAX_QUERY_CHARS),
                ));
            }
            "q" => q.q = value,
            _ => {}
        }
    }
    Ok(q)
}

/// The inbox, a page of [`inbox::INBOX_PAGE_SIZE`] at a time, with the total, whether another
/// page follows, and the count of every filter. `status=transferred` lists the stubs of what
/// the region handed over: no content.
pub async fn list(State(s): State<AppState>, headers: HeaderMap, uri: Uri) -> Result<Json<Value>, ApiError> {
    let (region, _) = caller(&s, &headers).await?;
    let query = inbox_query(uri.query())?;
    let page = query.page;
    let filter = query.filter;
    let found = s
        .store
        .read(move |c| inbox::inbox(c, &region, &query, Utc::now()))
        .await?;
    let reports = if filter == Filter::Transferred {
        serde_json::to_value(&found.stubs)
    } else {
        serde_json::to_value(&found.items)
    }
    .unwrap_or_default();
    Ok(Json(json!({
        "status": filter.code(),
        "has_more": found.has_more(page),
        "page": page,
        "page_size": inbox::INBOX_PAGE_SIZE,
        "total": found.total,
        "counts": found.counts,
        "reports": reports,
    })))
}

/// One report; the view is written to its audit log.
pub async fn show(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<IntakeReport>, ApiError> {
    let (region, actor) = caller(&s, &headers).await?;
    let id = report_id(&id)?;
    view(&s, id, region, actor, AuditAction::ApiView)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Read a report of the region and record who saw it.
pub async fn view(
    s: &AppState,
    id: String,
    region: String,
    actor: String,
    action: AuditAction,
) -> Result<Option<IntakeReport>, ApiError> {
    Ok(s.store
        .call(move |c| {
            let now = Utc::now();
            // Only a report this region may see is logged as seen, and then read once.
            if intake::status_in_region(c, &id, &region)?.is_none() {
                return Ok(None);
            }
            intake::audit(c, &id, &actor, &region, action, None, now)?;
            intake::get(c, &id, &region)
        })
        .await?)
}

#[derive(Debug, Deserialize)]
pub struct TransferBody {
    pub vt_region: String,
    /// Required: why the report goes to another region (the old region keeps it in its stub).
    #[serde(default)]
    pub reason: Option<String>,
    /// A sealed report re-sealed (armored age) to the target region's keys: required for a
    /// sealed report, refused for a report v1.
    #[serde(default)]
    pub sealed: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CloseBody {
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Transitioned {
    pub id: String,
    pub status: meldcode::Status,
}

/// Do `action` as `actor` of `region`: the new status, or why it cannot be done (the rules of
/// [`meldcode::intake::check_transfer`] and [`meldcode::intake::check_close`], a transition
/// the status does not allow, a purged report). `Err` only for a fault of the store.
pub async fn try_act(
    s: &AppState,
    id: String,
    region: String,
    actor: String,
    action: Action,
) -> Result<Result<Transitioned, Refusal>, ApiError> {
    let done_id = id.clone();
    let status = s
        .store
        .call(move |c| intake::act(c, &id, &region, &actor, &action, Utc::now()))
        .await?;
    if status == Ok(meldcode::Status::Received) {
        s.forwarder_wake.notify_one(); // a transfer queues a delivery to the new region
    }
    Ok(status.map(|status| Transitioned { id: done_id, status }))
}

/// [`try_act`] for the API: a refusal is its error body (English sentences).
pub async fn act(
    s: &AppState,
    id: String,
    region: String,
    actor: String,
    action: Action,
) -> Result<Transitioned, ApiError> {
    Ok(try_act(s, id, region, actor, action).await??)
}

pub async fn acknowledge(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Transitioned>, ApiError> {
    let (region, actor) = caller(&s, &headers).await?;
    Ok(Json(
        act(&s, report_id(&id)?, region, actor, Action::Acknowledge).await?,
    ))
}

pub async fn transfer(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    body: Body,
) -> Result<Json<Transitioned>, ApiError> {
    let (region, actor) = caller(&s, &headers).await?;
    let id = own_report(&s, &id, &region).await?;
    let req: TransferBody = json_object(&headers, body).await?;
    Ok(Json(
        act(
            &s,
            id,
            region,
            actor,
            Action::Transfer {
                to: req.vt_region,
                reason: req.reason,
                sealed: req.sealed,
            },
        )
        .await?,
    ))
}

pub async fn close(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    body: Body,
) -> Result<Json<Transitioned>, ApiError> {
    let (region, actor) = caller(&s, &headers).await?;
    let id = own_report(&s, &id, &region).await?;
    let req: CloseBody = optional_json_object(&headers, body).await?;
    Ok(Json(
        act(&s, id, region, actor, Action::Close { reason: req.reason }).await?,
    ))
}
