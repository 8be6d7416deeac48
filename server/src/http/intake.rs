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
use crate::store::intake::{self, Action, IntakeReport};

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

/// `page=N` (from 1; default 1) of a query string; other parameters are left to the caller.
pub fn inbox_page(query: Option<&str>) -> Result<u32, ApiError> {
    let mut page = 1;
    for (name, value) in query_pairs(query) {
        if name == "page" {
            page = value
                .parse::<u32>()
                .ok()
                .filter(|p| (1..=intake::MAX_INBOX_PAGE).contains(p))
                .ok_or_else(|| {
                    bad_query(
                        "page",
                        meldcode::Rule::Range,
                        format!("a page number from 1 to {}", intake::MAX_INBOX_PAGE),
                    )
                })?;
        }
    }
    Ok(page)
}

/// The inbox, a page of [`intake::INBOX_PAGE_SIZE`] at a time, with the total and whether
/// another page follows.
pub async fn list(State(s): State<AppState>, headers: HeaderMap, uri: Uri) -> Result<Json<Value>, ApiError> {
    let (region, _) = caller(&s, &headers).await?;
    let page = inbox_page(uri.query())?;
    let inbox = s.store.call(move |c| intake::inbox(c, &region, page)).await?;
    Ok(Json(json!({
        "has_more": inbox.has_more(page),
        "page": page,
        "page_size": intake::INBOX_PAGE_SIZE,
        "total": inbox.total,
        "reports": inbox.items,
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
    view(&s, id, region, actor, "api_view")
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
    action: &'static str,
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

pub async fn act(
    s: &AppState,
    id: String,
    region: String,
    actor: String,
    action: Action,
) -> Result<Transitioned, ApiError> {
    if let Action::Close { reason: Some(r) } = &action
        && r.chars().count() > meldcode::validate::MAX_TEXT_CHARS
    {
        return Err(ApiError::Invalid(vec![meldcode::FieldError::new(
            "/reason",
            meldcode::Rule::MaxLength,
            "at most 4000 characters",
        )]));
    }
    let done_id = id.clone();
    let status = s
        .store
        .call(move |c| intake::act(c, &id, &region, &actor, &action, Utc::now()))
        .await??;
    if status == meldcode::Status::Received {
        s.forwarder_wake.notify_one(); // a transfer queues a delivery to the new region
    }
    Ok(Transitioned { id: done_id, status })
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
        act(&s, id, region, actor, Action::Transfer { to: req.vt_region }).await?,
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
