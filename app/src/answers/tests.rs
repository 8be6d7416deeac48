//! The answers' unit tests: widgets from the draft, and input back into it.

use super::*;

fn cx() -> Context {
    Context {
        now: Utc::now(),
        closing: dates::default_closing(),
    }
}

#[test]
fn every_question_round_trips_through_its_widget() {
    let now = Utc::now();
    let cx = cx();
    let mut flow = Flow::new(uuid::Uuid::new_v4(), now);
    for q in Question::ALL {
        match widget(&flow, q, Lang::Nl, cx) {
            Widget::Choice { options, .. } | Widget::Select { options, .. } => {
                if let Some(first) = options.first() {
                    apply(&mut flow, q, Input::Choose(first.code.clone()), cx);
                    let (Widget::Choice { selected, .. } | Widget::Select { selected, .. }) =
                        widget(&flow, q, Lang::Nl, cx)
                    else {
                        panic!("{q:?} changed widget");
                    };
                    // The outcome preselects the recommendation; others show what was picked.
                    if q != Question::ChosenKind {
                        assert_eq!(selected.as_deref(), Some(first.code.as_str()), "{q:?}");
                    }
                }
                assert!(
                    options.iter().all(|o| !o.label.is_empty() && !o.code.is_empty()),
                    "{q:?}"
                );
            }
            Widget::Multi { options, .. } => assert!(!options.is_empty()),
            Widget::Text { kind, .. } => {
                let v = match kind {
                    TextKind::Number => "2",
                    TextKind::Date => "01-04-1990",
                    TextKind::Time => "10:15",
                    _ => "tekst",
                };
                apply(&mut flow, q, Input::Text(v.into()), cx);
                assert_eq!(widget(&flow, q, Lang::Nl, cx), text(v, kind), "{q:?}");
            }
            Widget::Ages { .. } => {}
            Widget::Until { choices, .. } => {
                let last = choices.last().map(|c| c.code.clone()).unwrap_or_default();
                apply(&mut flow, q, Input::Choose(last.clone()), cx);
                let Widget::Until { selected, .. } = widget(&flow, q, Lang::Nl, cx) else {
                    panic!("{q:?} changed widget");
                };
                assert_eq!(selected, Some(last));
                apply(&mut flow, q, Input::Text("9:05".into()), cx);
                let Widget::Until { selected, time, .. } = widget(&flow, q, Lang::Nl, cx) else {
                    panic!("{q:?} changed widget");
                };
                assert_eq!((selected, time.as_str()), (None, "09:05"));
            }
        }
    }
}

#[test]
fn ages_follow_the_count_and_multi_toggles() {
    let mut flow = Flow::new(uuid::Uuid::new_v4(), Utc::now());
    apply(&mut flow, Question::ChildrenCount, Input::Text("2".into()), cx());
    apply(&mut flow, Question::ChildrenAges, Input::Age(0, "4".into()), cx());
    apply(&mut flow, Question::ChildrenAges, Input::Age(1, "9".into()), cx());
    assert_eq!(flow.draft.children_ages, vec![4, 9]);
    assert_eq!(
        widget(&flow, Question::ChildrenAges, Lang::Nl, cx()),
        Widget::Ages {
            values: vec!["4".into(), "9".into()]
        }
    );
    apply(
        &mut flow,
        Question::SignalCategories,
        Input::Toggle("physical".into()),
        cx(),
    );
    apply(
        &mut flow,
        Question::SignalCategories,
        Input::Toggle("codeword".into()),
        cx(),
    );
    assert_eq!(flow.draft.signal_categories, vec![SignalCategory::Physical]);
}

#[test]
fn a_date_typed_the_dutch_way_is_day_month_year() {
    let mut flow = Flow::new(uuid::Uuid::new_v4(), Utc::now());
    apply(&mut flow, Question::DateOfBirth, Input::Text("15-03-1988".into()), cx());
    assert_eq!(flow.draft.date_of_birth, chrono::NaiveDate::from_ymd_opt(1988, 3, 15));
    assert_eq!(
        typed_error(Question::DateOfBirth, "15-03-88"),
        Some(DateError::DateFormat)
    );
    assert_eq!(typed_error(Question::DateOfBirth, ""), None);
    assert_eq!(typed_error(Question::Observed, "15-03-88"), None);
}
