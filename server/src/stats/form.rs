//! The period form of `/stats`: sensible Van/Tot when the granularity changes, presets, and
//! Dutch messages for what cannot be shown. Pure: the page hands in the query and today.

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate};
use meldcode::{FieldError, Rule};

use super::period::Granularity;

/// The form's own fields beside the API's `period`, `from`, `to`: the granularity the shown
/// Van/Tot were made for, and the period and kind the map shows.
pub const SHOWN: &str = "getoond";
pub const MAP_PERIOD: &str = "kaart";
pub const MAP_KIND: &str = "kaartsoort";

/// Whether a query parameter belongs to the page's form only (not to the API's query).
pub fn is_page_field(name: &str) -> bool {
    [SHOWN, MAP_PERIOD, MAP_KIND].contains(&name)
}

pub fn label(g: Granularity) -> &'static str {
    match g {
        Granularity::Week => "week",
        Granularity::Month => "maand",
        Granularity::Quarter => "kwartaal",
        Granularity::HalfYear => "halfjaar",
        Granularity::Year => "jaar",
    }
}

/// "een hele maand", "een heel kwartaal": the word with its Dutch adjective.
pub fn whole(g: Granularity) -> &'static str {
    match g {
        Granularity::Week => "hele week",
        Granularity::Month => "hele maand",
        Granularity::Quarter => "heel kwartaal",
        Granularity::HalfYear => "heel halfjaar",
        Granularity::Year => "heel jaar",
    }
}

/// How a period of a granularity is written, for the messages.
pub fn example(g: Granularity) -> &'static str {
    match g {
        Granularity::Week => "2026-W05",
        Granularity::Month => "2026-03",
        Granularity::Quarter => "2026-Q1",
        Granularity::HalfYear => "2026-H1",
        Granularity::Year => "2026",
    }
}

/// A day of the last period published on `today`: its first.
fn last_published_day(g: Granularity, today: NaiveDate) -> NaiveDate {
    g.start(g.last_published(today)).unwrap_or(today)
}

/// The default range: the last 13 weeks, 12 months, 8 quarters, 6 half years or 5 years that
/// are published (a period is published 31 days after its end).
pub fn default_range(g: Granularity, today: NaiveDate) -> (String, String) {
    let last = last_published_day(g, today);
    let first = match g {
        Granularity::Week => last - Duration::weeks(12),
        Granularity::Month => last.checked_sub_months(Months::new(11)).unwrap_or(last),
        Granularity::Quarter => last.checked_sub_months(Months::new(3 * 7)).unwrap_or(last),
        Granularity::HalfYear => last.checked_sub_months(Months::new(6 * 5)).unwrap_or(last),
        Granularity::Year => last.checked_sub_months(Months::new(12 * 4)).unwrap_or(last),
    };
    (g.label(g.of(first)), g.label(g.of(last)))
}

/// A preset of the form: its text and its query.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    pub text: &'static str,
    pub query: String,
}

/// "dit jaar" (its published periods) and "vorig jaar" in the chosen granularity, "laatste 12
/// maanden" (the last 12 published months) in months.
pub fn presets(g: Granularity, today: NaiveDate) -> Vec<Preset> {
    let year = today.year();
    let published = last_published_day(g, today);
    // 4 January always lies in ISO week 1, 28 December in the year's last ISO week (and in
    // the year's first and last month, quarter and half year).
    let first = |y: i32| NaiveDate::from_ymd_opt(y, 1, 4).unwrap_or(today);
    let last = |y: i32| NaiveDate::from_ymd_opt(y, 12, 28).unwrap_or(today);
    let query = |g: Granularity, from: NaiveDate, to: NaiveDate| {
        format!(
            "period={}&from={}&to={}",
            g.code(),
            g.label(g.of(from)),
            g.label(g.of(to))
        )
    };
    let (from12, to12) = default_range(Granularity::Month, today);
    vec![
        Preset {
            text: "dit jaar",
            query: query(g, first(published.year()).min(published), published),
        },
        Preset {
            text: "vorig jaar",
            query: query(g, first(year - 1), last(year - 1)),
        },
        Preset {
            text: "laatste 12 maanden",
            query: format!("period=month&from={from12}&to={to12}"),
        },
    ]
}

/// The API's query from the form's: when the granularity was switched and Van or Tot is not a
/// period of the new one, both become its default range; missing ones get the default too. The
/// form's own fields are left out.
pub fn api_query(q: &HashMap<String, String>, today: NaiveDate) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = q
        .iter()
        .filter(|(k, _)| !is_page_field(k))
        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
        .collect();
    let g = match out.get("period") {
        Some(code) => match Granularity::from_code(code) {
            Some(g) => g,
            None => return out,
        },
        None => Granularity::Quarter,
    };
    let switched = q
        .get(SHOWN)
        .is_some_and(|shown| Some(shown.as_str()) != out.get("period").map(String::as_str));
    let fits = |name: &str| out.get(name).is_some_and(|v| g.parse(v).is_some());
    let (from, to) = default_range(g, today);
    if switched && !(fits("from") && fits("to")) {
        out.insert("from".into(), from);
        out.insert("to".into(), to);
    } else {
        out.entry("from".into()).or_insert(from);
        out.entry("to".into()).or_insert(to);
    }
    out
}

/// A Dutch sentence for each thing the API refused.
pub fn messages(errors: &[FieldError], q: &HashMap<String, String>, today: NaiveDate) -> Vec<String> {
    let g = q.get("period").and_then(|p| Granularity::from_code(p));
    errors
        .iter()
        .map(|e| {
            let what = match e.path.as_str() {
                "/from" => "Van",
                _ => "Tot en met",
            };
            match (e.path.as_str(), e.rule) {
                ("/period", _) => "Kies als periode week, maand, kwartaal, halfjaar of jaar.".to_owned(),
                ("/from" | "/to", Rule::InvalidValue) => match g {
                    Some(g) => format!(
                        "{what}: vul een {} in, zoals {} (nu: \u{201c}{}\u{201d}).",
                        whole(g),
                        example(g),
                        q.get(&e.path[1..])
                            .map_or("", |v| v.as_str())
                            .chars()
                            .take(40)
                            .collect::<String>()
                    ),
                    None => format!("{what}: vul een periode in."),
                },
                ("/to", Rule::PeriodNotPublished) => format!(
                    "Tot en met: deze periode is nog niet gepubliceerd. Een periode verschijnt 31 dagen na het \
                     einde ervan, als er geen meldingen meer over kunnen binnenkomen{}.",
                    g.map(|g| format!(
                        "; de laatst gepubliceerde {} is {}",
                        label(g),
                        default_range(g, today).1
                    ))
                    .unwrap_or_default()
                ),
                ("/to", Rule::Range) if e.message.contains("before") => "Tot en met ligt vóór Van.".to_owned(),
                ("/to", Rule::Range) => "Kies hoogstens 260 periodes tegelijk.".to_owned(),
                _ => "Deze keuze kent de pagina niet.".to_owned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_per_granularity() {
        let today = day(2026, 12, 2);
        let ranges: Vec<(String, String)> = Granularity::ALL.iter().map(|g| default_range(*g, today)).collect();
        // Published on 2 December 2026: up to week 43, October, Q3, H1 and 2025.
        let want = [
            ("2026-W31", "2026-W43"),
            ("2025-11", "2026-10"),
            ("2024-Q4", "2026-Q3"),
            ("2023-H2", "2026-H1"),
            ("2021", "2025"),
        ];
        for (got, want) in ranges.iter().zip(want) {
            assert_eq!((got.0.as_str(), got.1.as_str()), want);
        }
    }

    #[test]
    fn switching_the_granularity_fills_van_and_tot() {
        let today = day(2026, 12, 2);
        let q = query(&[
            ("period", "month"),
            ("from", "2026-Q1"),
            ("to", "2026-Q4"),
            (SHOWN, "quarter"),
        ]);
        let api = api_query(&q, today);
        assert_eq!((api["from"].as_str(), api["to"].as_str()), ("2025-11", "2026-10"));
        assert!(!api.contains_key(SHOWN));
        // Typed to fit the new granularity: kept.
        let q = query(&[("period", "year"), ("from", "2024"), ("to", "2025"), (SHOWN, "quarter")]);
        assert_eq!(api_query(&q, today)["from"], "2024");
        // Not switched: a wrong value stays, for the message.
        let q = query(&[
            ("period", "month"),
            ("from", "2026-Q1"),
            ("to", "2026-12"),
            (SHOWN, "month"),
        ]);
        assert_eq!(api_query(&q, today)["from"], "2026-Q1");
    }

    #[test]
    fn presets_are_whole_years_and_the_last_twelve_months() {
        let p = presets(Granularity::Week, day(2026, 12, 2));
        assert_eq!(p[0].query, "period=week&from=2026-W01&to=2026-W43");
        assert_eq!(p[1].query, "period=week&from=2025-W01&to=2025-W52");
        assert_eq!(p[2].query, "period=month&from=2025-11&to=2026-10");
        let p = presets(Granularity::Quarter, day(2026, 12, 2));
        assert_eq!(p[1].query, "period=quarter&from=2025-Q1&to=2025-Q4");
    }

    #[test]
    fn messages_are_dutch_and_name_the_value() {
        let q = query(&[("period", "month"), ("from", "2026-Q1")]);
        let errors = [FieldError::new("/from", Rule::InvalidValue, "a whole period")];
        assert_eq!(
            messages(&errors, &q, day(2026, 12, 7)),
            ["Van: vul een hele maand in, zoals 2026-03 (nu: \u{201c}2026-Q1\u{201d})."]
        );
    }
}
