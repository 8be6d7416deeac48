//! The *afwegingskader*: five questions in order, and what they recommend.
//!
//! One function, [`expected`], says which answers each question takes given the earlier ones;
//! the flow uses it to skip questions and validation uses it to check a report.

use serde::{Deserialize, Serialize};

use crate::report::{Afweging, Answer, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    Suspicion,
    UnsafeSituation,
    OwnHelp,
    HelpAccepted,
    LastingSafety,
}

impl Question {
    pub const ALL: [Question; 5] = [
        Question::Suspicion,
        Question::UnsafeSituation,
        Question::OwnHelp,
        Question::HelpAccepted,
        Question::LastingSafety,
    ];

    /// The field name in the report's `afweging` block.
    pub fn field(self) -> &'static str {
        match self {
            Question::Suspicion => "suspicion",
            Question::UnsafeSituation => "unsafe_situation",
            Question::OwnHelp => "own_help",
            Question::HelpAccepted => "help_accepted",
            Question::LastingSafety => "lasting_safety",
        }
    }
}

/// The answers so far, in question order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Answers {
    /// Not an answer of the framework but a fact it reads: acute danger (the flow's second
    /// step) is acute unsafety, so question 2 takes only "yes". Not stored with the raw answers
    /// (the draft keeps it as its own answer).
    #[serde(skip)]
    pub acute_danger: bool,
    pub suspicion: Option<Answer>,
    pub unsafe_situation: Option<Answer>,
    pub own_help: Option<Answer>,
    pub help_accepted: Option<Answer>,
    pub lasting_safety: Option<Answer>,
}

impl Answers {
    pub fn get(&self, q: Question) -> Option<Answer> {
        match q {
            Question::Suspicion => self.suspicion,
            Question::UnsafeSituation => self.unsafe_situation,
            Question::OwnHelp => self.own_help,
            Question::HelpAccepted => self.help_accepted,
            Question::LastingSafety => self.lasting_safety,
        }
    }

    pub fn set(&mut self, q: Question, a: Option<Answer>) {
        let slot = match q {
            Question::Suspicion => &mut self.suspicion,
            Question::UnsafeSituation => &mut self.unsafe_situation,
            Question::OwnHelp => &mut self.own_help,
            Question::HelpAccepted => &mut self.help_accepted,
            Question::LastingSafety => &mut self.lasting_safety,
        };
        *slot = a;
    }

    /// The answers as the framework reads them: an answer is kept only where [`expected`] still
    /// takes it after the earlier (effective) answers, and a question with a single possible
    /// answer (`WithVeiligThuis`) gets that answer. The flow keeps the raw answers, so that going
    /// back and changing an earlier answer never loses a later one.
    pub fn effective(&self) -> Answers {
        let mut out = Answers {
            acute_danger: self.acute_danger,
            ..Answers::default()
        };
        for q in Question::ALL {
            let answer = match expected(q, &out) {
                [] => None,
                [only] => Some(*only),
                allowed => self.get(q).filter(|a| allowed.contains(a)),
            };
            out.set(q, answer);
        }
        out
    }
}

impl From<&Afweging> for Answers {
    fn from(a: &Afweging) -> Answers {
        Answers {
            acute_danger: a.acute_danger,
            suspicion: Some(a.suspicion),
            unsafe_situation: a.unsafe_situation,
            own_help: a.own_help,
            help_accepted: a.help_accepted,
            lasting_safety: a.lasting_safety,
        }
    }
}

const YES_NO: &[Answer] = &[Answer::Yes, Answer::No];
const YES: &[Answer] = &[Answer::Yes];
const WITH_VT: &[Answer] = &[Answer::WithVeiligThuis];
const YES_NO_UNKNOWN: &[Answer] = &[Answer::Yes, Answer::No, Answer::NotYetKnown];

/// The answers question `q` takes after the earlier answers; empty: the question is skipped.
pub fn expected(q: Question, a: &Answers) -> &'static [Answer] {
    use Answer::{No, Yes};
    if q != Question::Suspicion && a.suspicion != Some(Yes) {
        return &[];
    }
    match q {
        Question::UnsafeSituation if a.acute_danger => YES,
        Question::Suspicion | Question::UnsafeSituation => YES_NO,
        _ if a.unsafe_situation == Some(Yes) => WITH_VT,
        Question::OwnHelp => YES_NO,
        Question::HelpAccepted if a.own_help == Some(No) => &[],
        Question::HelpAccepted => YES_NO,
        Question::LastingSafety if a.own_help == Some(No) || a.help_accepted == Some(No) => &[],
        Question::LastingSafety => YES_NO_UNKNOWN,
    }
}

/// Whether choosing `kind` where the framework recommends `recommended` is an override that
/// needs a written reason. An adviesvraag never is: asking Veilig Thuis for advice is step 2 of
/// the meldcode, a normal choice whatever the recommendation.
pub fn is_override(kind: Kind, recommended: Kind) -> bool {
    kind != recommended && kind != Kind::Adviesvraag
}

/// Why the framework recommends what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    NoSuspicion,
    Unsafe,
    NoOwnHelp,
    HelpNotAccepted,
    NoLastingSafety,
    LastingSafety,
    NotYetKnown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// `Melding` or `GeenMelding`.
    pub kind: Kind,
    pub reason: Reason,
}

/// The recommendation for complete, consistent answers; `None` while a question that is expected
/// is unanswered or holds an answer it does not take.
pub fn recommend(a: &Answers) -> Option<Recommendation> {
    let consistent = Question::ALL.iter().all(|&q| match (expected(q, a), a.get(q)) {
        ([], None) => true,
        ([], Some(_)) | (_, None) => false,
        (allowed, Some(x)) => allowed.contains(&x),
    });
    if !consistent {
        return None;
    }
    use Answer::{No, NotYetKnown, Yes};
    let (kind, reason) = if a.suspicion == Some(No) {
        (Kind::GeenMelding, Reason::NoSuspicion)
    } else if a.unsafe_situation == Some(Yes) {
        (Kind::Melding, Reason::Unsafe)
    } else if a.own_help == Some(No) {
        (Kind::Melding, Reason::NoOwnHelp)
    } else if a.help_accepted == Some(No) {
        (Kind::Melding, Reason::HelpNotAccepted)
    } else if a.lasting_safety == Some(No) {
        (Kind::Melding, Reason::NoLastingSafety)
    } else if a.lasting_safety == Some(NotYetKnown) {
        (Kind::GeenMelding, Reason::NotYetKnown)
    } else {
        (Kind::GeenMelding, Reason::LastingSafety)
    };
    Some(Recommendation { kind, reason })
}

/// Walk the questions with a fixed answer for each one asked (the others follow the framework):
/// the answers the flow produces. `WithVeiligThuis` is filled in where it is the only option.
pub fn walk(mut pick: impl FnMut(Question, &'static [Answer]) -> Answer) -> Answers {
    let mut a = Answers::default();
    for q in Question::ALL {
        let allowed = expected(q, &a);
        let answer = match allowed {
            [] => None,
            [only] => Some(*only),
            _ => Some(pick(q, allowed)),
        };
        a.set(q, answer);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer::{No, WithVeiligThuis, Yes};

    fn yn(b: bool) -> Answer {
        if b { Yes } else { No }
    }

    /// All 32 yes/no combinations of the five questions, against the afwegingskader's rules
    /// written out independently: the first question whose answer decides, decides.
    #[test]
    fn all_32_combinations() {
        let mut seen = 0;
        for bits in 0u8..32 {
            let b = |i: u8| bits & (1 << i) != 0;
            let (q1, q2, q3, q4, q5) = (b(0), b(1), b(2), b(3), b(4));
            let answers = walk(|q, _| match q {
                Question::Suspicion => yn(q1),
                Question::UnsafeSituation => yn(q2),
                Question::OwnHelp => yn(q3),
                Question::HelpAccepted => yn(q4),
                Question::LastingSafety => yn(q5),
            });
            let rec = recommend(&answers).expect("walked answers are consistent");
            let want = if !q1 {
                (Kind::GeenMelding, Reason::NoSuspicion)
            } else if q2 {
                (Kind::Melding, Reason::Unsafe)
            } else if !q3 {
                (Kind::Melding, Reason::NoOwnHelp)
            } else if !q4 {
                (Kind::Melding, Reason::HelpNotAccepted)
            } else if !q5 {
                (Kind::Melding, Reason::NoLastingSafety)
            } else {
                (Kind::GeenMelding, Reason::LastingSafety)
            };
            assert_eq!((rec.kind, rec.reason), want, "answers {q1} {q2} {q3} {q4} {q5}");
            if q1 && q2 {
                assert_eq!(answers.own_help, Some(WithVeiligThuis));
                assert_eq!(answers.lasting_safety, Some(WithVeiligThuis));
            }
            if !q1 {
                assert_eq!(answers.unsafe_situation, None);
            }
            seen += 1;
        }
        assert_eq!(seen, 32);
    }

    #[test]
    fn not_yet_known_is_only_for_question_five() {
        let a = walk(|q, _| match q {
            Question::UnsafeSituation => No,
            Question::LastingSafety => Answer::NotYetKnown,
            _ => Yes,
        });
        assert_eq!(recommend(&a).map(|r| r.reason), Some(Reason::NotYetKnown));
        let bad = Answers {
            suspicion: Some(Answer::NotYetKnown),
            ..Answers::default()
        };
        assert_eq!(recommend(&bad), None);
    }

    #[test]
    fn inconsistent_answers_have_no_recommendation() {
        let skipped_but_answered = Answers {
            suspicion: Some(No),
            unsafe_situation: Some(Yes),
            ..Answers::default()
        };
        assert_eq!(recommend(&skipped_but_answered), None);
        let missing = Answers {
            suspicion: Some(Yes),
            ..Answers::default()
        };
        assert_eq!(recommend(&missing), None);
    }
}
