//! The feedback at the end of a practice run: the scenario's expectations against the report the
//! flow produced and the run's events. What was right, what differed and why (texts in Dutch and
//! English: [`Right::text`], [`What::text`], [`Why`]'s [`crate::Label`]), and the time taken.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::RunEvents;
use super::scenarios::{Scenario, ScenarioId};
use crate::flow::Step;
use crate::report::*;

/// Why the meldcode expects what it does: one sentence each, in [`crate::texts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    StructuralUnsafety,
    AccompaniedReportAfterwards,
    AcuteFirst,
    NoAcuteDanger,
    Bystander,
    PhoneListening,
    Meldrecht,
    NoSuspicion,
    NeutralAccompanied,
    NeutralBusyCounter,
    Accompanied,
    Alone,
    KindcheckChildren,
    KindcheckNone,
    ConsentGiven,
    ConsentRefused,
    ConsentUnsafe,
    PhoneUnsafe,
    Channel,
}

impl Why {
    pub const ALL: [Why; 19] = [
        Why::StructuralUnsafety,
        Why::AccompaniedReportAfterwards,
        Why::AcuteFirst,
        Why::NoAcuteDanger,
        Why::Bystander,
        Why::PhoneListening,
        Why::Meldrecht,
        Why::NoSuspicion,
        Why::NeutralAccompanied,
        Why::NeutralBusyCounter,
        Why::Accompanied,
        Why::Alone,
        Why::KindcheckChildren,
        Why::KindcheckNone,
        Why::ConsentGiven,
        Why::ConsentRefused,
        Why::ConsentUnsafe,
        Why::PhoneUnsafe,
        Why::Channel,
    ];
}

/// What went as the meldcode expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    Channel(Channel),
    Called112First,
    No112Needed,
    Accompanied(bool),
    NeutralScreen,
    Kindcheck(u8),
    Consent(Consent),
    Outcome(Kind),
    SafeContact,
}

/// What differed from what the meldcode expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    Channel { expected: Channel, got: Channel },
    No112,
    Late112 { at: Step },
    Needless112,
    Accompanied { expected: bool },
    NoNeutralScreen,
    LateNeutralScreen { at: Step },
    NoKindcheck,
    Children { expected: u8, got: u8 },
    Consent { expected: Consent, got: Option<Consent> },
    Outcome { expected: Kind, got: Kind },
    VoicemailOrSms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Differed {
    pub what: What,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub scenario: ScenarioId,
    pub right: Vec<Right>,
    pub differed: Vec<Differed>,
    /// From the report's `created_at` to the end of the run, in whole seconds (never negative).
    pub seconds_taken: i64,
}

impl Feedback {
    /// Whether the run went entirely as the meldcode expects.
    pub fn all_right(&self) -> bool {
        self.differed.is_empty()
    }
}

struct Judge {
    right: Vec<Right>,
    differed: Vec<Differed>,
}

impl Judge {
    fn check(&mut self, ok: bool, right: Right, what: What, why: Why) {
        if ok {
            self.right.push(right);
        } else {
            self.differed.push(Differed { what, why });
        }
    }
}

/// The feedback on a practice run of `scenario`: `report` is what the flow produced, `events`
/// what the app saw happen.
pub fn feedback(scenario: &Scenario, report: &Report, events: &RunEvents) -> Feedback {
    let e = &scenario.expect;
    let mut j = Judge {
        right: Vec::new(),
        differed: Vec::new(),
    };
    j.check(
        report.channel == e.channel,
        Right::Channel(e.channel),
        What::Channel {
            expected: e.channel,
            got: report.channel,
        },
        Why::Channel,
    );

    // A 112 call in the report whose step the app did not record counts as called at the end.
    let called = events
        .called_112_at
        .or_else(|| report.acute_112_at.map(|_| Step::Review));
    match (e.call_112_by, called) {
        (Some(_), None) => j.check(false, Right::Called112First, What::No112, Why::AcuteFirst),
        (Some(by), Some(at)) => j.check(at <= by, Right::Called112First, What::Late112 { at }, Why::AcuteFirst),
        (None, called) => j.check(
            called.is_none(),
            Right::No112Needed,
            What::Needless112,
            Why::NoAcuteDanger,
        ),
    }

    j.check(
        report.accompanied == e.accompanied,
        Right::Accompanied(e.accompanied),
        What::Accompanied {
            expected: e.accompanied,
        },
        if e.accompanied { Why::Accompanied } else { Why::Alone },
    );

    if let Some((by, why)) = e.neutral_screen_by {
        match events.neutral_screen_at {
            None => j.check(false, Right::NeutralScreen, What::NoNeutralScreen, why),
            Some(at) => j.check(at <= by, Right::NeutralScreen, What::LateNeutralScreen { at }, why),
        }
    }

    if let Some(expected) = e.children {
        let why = if expected > 0 {
            Why::KindcheckChildren
        } else {
            Why::KindcheckNone
        };
        match &report.kindcheck {
            None => j.check(false, Right::Kindcheck(expected), What::NoKindcheck, why),
            Some(k) => j.check(
                k.children_count == expected,
                Right::Kindcheck(expected),
                What::Children {
                    expected,
                    got: k.children_count,
                },
                why,
            ),
        }
    }

    // With an accompanied client the app records "not asked, unsafe" itself: nothing to judge
    // (or praise) there; the accompanied check above says whether that was right.
    if let Some(expected) = e.consent.filter(|_| !report.accompanied) {
        let got = report.conversation.as_ref().map(|c| c.consent);
        let why = match expected {
            Consent::Given => Why::ConsentGiven,
            Consent::Refused => Why::ConsentRefused,
            Consent::NotAskedUnsafe => Why::ConsentUnsafe,
        };
        j.check(
            got == Some(expected),
            Right::Consent(expected),
            What::Consent { expected, got },
            why,
        );
    }

    let expected_kind = e.kinds.first().copied().unwrap_or(Kind::Melding);
    j.check(
        e.kinds.contains(&report.kind),
        Right::Outcome(report.kind),
        What::Outcome {
            expected: expected_kind,
            got: report.kind,
        },
        e.outcome_why,
    );

    if e.phone_unsafe
        && let Some(sc) = &report.safe_contact
    {
        j.check(
            !sc.voicemail_ok && !sc.sms_ok,
            Right::SafeContact,
            What::VoicemailOrSms,
            Why::PhoneUnsafe,
        );
    }

    Feedback {
        scenario: scenario.id,
        right: j.right,
        differed: j.differed,
        seconds_taken: (events.finished_at - report.created_at)
            .max(Duration::zero())
            .num_seconds(),
    }
}
