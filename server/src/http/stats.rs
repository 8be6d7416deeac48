//! `GET /api/v1/stats` (an evaluator's bearer token) and the `/stats` page (an evaluator's
//! login): counts under disclosure control, as JSON, CSV or a page with a chart.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use meldcode::{FieldError, Rule};

use super::users::{from_bearer, from_cookie};
use super::{ApiError, AppState};
use crate::stats::disclosure::Publication;
use crate::stats::period::{Granularity, PeriodId};
use crate::stats::{self, RegionFacts, Table};
use crate::store::directory::{Role, Session};
use crate::store::stats as store;

/// The publication of the whole data set, rebuilt when the counting records change.
/// Keyed by the records' fingerprint and the Amsterdam day: a new day may publish new periods.
pub type StatsCache = Arc<tokio::sync::Mutex<Option<(((i64, i64), NaiveDate), Arc<Publication>)>>>;

/// Today in Europe/Amsterdam, as the statistics count it (a test may set it days ahead).
pub fn amsterdam_today(s: &AppState) -> NaiveDate {
    Utc::now().with_timezone(&meldcode::TIME_ZONE).date_naive() + chrono::Duration::days(s.stats_days_ahead)
}

/// What the statistics are answered as: `json` (default), `csv` (Dutch Excel) or `xlsx` (the
/// `format` parameter; the OpenAPI document shows this very type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

/// A validated query.
pub struct Request {
    pub granularity: Granularity,
    pub from: PeriodId,
    pub to: PeriodId,
    pub format: Format,
}

fn invalid(path: &str, rule: Rule, message: &str) -> FieldError {
    FieldError::new(path, rule, message)
}

/// `period`, `from`, `to`, `format`; defaults: the published quarters of the year of the last
/// published one. A `to` whose period is not published yet is refused.
pub fn parse_request(q: &HashMap<String, String>, today: NaiveDate) -> Result<Request, ApiError> {
    let mut errors = Vec::new();
    for key in q
        .keys()
        .filter(|k| !["period", "from", "to", "format"].contains(&k.as_str()))
    {
        errors.push(invalid(
            &format!("/{}", key.chars().take(40).collect::<String>()),
            Rule::UnknownField,
            "not a parameter of /stats",
        ));
    }
    let granularity = match q.get("period").map(String::as_str) {
        None => Some(Granularity::Quarter),
        Some(code) => Granularity::from_code(code),
    };
    let format = match q.get("format").map(String::as_str) {
        None | Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some("xlsx") => Format::Xlsx,
        Some(_) => {
            errors.push(invalid("/format", Rule::InvalidValue, "json, csv or xlsx"));
            Format::Json
        }
    };
    let Some(g) = granularity else {
        errors.push(invalid(
            "/period",
            Rule::InvalidValue,
            "week, month, quarter, half_year or year",
        ));
        return Err(ApiError::Invalid(errors));
    };
    let last = g.last_published(today);
    let last_day = g.start(last).unwrap_or(today);
    let this_year = NaiveDate::from_ymd_opt(last_day.year(), 1, 1).unwrap_or(last_day);
    let mut bound = |name: &str, default: NaiveDate| match q.get(name) {
        None => Some(g.of(default)),
        Some(label) => {
            let parsed = g.parse(label);
            if parsed.is_none() {
                errors.push(invalid(
                    &format!("/{name}"),
                    Rule::InvalidValue,
                    "a whole period of the chosen granularity, e.g. 2026-W05, 2026-03, 2026-Q1, 2026-H1, 2026",
                ));
            }
            parsed
        }
    };
    let (from, to) = (bound("from", this_year), bound("to", last_day));
    match (from, to) {
        (_, Some(to)) if !g.is_published(to, today) => errors.push(invalid(
            "/to",
            Rule::PeriodNotPublished,
            &format!(
                "a period is published 31 days after its end, when no report can arrive for it any more; the last published one is {}",
                g.label(last)
            ),
        )),
        (Some(from), Some(to)) if from > to => errors.push(invalid("/to", Rule::Range, "to lies before from")),
        (Some(from), Some(to)) if g.range(from, to).len() > 260 => {
            errors.push(invalid("/to", Rule::Range, "at most 260 periods at once"))
        }
        _ => {}
    }
    match (from, to, errors.is_empty()) {
        (Some(from), Some(to), true) => Ok(Request {
            granularity: g,
            from,
            to,
            format,
        }),
        _ => Err(ApiError::Invalid(errors)),
    }
}

async fn publication(s: &AppState) -> Result<Arc<Publication>, ApiError> {
    let version = (s.store.call(|c| store::version(c)).await?, amsterdam_today(s));
    let mut cache = s.stats_cache.lock().await;
    if let Some((v, p)) = cache.as_ref()
        && *v == version
    {
        return Ok(p.clone());
    }
    let started = std::time::Instant::now();
    // Only days that lie in a published period: a report received today, or one transferred
    // before its period is published, cannot change anything an evaluator can see.
    let today = version.1;
    let rows: Vec<_> = s
        .store
        .call(|c| store::day_counts(c))
        .await?
        .into_iter()
        .filter(|r| {
            NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").is_ok_and(|d| crate::stats::period::frozen_on(d) <= today)
        })
        .collect();
    let stored = s.store.read(store::published).await?;
    let read = started.elapsed();
    let day_rows = rows.len();
    let built = tokio::task::spawn_blocking(move || {
        let regions = stats::regions();
        let frozen = stats::published::decode(&stored, &regions).map_err(crate::db::StoreError::Unreadable)?;
        let p = Publication::with_frozen(&stats::atoms(&rows, &regions), &frozen);
        let newly = stats::published::encode(&p.newly_published(&frozen, today), &regions);
        Ok::<_, crate::db::StoreError>((p, newly, frozen.periods()))
    })
    .await
    .map_err(|_| ApiError::Unavailable(crate::db::StoreError::TaskPanicked))?;
    let (built, newly, frozen) = built?;
    if built.unwitnessed() > 0 {
        tracing::error!(
            unwitnessed = built.unwitnessed(),
            "statistics: hidden numbers without a witness"
        );
    }
    let published = newly.len();
    if !newly.is_empty() {
        s.store
            .call(move |c| store::publish(c, store::Kept::Reports, &newly, today))
            .await?;
    }
    tracing::info!(
        day_rows,
        frozen,
        published,
        read_ms = read.as_millis() as u64,
        disclosure_ms = (started.elapsed() - read).as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "statistics rebuilt"
    );
    let built = Arc::new(built);
    *cache = Some((version, built.clone()));
    Ok(built)
}

/// Local midnight of a day, as the store's UTC text.
fn utc_bound(day: Option<NaiveDate>) -> String {
    day.and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(meldcode::TIME_ZONE).earliest())
        .map_or_else(String::new, |t| crate::db::ts(t.with_timezone(&Utc)))
}

pub async fn table(s: &AppState, r: &Request) -> Result<Table, ApiError> {
    let p = publication(s).await?;
    let regions = stats::regions();
    let periods = r.granularity.range(r.from, r.to);
    let (cells, totals) = stats::table_cells(&p, &regions, r.granularity, &periods);
    let (from, to) = (
        utc_bound(r.granularity.start(r.from)),
        utc_bound(r.granularity.end(r.to)),
    );
    let (pharmacies, minutes) = s
        .store
        .call(move |c| {
            Ok((
                store::enrolled_pharmacies(c)?,
                store::acknowledgement_minutes(c, &from, &to)?,
            ))
        })
        .await?;
    let facts = regions
        .iter()
        .map(|(code, name)| RegionFacts {
            vt_region: code.clone(),
            name: name.clone(),
            pharmacies: pharmacies.iter().find(|(r, _)| r == code).map_or(0, |(_, n)| *n),
        })
        .collect();
    let practice = practice_cells(s, &regions, r.granularity, periods.clone()).await?;
    Ok(Table {
        period: r.granularity,
        from: r.granularity.label(r.from),
        to: r.granularity.label(r.to),
        cells,
        totals,
        regions: facts,
        practice,
        medians: stats::period_medians(&minutes, &p, &regions, r.granularity, &periods),
        generated_at: Utc::now(),
    })
}

/// The training uptake as published (practice runs have their own publication, so they never
/// touch the counting records' one), rebuilt when a practice run is added or a new day may
/// publish new periods.
pub type PracticeCache = Arc<tokio::sync::Mutex<Option<((i64, NaiveDate), Arc<stats::practice::Uptake>)>>>;

/// Training uptake for the requested periods.
async fn practice_cells(
    s: &AppState,
    regions: &[(String, String)],
    g: Granularity,
    periods: Vec<PeriodId>,
) -> Result<Vec<stats::practice::PracticeCell>, ApiError> {
    let today = amsterdam_today(s);
    let version = (s.store.read(crate::store::practice::version).await?, today);
    let mut cache = s.practice_cache.lock().await;
    let uptake = match cache.as_ref() {
        Some((v, uptake)) if *v == version => uptake.clone(),
        _ => {
            let rows = s.store.read(crate::store::practice::hours).await?;
            let stored = s.store.read(|c| store::published_of(c, store::Kept::Practice)).await?;
            let all = regions.to_vec();
            let built = tokio::task::spawn_blocking(move || {
                let frozen = stats::published::decode(&stored, &all).map_err(crate::db::StoreError::Unreadable)?;
                let uptake = stats::practice::Uptake::published(&rows, &all, &frozen, today);
                let newly = stats::published::encode(&uptake.newly_published(&frozen, today), &all);
                Ok::<_, crate::db::StoreError>((uptake, newly))
            })
            .await
            .map_err(|_| ApiError::Unavailable(crate::db::StoreError::TaskPanicked))?;
            let (built, newly) = built?;
            if !newly.is_empty() {
                s.store
                    .call(move |c| store::publish(c, store::Kept::Practice, &newly, today))
                    .await?;
            }
            let built = Arc::new(built);
            *cache = Some((version, built.clone()));
            built
        }
    };
    drop(cache);
    Ok(uptake.cells(regions, g, &periods))
}

/// The table as a download: CSV for tools, xlsx for people.
pub fn file_response(t: &Table, format: Format) -> Response {
    let (bytes, content_type, extension) = match format {
        Format::Csv => (
            stats::render::csv(t).map_err(|e| e.to_string()),
            "text/csv; charset=utf-8",
            "csv",
        ),
        _ => (
            stats::xlsx::workbook(t).map_err(|e| e.to_string()),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    match bytes {
        Ok(bytes) => {
            let name = format!(
                "attachment; filename=\"masker19-{}-{}-{}.{extension}\"",
                t.period.code(),
                t.from,
                t.to
            );
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            if let Ok(v) = HeaderValue::from_str(&name) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => {
            // Writing into memory does not fail on any input; should it, it is the server's fault.
            tracing::error!(error = %e, extension, "statistics download");
            let body = serde_json::json!({"error": "the download could not be made", "fields": []});
            (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
        }
    }
}

pub fn require_evaluator(session: &Session) -> Result<(), ApiError> {
    if session.user.role == Role::Evaluator {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

pub async fn api(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let result = async {
        let session = from_bearer(&s, &headers).await?;
        require_evaluator(&session)?;
        let request = parse_request(&q, amsterdam_today(&s))?;
        let started = std::time::Instant::now();
        let t = table(&s, &request).await?;
        Ok::<_, ApiError>((t, request.format, started))
    }
    .await;
    match result {
        Ok((t, format, started)) => {
            let table_ms = started.elapsed().as_millis() as u64;
            let response = match format {
                Format::Json => Json(t).into_response(),
                format => file_response(&t, format),
            };
            let render_ms = started.elapsed().as_millis() as u64 - table_ms;
            tracing::info!(table_ms, render_ms, ?format, "statistics answered");
            response
        }
        Err(e) => e.into_response(),
    }
}

/// The evaluator behind the page cookie.
pub async fn page_session(s: &AppState, headers: &HeaderMap) -> Result<Option<Session>, ApiError> {
    Ok(from_cookie(s, headers).await?.map(|(_, session)| session))
}
