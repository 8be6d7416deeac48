//! The state machine's behaviour: back and forth, 112, skipped answers, refusals.

mod common;

use chrono::Duration;
use common::*;
use meldcode::afweging::{self, Answers};
use meldcode::flow::{Flow, Question, Step};
use meldcode::*;

fn melding_plan(accompanied: bool) -> Plan {
    // q1 yes, q2 no, q3 yes, q4 yes, q5 no: melding because the help brings no lasting safety.
    let afweging = afweging::walk(|q, _| match q {
        afweging::Question::UnsafeSituation | afweging::Question::LastingSafety => Answer::No,
        _ => Answer::Yes,
    });
    Plan {
        accompanied,
        afweging,
        kind: Kind::Melding,
    }
}

fn at_review(plan: &Plan) -> Flow {
    let mut flow = new_flow(7);
    walk_to_review(&mut flow, plan);
    flow
}

#[test]
fn back_and_forth_never_loses_an_answer() {
    let plan = melding_plan(false);
    let mut flow = at_review(&plan);
    let full = flow.draft.clone();
    let report = flow.to_report(now()).expect("valid");
    let visible = flow.visible_steps();
    for (i, _) in visible.iter().enumerate().rev() {
        // Back to step i, then forward to the review again without answering anything.
        while flow.current() != visible[i] {
            flow.back();
        }
        assert_eq!(flow.progress(), (i + 1, visible.len()));
        assert_eq!(flow.draft, full);
        while flow.current() != Step::Review {
            flow.next(now()).expect("all answers are still there");
        }
        assert_eq!(flow.draft, full);
    }
    assert_eq!(flow.back(), Step::Reporter);
    while flow.current() != Step::Channel {
        flow.back();
    }
    assert_eq!(flow.back(), Step::Channel, "nothing before the first step");
    assert_eq!(
        flow.to_report(now()),
        Ok(report),
        "the same draft gives the same report"
    );
}

#[test]
fn answers_of_skipped_steps_are_kept_but_not_reported() {
    let plan = melding_plan(false);
    let mut flow = at_review(&plan);
    assert!(flow.go_back_to(Step::Accompanied));
    assert!(!flow.go_back_to(Step::Review), "only backwards");

    // Accompanied after all: no conversation at the counter, consent kept in the draft.
    flow.draft.accompanied = Some(true);
    assert!(flow.is_skipped(Step::Conversation));
    assert_eq!(flow.draft.consent, Some(Consent::Given));
    while flow.current() != Step::Review {
        flow.next(now()).expect("still complete");
    }
    let report = flow.to_report(now()).expect("valid");
    assert_eq!(report.conversation.map(|c| c.consent), Some(Consent::NotAskedUnsafe));

    // No suspicion after all: geen melding, and nothing about the person leaves the pharmacy.
    assert!(flow.go_back_to(Step::Suspicion));
    flow.draft.afweging.suspicion = Some(Answer::No);
    flow.draft.chosen_kind = None;
    for s in [
        Step::UnsafeSituation,
        Step::OwnHelp,
        Step::Person,
        Step::SafeContact,
        Step::Reporter,
    ] {
        assert!(flow.is_skipped(s), "{s:?}");
    }
    assert_eq!(flow.next(now()), Ok(Step::Outcome));
    assert_eq!(
        flow.recommendation().map(|r| r.reason),
        Some(afweging::Reason::NoSuspicion)
    );
    assert_eq!(flow.next(now()), Ok(Step::Review));
    let report = flow.to_report(now()).expect("valid");
    assert_eq!(report.kind, Kind::GeenMelding);
    assert!(report.person.is_none() && report.reporter.is_none() && report.gemeente.is_none());
    assert_eq!(
        report.signals.as_ref().map(|s| s.observed.as_str()),
        Some(""),
        "no free text in a count"
    );
    assert_eq!(flow.draft.person_name, "Voorbeeld Persoon", "kept in the draft");
    assert_eq!(
        flow.draft.afweging.unsafe_situation,
        Some(Answer::No),
        "kept in the draft"
    );

    // And back: everything is there again.
    assert!(flow.go_back_to(Step::Suspicion));
    flow.draft.afweging.suspicion = Some(Answer::Yes);
    flow.draft.accompanied = Some(false);
    while flow.current() != Step::Review {
        flow.next(now()).expect("still complete");
    }
    let report = flow.to_report(now()).expect("valid");
    assert_eq!(report.kind, Kind::Melding);
    assert_eq!(report.conversation.map(|c| c.consent), Some(Consent::Given));
    assert!(report.person.is_some());
}

#[test]
fn question_two_yes_fills_three_to_five_with_veilig_thuis() {
    let mut plan = melding_plan(true);
    let mut flow = new_flow(3);
    walk_to_review(&mut flow, &plan);
    assert!(flow.go_back_to(Step::UnsafeSituation));
    plan.afweging.unsafe_situation = Some(Answer::Yes);
    let visited = walk_to_review(&mut flow, &plan);
    assert_eq!(visited[..2], [Step::UnsafeSituation, Step::Outcome]);
    let answers = flow.draft.afweging_answers();
    assert_eq!(answers.own_help, Some(Answer::WithVeiligThuis));
    assert_eq!(
        flow.draft.afweging.own_help,
        Some(Answer::Yes),
        "the raw answer is kept"
    );
    assert_eq!(flow.recommendation().map(|r| r.reason), Some(afweging::Reason::Unsafe));
}

#[test]
fn the_flow_survives_a_restart() {
    let plan = melding_plan(false);
    let mut flow = new_flow(9);
    while flow.current() != Step::Review {
        let json = serde_json::to_string(&flow).expect("serialises");
        let restored: Flow = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(restored, flow);
        fill_step(&mut flow, &plan);
        flow.next(now()).expect("valid answers");
    }
    // An older draft without some fields still loads.
    let restored: Flow = serde_json::from_str(r#"{"draft": {"id": "7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10", "started_at": "2026-03-02T09:40:00Z"}, "current": "kindcheck"}"#)
        .expect("defaults for missing fields");
    assert_eq!(restored.current(), Step::Kindcheck);
}

#[test]
fn next_refuses_with_every_missing_answer_of_the_step() {
    let mut flow = new_flow(1);
    let err = flow.next(now()).expect_err("nothing answered");
    assert_eq!(
        err.iter().map(|e| (e.path.as_str(), e.rule)).collect::<Vec<_>>(),
        vec![("/channel", Rule::Required)]
    );
    assert_eq!(flow.current(), Step::Channel);
    flow.draft.channel = Some(Channel::Telefoon);
    assert_eq!(flow.next(now()), Ok(Step::Acute));

    // Acute danger: 112 first.
    flow.draft.acute_danger = Some(true);
    let err = flow.next(now()).expect_err("112 not called");
    assert_eq!(err[0].path, "/acute_112_at");
    assert_eq!(
        texts::describe_error(&err[0], Lang::Nl),
        Ui::Call112First.label(Lang::Nl)
    );
    flow.call_112(now());
    assert_eq!(flow.next(now()), Ok(Step::Accompanied));
}

use meldcode::texts::Ui;

#[test]
fn rules_of_the_report_are_checked_on_their_own_step() {
    let plan = melding_plan(true);
    let mut flow = new_flow(4);
    while flow.current() != Step::Person {
        fill_step(&mut flow, &plan);
        flow.next(now()).expect("valid");
    }
    fill_step(&mut flow, &plan);
    flow.draft.postcode = "1012".into();
    flow.draft.bsn = "123456789".into();
    flow.draft.gemeente = "GM9999".into();
    let err = flow.next(now()).expect_err("invalid person");
    let found: Vec<_> = err.iter().map(|e| (Question::at_pointer(&e.path), e.rule)).collect();
    assert_eq!(
        found,
        vec![
            (Some(Question::Gemeente), Rule::UnknownGemeente),
            (Some(Question::Postcode), Rule::Postcode),
            (Some(Question::Bsn), Rule::Elfproef),
        ]
    );
    assert_eq!(
        texts::describe_error(&err[1], Lang::Nl),
        format!("Postcode: {}", Rule::Postcode.label(Lang::Nl))
    );
    fill_step(&mut flow, &plan);
    assert_eq!(flow.next(now()), Ok(Step::SafeContact));

    // Via the pharmacy the safe phone may stay empty; otherwise it is required.
    fill_step(&mut flow, &plan);
    flow.draft.safe_phone.clear();
    flow.draft.via_pharmacy = Some(false);
    let err = flow.next(now()).expect_err("no safe phone");
    assert_eq!(
        err.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        vec!["/safe_contact/phone"]
    );
    flow.draft.via_pharmacy = Some(true);
    assert_eq!(flow.next(now()), Ok(Step::Reporter));

    // The review is reached only with a report that validates.
    fill_step(&mut flow, &plan);
    flow.draft.reachable_until = Some(started() - Duration::minutes(1));
    let err = flow.next(now()).expect_err("reachable before the report was made");
    assert_eq!(
        (err[0].path.as_str(), err[0].rule),
        ("/reporter/reachable_until", Rule::OutOfWindow)
    );
    assert_eq!(flow.current(), Step::Reporter);
    flow.draft.disclosure = Some(Disclosure::Anonymous);
    flow.draft.reachable_until = Some(now() + Duration::hours(2));
    let err = flow.next(now()).expect_err("anonymous without a reason");
    assert_eq!(err[0].path, "/reporter/anonymous_reason");
    assert!(flow.questions().contains(&Question::AnonymousReason));
    flow.draft.anonymous_reason = "Melder is bang voor represailles.".into();
    assert_eq!(flow.next(now()), Ok(Step::Review));
}

#[test]
fn deciding_otherwise_needs_a_reason_that_stays_local_for_a_count() {
    let plan = Plan {
        kind: Kind::GeenMelding,
        ..melding_plan(true)
    };
    let mut flow = new_flow(5);
    while flow.current() != Step::Outcome {
        fill_step(&mut flow, &plan);
        flow.next(now()).expect("valid");
    }
    assert_eq!(flow.recommendation().map(|r| r.kind), Some(Kind::Melding));
    assert_eq!(
        flow.draft.kind(),
        Some(Kind::Melding),
        "the recommendation is the default"
    );
    assert_eq!(
        flow.kind_options(),
        vec![Kind::Melding, Kind::Adviesvraag, Kind::GeenMelding]
    );
    flow.draft.chosen_kind = Some(Kind::GeenMelding);
    let err = flow.next(now()).expect_err("no reason");
    assert_eq!(err[0].path, "/afweging/override_reason");
    flow.draft.override_reason = "Cliënt is al in zorg bij de huisarts.".into();
    assert_eq!(flow.next(now()), Ok(Step::Review));
    let report = flow.to_report(now()).expect("valid");
    assert_eq!(report.afweging.and_then(|a| a.override_reason), None);

    // acuut_112 as the outcome needs the call.
    assert!(flow.go_back_to(Step::Outcome));
    flow.draft.chosen_kind = Some(Kind::Acuut112);
    assert_eq!(flow.next(now()).expect_err("no call")[0].path, "/acute_112_at");
    flow.call_112(now());
    assert_eq!(flow.next(now()), Ok(Step::Review));
    assert_eq!(flow.to_report(now()).map(|r| r.kind), Ok(Kind::Acuut112));
}

#[test]
fn an_adviesvraag_may_leave_out_the_reporter_but_not_half_of_it() {
    let plan = Plan {
        kind: Kind::Adviesvraag,
        ..melding_plan(false)
    };
    let mut flow = new_flow(6);
    while flow.current() != Step::Person {
        fill_step(&mut flow, &plan);
        flow.next(now()).expect("valid");
    }
    assert_eq!(flow.questions(), vec![Question::Gemeente], "only the municipality");
    assert_eq!(flow.next(now()), Ok(Step::Reporter), "optional for an adviesvraag");
    flow.back();
    fill_step(&mut flow, &plan);
    assert_eq!(flow.next(now()), Ok(Step::Reporter));
    assert_eq!(flow.next(now()), Ok(Step::Review), "no reporter at all is fine");
    assert!(flow.to_report(now()).expect("valid").reporter.is_none());
    flow.back();
    flow.draft.reporter_name = "A. de Apotheker".into();
    let err = flow.next(now()).expect_err("half a reporter");
    let paths: Vec<_> = err.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["/reporter/role", "/reporter/phone", "/reporter/reachable_until"]
    );
    fill_step(&mut flow, &plan);
    assert_eq!(flow.next(now()), Ok(Step::Review));
    let report = flow.to_report(now()).expect("valid");
    assert!(report.reporter.is_some() && report.person.is_none() && report.safe_contact.is_none());
    assert_eq!(report.gemeente.as_deref(), Some("GM0363"));
}

#[test]
fn stopping_at_112() {
    let plan = melding_plan(false);
    let mut flow = new_flow(8);
    assert!(flow.stop_at_112(now()).is_err(), "only after a 112 call");
    fill_step(&mut flow, &plan);
    flow.next(now()).expect("channel");
    flow.next(now()).expect_err("acute danger unanswered");
    let at = flow.call_112(now());
    assert_eq!(
        flow.stop_at_112(now()),
        Ok(Step::Accompanied),
        "accompanied is counted, so asked first"
    );
    assert_eq!(flow.progress(), (2, 3));
    flow.draft.accompanied = Some(false);
    assert_eq!(flow.next(now()), Ok(Step::Review));
    let report = flow.to_report(now()).expect("valid");
    assert_eq!((report.kind, report.acute_112_at), (Kind::Acuut112, Some(at)));
    assert!(report.kindcheck.is_none() && report.afweging.is_none() && report.conversation.is_none());

    // Back from the review resumes where the procedure stopped.
    assert_eq!(flow.back(), Step::Acute);
    assert!(!flow.is_stopped_at_112());
    let visited = walk_to_review(&mut flow, &plan);
    assert_eq!(visited.last(), Some(&Step::Review));
    assert_eq!(
        flow.to_report(now()).map(|r| (r.kind, r.acute_112_at)),
        Ok((Kind::Melding, Some(at)))
    );
    assert!(flow.stop_at_112(now()).is_err(), "nothing left to stop at the review");
}

#[test]
fn the_kindcheck_reports_one_age_per_child() {
    let plan = melding_plan(false);
    let mut flow = new_flow(2);
    while flow.current() != Step::Kindcheck {
        fill_step(&mut flow, &plan);
        flow.next(now()).expect("valid");
    }
    flow.draft.kindcheck_status = Some(KindcheckStatus::Done);
    assert_eq!(
        flow.questions(),
        vec![Question::KindcheckStatus, Question::ChildrenCount, Question::Pregnant]
    );
    flow.draft.children_count = Some(3);
    flow.draft.children_ages = vec![2, 19];
    let err = flow.next(now()).expect_err("two ages for three children");
    assert_eq!(
        err.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        vec!["/kindcheck/children_ages"]
    );
    flow.draft.children_ages = vec![2, 19, 7];
    let err = flow.next(now()).expect_err("19 is no child");
    assert_eq!(
        (err[0].path.as_str(), err[0].rule),
        ("/kindcheck/children_ages/1", Rule::Range)
    );
    flow.draft.children_ages = vec![2, 12, 7];
    flow.draft.children_count = Some(2);
    assert_eq!(flow.next(now()), Ok(Step::Signals));
    walk_to_review(&mut flow, &plan);
    let k = flow.to_report(now()).expect("valid").kindcheck.expect("a kindcheck");
    assert_eq!((k.children_count, k.children_ages), (2, vec![2, 12]));
    assert_eq!(
        flow.draft.children_ages,
        vec![2, 12, 7],
        "the third age is kept in the draft"
    );
}

#[test]
fn every_answers_combination_of_afweging_reaches_a_recommendation() {
    let mut seen = 0;
    for raw in [Answer::Yes, Answer::No, Answer::NotYetKnown, Answer::WithVeiligThuis] {
        let answers = Answers {
            suspicion: Some(Answer::Yes),
            unsafe_situation: Some(Answer::No),
            own_help: Some(raw),
            ..Answers::default()
        };
        let effective = answers.effective();
        let expected = afweging::expected(afweging::Question::OwnHelp, &effective);
        assert_eq!(effective.own_help.is_some(), expected.contains(&raw));
        seen += 1;
    }
    assert_eq!(seen, 4);
}

#[test]
fn acute_danger_answers_question_two_yes_and_goes_with_the_report() {
    // The plan's raw answer to question 2 is "no": acute danger overrules it.
    let plan = melding_plan(false);
    let mut flow = new_flow(8);
    while flow.current() != Step::Acute {
        fill_step(&mut flow, &plan);
        flow.next(now()).expect("valid");
    }
    flow.draft.acute_danger = Some(true);
    flow.call_112(now());
    flow.next(now()).expect("112 called");
    let visited = walk_to_review(&mut flow, &plan);
    assert!(
        !visited.contains(&Step::UnsafeSituation),
        "question 2 is answered by acute danger"
    );
    let report = flow.to_report(now()).expect("valid");
    let a = report.afweging.expect("afweging");
    assert!(a.acute_danger);
    assert_eq!(a.unsafe_situation, Some(Answer::Yes));
    assert_eq!(a.recommendation, Kind::Melding);
}

#[test]
fn an_adviesvraag_is_chosen_without_an_override_reason() {
    let plan = Plan {
        kind: Kind::Adviesvraag,
        ..melding_plan(false)
    };
    let mut flow = new_flow(9);
    walk_to_review(&mut flow, &plan);
    let report = flow.to_report(now()).expect("an adviesvraag needs no reason");
    assert_eq!(report.kind, Kind::Adviesvraag);
    let a = report.afweging.expect("afweging");
    assert_eq!((a.recommendation, a.override_reason), (Kind::Melding, None));
}
