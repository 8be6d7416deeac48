//! Every path through the step table, enumerated: alone or accompanied × every combination of
//! afwegingskader answers × every outcome × ending at 112 at each step shown (or not).

mod common;

use std::collections::BTreeSet;

use common::*;
use meldcode::afweging::{self, Answers};
use meldcode::flow::{Flow, Step};
use meldcode::*;

/// Every set of answers the framework can produce: at each question asked, every answer it takes.
fn all_afweging_answers() -> Vec<Answers> {
    fn explore(prefix: Vec<Answer>, out: &mut Vec<Answers>) {
        let mut asked = 0;
        let mut branch: Option<&'static [Answer]> = None;
        let answers = afweging::walk(|_, allowed| {
            let pick = match prefix.get(asked) {
                Some(a) => *a,
                None => {
                    branch.get_or_insert(allowed);
                    allowed[0]
                }
            };
            asked += 1;
            pick
        });
        match branch {
            None => out.push(answers),
            Some(options) => {
                for a in options {
                    let mut longer = prefix.clone();
                    longer.push(*a);
                    explore(longer, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    explore(Vec::new(), &mut out);
    out
}

struct Path {
    plan: Plan,
    stop_at: Option<Step>,
    visited: Vec<Step>,
    flow: Flow,
    report: Report,
}

fn run(n: u128, plan: Plan, stop_at: Option<Step>) -> Path {
    let mut flow = new_flow(n);
    let mut visited = vec![flow.current()];
    if let Some(stop) = stop_at {
        while flow.current() != stop {
            fill_step(&mut flow, &plan);
            match flow.next(now()) {
                Ok(step) => visited.push(step),
                Err(e) => panic!("next() refused at {:?}: {e:?}", flow.current()),
            }
        }
        // In an emergency the step's questions wait: call 112 and end the procedure there.
        flow.call_112(now());
        let step = flow.stop_at_112(now()).expect("stopping after a 112 call");
        visited.push(step);
    }
    let rest = walk_to_review(&mut flow, &plan);
    visited.extend(rest.into_iter().skip(1));
    let report = flow.to_report(now()).unwrap_or_else(|e| panic!("no report: {e:?}"));
    Path {
        plan,
        stop_at,
        visited,
        flow,
        report,
    }
}

fn check(p: &Path) {
    let Path {
        plan,
        stop_at,
        visited,
        flow,
        report,
    } = p;
    let ctx = format!("plan {plan:?}, stop {stop_at:?}, visited {visited:?}");
    assert_eq!(visited.last(), Some(&Step::Review), "{ctx}");
    assert_eq!(validate::validate(report, now()), vec![], "{ctx}");
    assert_eq!(
        parse_report(&serde_json::to_vec(report).expect("serialises"), now()).as_ref(),
        Ok(report),
        "{ctx}"
    );
    assert_eq!(report.accompanied, plan.accompanied, "{ctx}");
    assert_eq!(report.created_at, started(), "{ctx}");

    let visits = |s: Step| visited.contains(&s);
    if plan.accompanied {
        assert!(!visits(Step::Conversation), "{ctx}");
        if let Some(c) = &report.conversation {
            assert_eq!(c.consent, Consent::NotAskedUnsafe, "{ctx}");
        }
    }
    if plan.afweging.unsafe_situation == Some(Answer::Yes) {
        for s in [Step::OwnHelp, Step::HelpAccepted, Step::LastingSafety] {
            assert!(!visits(s), "{ctx}");
        }
        if let Some(a) = &report.afweging {
            let with_vt = Some(Answer::WithVeiligThuis);
            assert_eq!(
                (a.own_help, a.help_accepted, a.lasting_safety),
                (with_vt, with_vt, with_vt),
                "{ctx}"
            );
        }
    }
    if visits(Step::SafeContact) {
        assert_eq!(plan.kind, Kind::Melding, "{ctx}");
    }
    if visits(Step::Person) || visits(Step::Reporter) {
        assert!(plan.kind.is_forwarded(), "{ctx}");
    }
    assert_eq!(report.safe_contact.is_some(), report.kind == Kind::Melding, "{ctx}");
    assert_eq!(report.person.is_some(), report.kind == Kind::Melding, "{ctx}");
    if !report.kind.is_forwarded() {
        assert!(report.reporter.is_none() && report.gemeente.is_none(), "{ctx}");
        if let Some(s) = &report.signals {
            assert!(
                s.observed.is_empty() && s.said.is_empty() && s.interpretation.is_empty(),
                "{ctx}"
            );
        }
        if let Some(a) = &report.afweging {
            assert_eq!(a.override_reason, None, "{ctx}");
        }
    }

    match stop_at {
        Some(stop) => {
            assert_eq!(report.kind, Kind::Acuut112, "{ctx}");
            assert_eq!(report.acute_112_at, Some(now()), "{ctx}");
            assert!(flow.is_stopped_at_112(), "{ctx}");
            let after = visited.iter().skip_while(|s| *s != stop).skip(1);
            for s in after {
                assert!([Step::Channel, Step::Accompanied, Step::Review].contains(s), "{ctx}");
            }
        }
        None => {
            assert_eq!(report.kind, plan.kind, "{ctx}");
            assert_eq!(visited, &flow.visible_steps(), "the walk follows the step table: {ctx}");
            let rec = afweging::recommend(&plan.afweging.effective()).expect("complete answers");
            if let Some(a) = &report.afweging {
                assert_eq!(a.recommendation, rec.kind, "{ctx}");
                assert_eq!(
                    a.override_reason.is_some(),
                    // An adviesvraag never needs one (meldcode step 2); a melding against a
                    // geen-melding recommendation does.
                    plan.kind == Kind::Melding && rec.kind != Kind::Melding,
                    "{ctx}"
                );
            }
            assert!(report.afweging.is_some(), "{ctx}");
        }
    }
}

#[test]
fn every_path_of_the_step_table() {
    let combos = all_afweging_answers();
    assert_eq!(
        combos.len(),
        7,
        "q1 no; q2 yes; q3 no; q4 no; q5 yes, no or not yet known"
    );
    let mut paths = 0;
    let mut sequences = BTreeSet::new();
    let mut n = 0;
    for accompanied in [true, false] {
        for afweging in &combos {
            for kind in Kind::ALL {
                let plan = Plan {
                    accompanied,
                    afweging: *afweging,
                    kind,
                };
                n += 1;
                let base = run(n, plan, None);
                check(&base);
                let stops: Vec<Step> = base.visited.iter().copied().filter(|s| *s != Step::Review).collect();
                sequences.insert(base.visited.clone());
                paths += 1;
                for stop in stops {
                    let p = run(n, plan, Some(stop));
                    check(&p);
                    sequences.insert(p.visited.clone());
                    paths += 1;
                }
            }
        }
    }
    // Per (accompanied, answers, outcome): 1 + the steps shown before the review. Before the
    // afwegingskader 6 steps (7 with the conversation); the framework asks 1, 2, 3, 4 or 5
    // questions (the last three times); then the outcome, and 3 (melding), 2 (adviesvraag) or 0
    // steps more. Sum: 28 × (2 + 6) + 135 accompanied, 28 × (2 + 7) + 135 alone.
    assert_eq!(paths, 359 + 387);
    assert_eq!(paths, 746);
    // Ending at a step before the outcome does not depend on the outcome chosen.
    assert!(sequences.len() < paths, "{}", sequences.len());
    eprintln!("{paths} paths, {} distinct step sequences", sequences.len());
}

#[test]
fn a_112_call_without_stopping_stays_a_melding() {
    let plan = Plan {
        accompanied: true,
        afweging: afweging::walk(|_, allowed| allowed[0]),
        kind: Kind::Melding,
    };
    let mut flow = new_flow(1);
    fill_step(&mut flow, &plan);
    flow.next(now()).expect("channel answered");
    let first = flow.call_112(now() - chrono::Duration::minutes(15));
    assert_eq!(flow.call_112(now()), first, "the first call is kept");
    walk_to_review(&mut flow, &plan);
    let report = flow.to_report(now()).expect("valid");
    assert_eq!((report.kind, report.acute_112_at), (Kind::Melding, Some(first)));
}
