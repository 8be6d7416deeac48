//! The `/stats` page: the same numbers as the API, as a map, trend charts and tables, all
//! server-rendered (no JavaScript); and its downloads, CSV and xlsx.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use meldcode::texts::{Label, Lang};
use meldcode::{Channel, Kind};

use super::pages::{Who, error_page, html};
use super::stats::{Format, amsterdam_today, file_response, page_session, parse_request, require_evaluator, table};
use super::{ApiError, AppState};
use crate::stats::charts::{HATCH, MapView, TREND_HEIGHT, TREND_WIDTH, Trend, map_view, trends};
use crate::stats::form::{self, MAP_KIND, MAP_PERIOD, Preset};
use crate::stats::map::MAP;
use crate::stats::period::Granularity;
use crate::stats::{Table, hours_minutes};

const LANG: Lang = Lang::Nl;
const ALL_KINDS: &str = "alle soorten";

struct Row {
    label: String,
    values: Vec<String>,
}

/// The form as the evaluator filled it in (values kept on an error).
struct FormView {
    granularities: Vec<(&'static str, &'static str, bool)>,
    period: String,
    from: String,
    to: String,
    presets: Vec<Preset>,
    /// The fields the server refused (only those are marked invalid).
    from_invalid: bool,
    to_invalid: bool,
}

/// The numbers of one shown table: the map, the trends, the tables.
struct Shown {
    query: String,
    periods: Vec<String>,
    map_periods: Vec<(String, bool)>,
    /// The map's kind selector: code ("" for all), label, selected.
    map_kinds: Vec<(&'static str, &'static str, bool)>,
    /// What the map counts: "alle soorten" or the kind's label.
    map_kind_label: &'static str,
    map: Option<MapView>,
    national_trend: Trend,
    region_trends: Vec<Trend>,
    trend_max: u32,
    /// The national trend's scale: its highest published value.
    national_max: String,
    /// Few enough periods to write each bar's value beneath the small charts.
    values_fit: bool,
    /// Few enough periods to write each bar's value above the national chart.
    national_values_fit: bool,
    /// The periods whose national total is `x` (said in words: it may be large).
    national_x: String,
    /// Some region's total is `x`.
    region_x: bool,
    /// Per region what is not per period: pharmacies, practice, the last period's median.
    summary_rows: Vec<Row>,
    /// The period whose median the summary shows (the range's last).
    last_period: String,
    region_rows: Vec<Row>,
    median_rows: Vec<Row>,
    national_rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    who: Option<Who>,
    form: FormView,
    errors: Vec<String>,
    shown: Option<Shown>,
    hatch: &'static str,
    trend_width: u32,
    trend_height: u32,
}

fn form_view(q: &HashMap<String, String>, today: NaiveDate) -> FormView {
    let g = q
        .get("period")
        .and_then(|p| Granularity::from_code(p))
        .unwrap_or(Granularity::Quarter);
    let value = |k: &str| q.get(k).cloned().unwrap_or_default();
    FormView {
        granularities: Granularity::ALL.map(|c| (c.code(), form::label(c), c == g)).to_vec(),
        period: g.code().to_owned(),
        from: value("from"),
        to: value("to"),
        presets: form::presets(g, today),
        from_invalid: false,
        to_invalid: false,
    }
}

/// "Geoefend": the share of enrolled pharmacies that practised in the whole range.
fn practised(t: &Table, region: Option<&str>, enrolled: u32) -> String {
    t.practice
        .iter()
        .find(|c| c.period.is_none() && c.vt_region.as_deref() == region)
        .map_or_else(String::new, |c| {
            crate::stats::practice::share_text(&c.pharmacies, enrolled)
        })
}

/// The map's kind: one of [`Kind::ALL`] by its code, or `None` (all kinds) when absent, empty or
/// unknown.
fn map_kind(code: Option<&String>) -> Option<Kind> {
    code.and_then(|c| Kind::from_code(c))
}

fn shown(t: &Table, map_period: Option<&String>, kind: Option<Kind>) -> Shown {
    let periods = t.periods();
    let last_period = periods.last().cloned().unwrap_or_default();
    let last_median = |code: &str| {
        t.medians
            .iter()
            .find(|m| m.vt_region == code && m.period == last_period)
            .and_then(|m| m.minutes)
            .map_or("—".to_owned(), hours_minutes)
    };
    let enrolled: u32 = t.regions.iter().map(|r| r.pharmacies).sum();
    let summary_rows: Vec<Row> = t
        .regions
        .iter()
        .map(|r| Row {
            label: format!("{} {}", r.vt_region, r.name),
            values: vec![
                r.pharmacies.to_string(),
                practised(t, Some(r.vt_region.as_str()), r.pharmacies),
                last_median(&r.vt_region),
            ],
        })
        .chain(std::iter::once(Row {
            label: "Nederland".into(),
            values: vec![enrolled.to_string(), practised(t, None, enrolled), "—".to_owned()],
        }))
        .collect();
    let region_rows: Vec<Row> = t
        .regions
        .iter()
        .map(|r| Row {
            label: format!("{} {}", r.vt_region, r.name),
            values: periods
                .iter()
                .map(|p| t.total(p, Some(&r.vt_region)).to_owned())
                .collect(),
        })
        .chain(std::iter::once(Row {
            label: "Nederland".into(),
            values: periods.iter().map(|p| t.total(p, None).to_owned()).collect(),
        }))
        .collect();
    let median_rows = t
        .regions
        .iter()
        .map(|r| Row {
            label: format!("{} {}", r.vt_region, r.name),
            values: t
                .medians
                .iter()
                .filter(|m| m.vt_region == r.vt_region)
                .map(|m| m.minutes.map_or("—".to_owned(), hours_minutes))
                .collect(),
        })
        .collect();
    let mut national_rows = Vec::new();
    for kind in Kind::ALL {
        for channel in Channel::ALL {
            let count = |p: &String| {
                t.totals
                    .iter()
                    .find(|c| {
                        c.period == *p && c.vt_region.is_none() && c.kind == Some(kind) && c.channel == Some(channel)
                    })
                    .map_or("0".to_owned(), |c| c.count.clone())
            };
            national_rows.push(Row {
                label: format!("{} · {}", kind.label(LANG), channel.label(LANG)),
                values: periods.iter().map(count).collect(),
            });
        }
    }
    let chosen = map_period
        .filter(|p| periods.contains(p))
        .or(periods.last())
        .cloned()
        .unwrap_or_default();
    let (national_trend, region_trends, trend_max) = trends(t);
    let values_fit = periods.len() <= 13;
    let national_values_fit = periods.len() <= 26;
    let national_x: String = periods
        .iter()
        .filter(|p| t.total(p, None) == "x")
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let region_x = t
        .regions
        .iter()
        .any(|r| periods.iter().any(|p| t.total(p, Some(&r.vt_region)) == "x"));
    let national_max = national_trend
        .values
        .iter()
        .filter_map(|v| v.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        .max(5)
        .to_string();
    Shown {
        query: format!("period={}&from={}&to={}", t.period.code(), t.from, t.to),
        map_periods: periods.iter().map(|p| (p.clone(), *p == chosen)).collect(),
        map_kinds: std::iter::once(("", ALL_KINDS, kind.is_none()))
            .chain(Kind::ALL.map(|k| (k.code(), k.label(LANG), kind == Some(k))))
            .collect(),
        map_kind_label: kind.map_or(ALL_KINDS, |k| k.label(LANG)),
        map: MAP.as_ref().map(|m| map_view(m, t, &chosen, kind)),
        periods,
        national_trend,
        region_trends,
        trend_max,
        national_max,
        values_fit,
        national_values_fit,
        national_x,
        region_x,
        summary_rows,
        last_period,
        region_rows,
        median_rows,
        national_rows,
    }
}

async fn evaluator(s: &AppState, headers: &HeaderMap) -> Result<Who, Response> {
    match page_session(s, headers).await {
        Ok(Some(session)) => match require_evaluator(&session) {
            Ok(()) => Ok(Who::from(&session)),
            Err(e) => Err(error_page(e, Some(Who::from(&session)))),
        },
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(error_page(e, None)),
    }
}

fn page_of(who: Who, form: FormView, errors: Vec<String>, shown: Option<Shown>) -> StatsPage {
    StatsPage {
        who: Some(who),
        form,
        errors,
        shown,
        hatch: HATCH,
        trend_width: TREND_WIDTH,
        trend_height: TREND_HEIGHT,
    }
}

pub async fn page(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let who = match evaluator(&s, &headers).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let today = amsterdam_today(&s);
    let api_query = form::api_query(&q, today);
    let request = match parse_request(&api_query, today) {
        Ok(r) => r,
        // A wrong value: the form again, with what was typed and a Dutch message.
        Err(ApiError::Invalid(fields)) => {
            return refused_page(who, &fields, &api_query, today);
        }
        Err(e) => return error_page(e, Some(who)),
    };
    match table(&s, &request).await {
        Ok(t) => {
            let mut values = api_query.clone();
            values.insert("from".into(), t.from.clone());
            values.insert("to".into(), t.to.clone());
            let page = page_of(
                who,
                form_view(&values, today),
                Vec::new(),
                Some(shown(&t, q.get(MAP_PERIOD), map_kind(q.get(MAP_KIND)))),
            );
            html(StatusCode::OK, &page)
        }
        Err(e) => error_page(e, Some(who)),
    }
}

/// Whether the request comes from a browser page (it asks for HTML), not from a program.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The page's form again with the refused values marked and a Dutch message for each (422).
fn refused_page(who: Who, fields: &[meldcode::FieldError], q: &HashMap<String, String>, today: NaiveDate) -> Response {
    let messages = form::messages(fields, q, today);
    let mut view = form_view(q, today);
    view.from_invalid = fields.iter().any(|f| f.path == "/from");
    view.to_invalid = fields.iter().any(|f| f.path == "/to");
    html(StatusCode::UNPROCESSABLE_ENTITY, &page_of(who, view, messages, None))
}

async fn download(s: AppState, headers: HeaderMap, q: HashMap<String, String>, format: Format) -> Response {
    let who = match evaluator(&s, &headers).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let q: HashMap<String, String> = q.into_iter().filter(|(k, _)| !form::is_page_field(k)).collect();
    let today = amsterdam_today(&s);
    match parse_request(&q, today) {
        Ok(request) => match table(&s, &request).await {
            Ok(t) => file_response(&t, format),
            Err(e) => error_page(e, None),
        },
        // A browser gets the page in Dutch; a program gets problem+json.
        Err(ApiError::Invalid(fields)) if wants_html(&headers) => refused_page(who, &fields, &q, today),
        Err(e) => e.into_response(),
    }
}

/// `/stats.csv`: the CSV for tools.
pub async fn download_csv(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    download(s, headers, q, Format::Csv).await
}

/// `/stats.xlsx`: the workbook for people.
pub async fn download_xlsx(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    download(s, headers, q, Format::Xlsx).await
}
