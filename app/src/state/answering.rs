//! Answering and moving on: typed dates and times checked, the gemeente suggested from the city,
//! and a lone single choice that moves on by itself.

use chrono::{DateTime, Utc};
use meldcode::FieldError;
use meldcode::flow::Question;

use super::{AppState, Effect};
use crate::answers::{self, Input};

impl AppState {
    pub(super) fn answer(&mut self, q: Question, input: Input) -> Vec<Effect> {
        let cx = self.context();
        let Some(flow) = self.flow.as_mut() else { return vec![] };
        match &input {
            Input::Text(t) => match answers::typed_error(q, t) {
                Some(e) => self.typed_errors.insert(q, e),
                None => self.typed_errors.remove(&q),
            },
            Input::Choose(_) if q == Question::ReachableUntil => {
                self.fields_drawn += 1;
                self.typed_errors.remove(&q)
            }
            _ => None,
        };
        let chose = matches!(input, Input::Choose(_));
        let typed = matches!(input, Input::Text(_) | Input::Age(..));
        answers::apply(flow, q, input, cx);
        match q {
            Question::Gemeente => self.gemeente_by_hand = true,
            Question::City if !self.gemeente_by_hand => {
                let suggested =
                    meldcode::counter::suggest_gemeente(&flow.draft.city, self.pharmacy_gemeente.as_deref());
                flow.draft.gemeente = suggested.unwrap_or_default();
            }
            _ => {}
        }
        self.problems.retain(|p| Question::at_pointer(&p.path) != Some(q));
        // A lone single choice moves on by itself (Back is one tap); where the step still needs
        // something (acute danger: 112 first) it stays, without a scolding.
        if chose && meldcode::counter::advances_on_choice(flow, q) && flow.next(self.now).is_ok() {
            self.problems.clear();
        }
        if typed { self.save_typed() } else { self.save() }
    }

    /// "Volgende" (or Enter): refused while a date or time typed is not one, or with what the
    /// step still needs.
    pub(super) fn next(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        let Some(flow) = self.flow.as_mut() else { return vec![] };
        let typed: Vec<FieldError> = flow
            .questions()
            .into_iter()
            .filter_map(|q| {
                let e = self.typed_errors.get(&q)?;
                Some(FieldError::new(
                    q.pointer(),
                    meldcode::Rule::InvalidValue,
                    e.to_string(),
                ))
            })
            .collect();
        if !typed.is_empty() {
            self.problems = typed;
            return vec![];
        }
        match flow.next(now) {
            Ok(_) => self.problems.clear(),
            Err(p) => self.problems = p,
        }
        self.save()
    }
}
