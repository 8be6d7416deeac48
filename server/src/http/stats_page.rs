//! The `/stats` page: the same numbers as the API, as tables and a server-rendered SVG chart.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use meldcode::texts::{Label, Lang};
use meldcode::{Channel, Kind};

use super::pages::{Who, error_page, html};
use super::stats::{csv_response, page_session, parse_request, require_evaluator, table};
use super::{ApiError, AppState};
use crate::stats::render::{BAR_GAP, BAR_HEIGHT, Bar, bars};
use crate::stats::{Cell, Table};

const LANG: Lang = Lang::Nl;

struct Row {
    label: String,
    values: Vec<String>,
    extra: Vec<String>,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    who: Option<Who>,
    granularities: Vec<(&'static str, &'static str, bool)>,
    from: String,
    to: String,
    query: String,
    error: Option<String>,
    periods: Vec<String>,
    region_rows: Vec<Row>,
    national_rows: Vec<Row>,
    chart_period: String,
    bars: Vec<Bar>,
    chart_height: u32,
}

fn granularity_label(code: &str) -> &'static str {
    match code {
        "week" => "week",
        "month" => "maand",
        "quarter" => "kwartaal",
        "half_year" => "halfjaar",
        _ => "jaar",
    }
}

fn count_of<'a>(totals: &'a [Cell], period: &str, pick: impl Fn(&Cell) -> bool) -> &'a str {
    totals
        .iter()
        .find(|c| c.period == period && pick(c))
        .map_or("0", |c| c.count.as_str())
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

fn page_from(who: Who, t: &Table, query: String) -> StatsPage {
    let periods: Vec<String> = t
        .totals
        .iter()
        .filter(|c| c.vt_region.is_none() && c.kind.is_none())
        .map(|c| c.period.clone())
        .collect();
    let mut region_rows: Vec<Row> = t
        .regions
        .iter()
        .map(|r| Row {
            label: format!("{} {}", r.vt_region, r.name),
            values: periods
                .iter()
                .map(|p| count_of(&t.totals, p, |c| c.vt_region.as_deref() == Some(&r.vt_region)).to_owned())
                .collect(),
            extra: vec![
                r.pharmacies.to_string(),
                r.median_minutes_to_acknowledgement
                    .map_or("—".to_owned(), |m| format!("{m} min")),
                practised(t, Some(r.vt_region.as_str()), r.pharmacies),
            ],
        })
        .collect();
    region_rows.push(Row {
        label: "Nederland".into(),
        values: periods
            .iter()
            .map(|p| count_of(&t.totals, p, |c| c.vt_region.is_none() && c.kind.is_none()).to_owned())
            .collect(),
        extra: vec![
            t.regions.iter().map(|r| r.pharmacies).sum::<u32>().to_string(),
            String::new(),
            practised(t, None, t.regions.iter().map(|r| r.pharmacies).sum()),
        ],
    });
    let mut national_rows = Vec::new();
    for kind in Kind::ALL {
        for channel in Channel::ALL {
            national_rows.push(Row {
                label: format!("{} · {}", kind.label(LANG), channel.label(LANG)),
                values: periods
                    .iter()
                    .map(|p| {
                        count_of(&t.totals, p, |c| {
                            c.vt_region.is_none() && c.kind == Some(kind) && c.channel == Some(channel)
                        })
                        .to_owned()
                    })
                    .collect(),
                extra: Vec::new(),
            });
        }
    }
    let chart_period = periods.last().cloned().unwrap_or_default();
    let region_totals: Vec<(String, String, String)> = t
        .regions
        .iter()
        .map(|r| {
            let count = count_of(&t.totals, &chart_period, |c| {
                c.vt_region.as_deref() == Some(&r.vt_region)
            });
            (r.vt_region.clone(), r.name.clone(), count.to_owned())
        })
        .collect();
    let bars = bars(&region_totals);
    let chart_height = bars.len() as u32 * (BAR_HEIGHT + BAR_GAP);
    let g = t.period.code();
    StatsPage {
        who: Some(who),
        granularities: ["week", "month", "quarter", "half_year", "year"]
            .map(|c| (c, granularity_label(c), c == g))
            .to_vec(),
        from: t.from.clone(),
        to: t.to.clone(),
        query,
        error: None,
        periods,
        region_rows,
        national_rows,
        chart_period,
        bars,
        chart_height,
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

fn query_string(q: &HashMap<String, String>) -> String {
    let mut pairs: Vec<String> = ["period", "from", "to"]
        .iter()
        .filter_map(|k| {
            q.get(*k).map(|v| {
                format!(
                    "{k}={}",
                    v.chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect::<String>()
                )
            })
        })
        .collect();
    pairs.sort();
    pairs.join("&")
}

pub async fn page(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let who = match evaluator(&s, &headers).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let request = match parse_request(&q) {
        Ok(r) => r,
        Err(ApiError::Invalid(fields)) => {
            let text = fields
                .iter()
                .map(|f| format!("{}: {}", f.path.trim_start_matches('/'), f.message))
                .collect::<Vec<_>>()
                .join("; ");
            return error_page(ApiError::BadRequest(format!("Deze keuze kan niet: {text}")), Some(who));
        }
        Err(e) => return error_page(e, Some(who)),
    };
    match table(&s, &request).await {
        Ok(t) => html(StatusCode::OK, &page_from(who, &t, query_string(&q))),
        Err(e) => error_page(e, Some(who)),
    }
}

pub async fn download(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = evaluator(&s, &headers).await {
        return r;
    }
    match parse_request(&q) {
        Ok(request) => match table(&s, &request).await {
            Ok(t) => csv_response(&t),
            Err(e) => error_page(e, None),
        },
        Err(e) => e.into_response(),
    }
}
