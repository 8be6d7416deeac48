//! The counter's rules for a fast and sure procedure: the answers a case starts with (the
//! codeword, the safe answers of the safe-contact block), which steps move on by themselves, the
//! gemeente suggested from the city, and the targets the window test measures.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::afweging;
use crate::flow::{Flow, Question, Step};
use crate::report::Answer;

/// At most this many interactions (a tap, a key such as Enter or Tab, the filling of one field)
/// from "Masker 19" to a submitted melding for a client who is alone, with a saved profile.
pub const MAX_INTERACTIONS: usize = 25;
/// At most this many characters typed for that melding.
pub const MAX_TYPED: usize = 140;
/// At most this many interactions from the home screen to the neutral screen.
pub const MAX_TO_NEUTRAL: usize = 3;

/// A new case when "Masker 19" is said. It starts with answers that are shown on their steps
/// for confirmation and can be changed, never hidden:
/// - afweging question 1 (a suspicion): yes — the codeword itself is the signal (and the
///   signal category `codeword` is preselected by the draft);
/// - the safe answers of the safe-contact block: no voicemail, no SMS, never at home, contact
///   through the safe phone rather than the pharmacy.
pub fn start(id: Uuid, now: DateTime<Utc>) -> Flow {
    let mut flow = Flow::new(id, now);
    let d = &mut flow.draft;
    d.afweging.set(afweging::Question::Suspicion, Some(Answer::Yes));
    d.voicemail_ok = Some(false);
    d.sms_ok = Some(false);
    d.never_at_home = Some(true);
    d.via_pharmacy = Some(false);
    flow
}

/// Whether choosing an answer to `q` moves on to the next step by itself: when it is the only
/// question on the step and a single choice (Back is always one tap). Steps with more than one
/// question, a free text or several choices wait for "Volgende" (or Enter).
pub fn advances_on_choice(flow: &Flow, q: Question) -> bool {
    flow.current() != Step::Review && flow.questions() == [q] && is_single_choice(q)
}

fn is_single_choice(q: Question) -> bool {
    use Question as Q;
    matches!(
        q,
        Q::Channel
            | Q::AcuteDanger
            | Q::Accompanied
            | Q::Consent
            | Q::Suspicion
            | Q::UnsafeSituation
            | Q::OwnHelp
            | Q::HelpAccepted
            | Q::LastingSafety
    )
}

/// The gemeente for a city typed on the person step (its name in the region table, any case),
/// else the pharmacy's own; `None` when neither is known.
pub fn suggest_gemeente(city: &str, pharmacy_gemeente: Option<&str>) -> Option<String> {
    let c = city.trim();
    crate::regions::latest()
        .gemeenten()
        .find(|g| !c.is_empty() && g.name.eq_ignore_ascii_case(c))
        .map(|g| g.code.clone())
        .or_else(|| pharmacy_gemeente.filter(|g| !g.is_empty()).map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_starts_on_the_safe_answers_and_the_codeword() {
        let flow = start(Uuid::new_v4(), Utc::now());
        let d = &flow.draft;
        assert_eq!(
            (d.voicemail_ok, d.sms_ok, d.never_at_home),
            (Some(false), Some(false), Some(true))
        );
        assert_eq!(d.afweging.get(afweging::Question::Suspicion), Some(Answer::Yes));
    }

    #[test]
    fn only_a_lone_single_choice_moves_on_by_itself() {
        let flow = start(Uuid::new_v4(), Utc::now());
        assert!(advances_on_choice(&flow, Question::Channel));
        assert!(!advances_on_choice(&flow, Question::Observed), "not on another step");
    }

    #[test]
    fn the_gemeente_follows_the_city_else_the_pharmacy() {
        assert_eq!(suggest_gemeente(" amsterdam ", None).as_deref(), Some("GM0363"));
        assert_eq!(
            suggest_gemeente("Nergensdorp", Some("GM0599")).as_deref(),
            Some("GM0599")
        );
        assert_eq!(suggest_gemeente("", None), None);
    }
}
