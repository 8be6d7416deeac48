//! The statistics attacker: every published number becomes a linear constraint on the unknown
//! counts per series and day, and each hidden number is minimised and maximised. A hidden number
//! whose bounds lie less than 1 apart is pinned. Written independently of the server.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, constraint, microlp, variable};

use crate::counting::{CHANNELS, KINDS};

/// A published number: granularity, period, region, kind, channel (`""` for "all").
pub type Published = (String, String, String, String, String);

/// The periods a day lies in, per granularity code.
pub fn labels(day: NaiveDate) -> [(&'static str, String); 5] {
    let w = day.iso_week();
    [
        ("week", format!("{}-W{:02}", w.year(), w.week())),
        ("month", format!("{}-{:02}", day.year(), day.month())),
        ("quarter", format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1)),
        ("half_year", format!("{}-H{}", day.year(), (day.month() - 1) / 6 + 1)),
        ("year", format!("{}", day.year())),
    ]
}

/// What the attacker found.
#[derive(Debug)]
pub struct Attack {
    pub unknowns: usize,
    pub constraints: usize,
    pub hidden: usize,
    pub pinned: Vec<String>,
}

/// Attack everything published about the `days` days from `first`: a day of a period not
/// published (absent from `published`) is unconstrained there.
pub fn attack(published: &HashMap<Published, String>, first: NaiveDate, days: i64) -> anyhow::Result<Attack> {
    let shown = |g: &str, p: &str, r: &str, k: &str, c: &str| {
        published
            .get(&(g.into(), p.into(), r.into(), k.into(), c.into()))
            .cloned()
    };
    let regions: BTreeSet<String> = published
        .keys()
        .map(|k| k.2.clone())
        .filter(|r| !r.is_empty())
        .collect();
    let mut atoms: Vec<(String, &str, &str, NaiveDate)> = Vec::new();
    for r in &regions {
        for k in KINDS {
            for c in CHANNELS {
                for d in 0..days {
                    let day = first + Duration::days(d);
                    // Forced to 0 when any published number holding it is 0.
                    let open = labels(day)
                        .iter()
                        .all(|(g, p)| shown(g, p, r, k, c).is_none_or(|t| t != "0"));
                    if open {
                        atoms.push((r.clone(), k, c, day));
                    }
                }
            }
        }
    }
    let mut groups: BTreeMap<Published, Vec<usize>> = BTreeMap::new();
    for (i, (r, k, c, day)) in atoms.iter().enumerate() {
        for (g, p) in labels(*day) {
            for key in [
                (g.to_owned(), p.clone(), r.clone(), k.to_string(), c.to_string()),
                (g.to_owned(), p.clone(), r.clone(), String::new(), String::new()),
                (g.to_owned(), p.clone(), r.clone(), k.to_string(), String::new()),
                (g.to_owned(), p.clone(), String::new(), k.to_string(), c.to_string()),
                (g.to_owned(), p.clone(), String::new(), String::new(), String::new()),
            ] {
                groups.entry(key).or_default().push(i);
            }
        }
    }
    let bounds = |text: &str| -> Option<(f64, f64)> {
        match text {
            "x" => None,
            "0" => Some((0.0, 0.0)),
            "<5" => Some((1.0, 4.0)),
            "5" => Some((5.0, 7.0)),
            n => n.parse::<f64>().ok().map(|n| (n - 2.0, n + 2.0)),
        }
    };
    let hidden: Vec<Published> = groups
        .keys()
        .filter(|k| published.get(*k).is_some_and(|t| t == "<5" || t == "x"))
        .cloned()
        .collect();
    let solve = |target: &Published, maximise: bool| -> anyhow::Result<f64> {
        let mut vars = ProblemVariables::new();
        let x: Vec<_> = atoms.iter().map(|_| vars.add(variable().min(0.0))).collect();
        let objective: Expression = groups[target].iter().map(|i| x[*i]).sum();
        let mut model = if maximise {
            vars.maximise(objective.clone())
        } else {
            vars.minimise(objective.clone())
        }
        .using(microlp);
        for (key, members) in &groups {
            let Some((lo, hi)) = published.get(key).and_then(|t| bounds(t)) else {
                continue;
            };
            let sum: Expression = members.iter().map(|i| x[*i]).sum();
            model = model.with(constraint!(sum.clone() >= lo)).with(constraint!(sum <= hi));
        }
        let solution = model.solve().map_err(|e| anyhow::anyhow!("LP: {e}"))?;
        Ok(solution.eval(&objective))
    };
    let mut pinned = Vec::new();
    for target in &hidden {
        let (lo, hi) = (solve(target, false)?, solve(target, true)?);
        if hi - lo < 1.0 - 1e-6 {
            pinned.push(format!("{target:?} = {} ∈ [{lo}, {hi}]", published[target]));
        }
    }
    Ok(Attack {
        unknowns: atoms.len(),
        constraints: groups.len(),
        hidden: hidden.len(),
        pinned,
    })
}
