//! The progress shown on each step, so that it never goes backwards.
//!
//! [`crate::flow::Flow::progress`] counts the steps shown *now*; answers change which steps are
//! shown, so its fraction jumped back (8/13 → 9/17) when an answer brought the person, safe
//! contact and reporter steps in. Here the bar runs over the whole step table: skipped steps are
//! passed over (the bar jumps forward), a step shown later was already counted, and moving on
//! always moves the bar forward. The label counts the steps shown so far ("Stap 9").

use crate::flow::{Flow, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The current step's number among the steps shown up to it (1-based): "Stap 9".
    pub number: usize,
    /// The bar: `value` of `max`, over the whole step table.
    pub value: usize,
    pub max: usize,
}

impl Progress {
    pub fn of(flow: &Flow) -> Progress {
        let current = flow.current();
        Progress {
            number: flow.progress().0,
            value: Step::ALL.iter().position(|s| *s == current).map_or(1, |i| i + 1),
            max: Step::ALL.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::report::*;

    #[test]
    fn the_bar_never_goes_backwards_on_the_way_to_a_melding() {
        let now = Utc::now();
        let mut flow = Flow::new(uuid::Uuid::new_v4(), now);
        let d = &mut flow.draft;
        d.channel = Some(Channel::Balie);
        d.acute_danger = Some(false);
        d.accompanied = Some(true);
        d.kindcheck_status = Some(KindcheckStatus::NotApplicable);
        d.afweging.set(crate::afweging::Question::Suspicion, Some(Answer::Yes));
        d.afweging
            .set(crate::afweging::Question::UnsafeSituation, Some(Answer::Yes));
        // First leaning to "geen melding": the person, safe contact and reporter steps are out.
        d.chosen_kind = Some(Kind::GeenMelding);
        let mut last = Progress::of(&flow);
        while flow.current() < Step::Outcome {
            assert!(flow.next(now).is_ok(), "{:?}", flow.current());
            let p = Progress::of(&flow);
            assert!(p.value * last.max > last.value * p.max, "{last:?} → {p:?}");
            assert_eq!(p.number, last.number + 1);
            last = p;
        }
        // The outcome brings three more steps in: the old count went from n/13 to n+1/17.
        let (before, total_before) = flow.progress();
        flow.draft.chosen_kind = Some(Kind::Melding);
        let (_, total_after) = flow.progress();
        assert!(
            total_after > total_before,
            "the test covers the jump ({before}/{total_before})"
        );
        assert_eq!(Progress::of(&flow), last, "an answer does not move the bar");
    }
}
