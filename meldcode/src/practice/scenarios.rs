//! The practice scenarios as data: what the meldcode expects in each, the model's answers, and
//! fictional data to suggest. The situations' texts are in [`crate::texts`].

use serde::{Deserialize, Serialize};

use super::feedback::Why;
use crate::afweging::Answers;
use crate::flow::Step;
use crate::report::{Answer, Channel, Consent, Kind, SignalCategory};

/// The scenarios, in the order a team would practise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioId {
    /// Alone, consents, two children: a melding.
    AloneConsents,
    /// The companion speaks for the client: neutral screen, a melding afterwards.
    Accompanied,
    /// Acute danger: 112 first.
    AcuteDanger,
    /// A bystander uses the codeword about a neighbour: an adviesvraag.
    Bystander,
    /// The codeword on a note at a busy counter.
    NoteAtBusyCounter,
    /// By phone, about a home delivery, with the partner listening.
    PhoneDelivery,
    /// Consent refused, structural unsafety: a melding without consent (*meldrecht*).
    RefusedUnsafe,
    /// The suspicion is not confirmed: geen melding, the reasoning kept in the pharmacy.
    NotConfirmed,
}

impl ScenarioId {
    pub const ALL: [ScenarioId; 8] = [
        ScenarioId::AloneConsents,
        ScenarioId::Accompanied,
        ScenarioId::AcuteDanger,
        ScenarioId::Bystander,
        ScenarioId::NoteAtBusyCounter,
        ScenarioId::PhoneDelivery,
        ScenarioId::RefusedUnsafe,
        ScenarioId::NotConfirmed,
    ];

    /// The snake_case code, as in JSON (e.g. a practice history on the device).
    pub fn code(self) -> &'static str {
        match self {
            ScenarioId::AloneConsents => "alone_consents",
            ScenarioId::Accompanied => "accompanied",
            ScenarioId::AcuteDanger => "acute_danger",
            ScenarioId::Bystander => "bystander",
            ScenarioId::NoteAtBusyCounter => "note_at_busy_counter",
            ScenarioId::PhoneDelivery => "phone_delivery",
            ScenarioId::RefusedUnsafe => "refused_unsafe",
            ScenarioId::NotConfirmed => "not_confirmed",
        }
    }

    pub fn from_code(code: &str) -> Option<ScenarioId> {
        ScenarioId::ALL.into_iter().find(|s| s.code() == code)
    }

    /// This scenario's row of [`SCENARIOS`].
    pub fn scenario(self) -> &'static Scenario {
        &SCENARIOS[self as usize]
    }
}

/// What the meldcode expects in a scenario; the feedback compares a run with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expectations {
    pub channel: Channel,
    pub accompanied: bool,
    pub acute_danger: bool,
    /// 112 must be called at this step or before it; `None`: there is no acute danger, no 112.
    pub call_112_by: Option<Step>,
    /// The neutral screen must be used at this step or before it, and why.
    pub neutral_screen_by: Option<(Step, Why)>,
    /// The kindcheck must be done and find this many children; `None`: not judged (the case may
    /// end at the 112 call, or the client is a child).
    pub children: Option<u8>,
    /// The consent the report must record; `None`: not judged.
    pub consent: Option<Consent>,
    /// The outcomes the meldcode expects (the first is the model's) and why.
    pub kinds: &'static [Kind],
    pub outcome_why: Why,
    /// The perpetrator reads the client's phone: no voicemail, no sms, the pharmacy as contact.
    pub phone_unsafe: bool,
}

/// The model's own answers where the expectations do not decide them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    /// One age per child; empty: the kindcheck is "not applicable".
    pub children_ages: &'static [u8],
    pub signals: &'static [SignalCategory],
    /// The afwegingskader's answers (those the framework skips are left out).
    pub afweging: Answers,
    pub perpetrator_in_household: Option<bool>,
}

/// Fictional data to suggest in a practice run: clearly made up, valid for the rules (a test
/// BSN that passes the elfproef, a real municipality code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fictional {
    pub person_name: &'static str,
    /// `YYYY-MM-DD`.
    pub date_of_birth: &'static str,
    pub street: &'static str,
    pub house_number: &'static str,
    pub postcode: &'static str,
    pub city: &'static str,
    pub gemeente: &'static str,
    pub safe_phone: &'static str,
    pub safe_times: &'static str,
    pub reporter_name: &'static str,
    pub reporter_phone: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    pub id: ScenarioId,
    pub expect: Expectations,
    pub model: Model,
    pub fictional: Fictional,
}

const fn answers(
    suspicion: Answer,
    unsafe_situation: Option<Answer>,
    own_help: Option<Answer>,
    help_accepted: Option<Answer>,
    lasting_safety: Option<Answer>,
) -> Answers {
    Answers {
        acute_danger: false,
        suspicion: Some(suspicion),
        unsafe_situation,
        own_help,
        help_accepted,
        lasting_safety,
    }
}

/// Suspicion and structural unsafety: the framework recommends a melding.
const UNSAFE: Answers = answers(Answer::Yes, Some(Answer::Yes), None, None, None);
const NO_SUSPICION: Answers = answers(Answer::No, None, None, None, None);

const fn fictional(person_name: &'static str, street: &'static str, safe_phone: &'static str) -> Fictional {
    Fictional {
        person_name,
        date_of_birth: "1991-05-17",
        street,
        house_number: "19",
        postcode: "1019 OE",
        city: "Amsterdam",
        gemeente: "GM0363",
        safe_phone,
        safe_times: "Werkdagen tussen 10 en 12 uur (oefening)",
        reporter_name: "Oefenapotheker",
        reporter_phone: "020-0000019",
    }
}

const NONE_EXPECTED: Expectations = Expectations {
    channel: Channel::Balie,
    accompanied: false,
    acute_danger: false,
    call_112_by: None,
    neutral_screen_by: None,
    children: None,
    consent: None,
    kinds: &[Kind::Melding],
    outcome_why: Why::StructuralUnsafety,
    phone_unsafe: false,
};

use SignalCategory as S;

/// The scenarios, in the order of [`ScenarioId::ALL`].
pub const SCENARIOS: [Scenario; 8] = [
    Scenario {
        id: ScenarioId::AloneConsents,
        expect: Expectations {
            children: Some(2),
            consent: Some(Consent::Given),
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[4, 7],
            signals: &[S::Codeword, S::Physical, S::Statements, S::Children],
            afweging: UNSAFE,
            perpetrator_in_household: Some(true),
        },
        fictional: fictional("Fenna Oefenaar", "Oefenstraat", "06-00000019"),
    },
    Scenario {
        id: ScenarioId::Accompanied,
        expect: Expectations {
            accompanied: true,
            neutral_screen_by: Some((Step::Accompanied, Why::NeutralAccompanied)),
            children: Some(0),
            consent: Some(Consent::NotAskedUnsafe),
            outcome_why: Why::AccompaniedReportAfterwards,
            phone_unsafe: true,
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[],
            signals: &[S::Codeword, S::Physical, S::Companion],
            afweging: UNSAFE,
            perpetrator_in_household: Some(true),
        },
        fictional: fictional("Mirjam Proefmans", "Proefweg", ""),
    },
    Scenario {
        id: ScenarioId::AcuteDanger,
        expect: Expectations {
            acute_danger: true,
            call_112_by: Some(Step::Acute),
            kinds: &[Kind::Acuut112, Kind::Melding],
            outcome_why: Why::AcuteFirst,
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[],
            signals: &[S::Codeword, S::Physical, S::Statements],
            afweging: Answers {
                acute_danger: true,
                ..UNSAFE
            },
            perpetrator_in_household: Some(true),
        },
        fictional: fictional("Joost Nepveu", "Nepstraat", "06-00000112"),
    },
    Scenario {
        id: ScenarioId::Bystander,
        expect: Expectations {
            children: Some(2),
            kinds: &[Kind::Adviesvraag],
            outcome_why: Why::Bystander,
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[3, 5],
            signals: &[S::Codeword, S::Statements],
            afweging: UNSAFE,
            perpetrator_in_household: None,
        },
        fictional: fictional("Buurvrouw Verzonnen", "Verzonnenlaan", ""),
    },
    Scenario {
        id: ScenarioId::NoteAtBusyCounter,
        expect: Expectations {
            channel: Channel::Briefje,
            neutral_screen_by: Some((Step::Accompanied, Why::NeutralBusyCounter)),
            children: Some(1),
            consent: Some(Consent::Given),
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[10],
            signals: &[S::Codeword, S::Psychological, S::Statements],
            afweging: UNSAFE,
            perpetrator_in_household: Some(false),
        },
        fictional: fictional("Sanne Oefenberg", "Briefjesgracht", "06-00001919"),
    },
    Scenario {
        id: ScenarioId::PhoneDelivery,
        expect: Expectations {
            channel: Channel::Telefoon,
            accompanied: true,
            children: Some(1),
            consent: Some(Consent::NotAskedUnsafe),
            outcome_why: Why::PhoneListening,
            phone_unsafe: true,
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[2],
            signals: &[S::Codeword, S::Companion],
            afweging: UNSAFE,
            perpetrator_in_household: Some(true),
        },
        fictional: fictional("Ilse Bezorgd-Oefen", "Bezorgerspad", ""),
    },
    Scenario {
        id: ScenarioId::RefusedUnsafe,
        expect: Expectations {
            children: Some(0),
            consent: Some(Consent::Refused),
            outcome_why: Why::Meldrecht,
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[],
            signals: &[S::Codeword, S::Physical, S::Statements],
            afweging: UNSAFE,
            perpetrator_in_household: Some(true),
        },
        fictional: Fictional {
            date_of_birth: "1946-02-03",
            ..fictional("Truus Oefenhuizen", "Meldrechtstraat", "020-0000005")
        },
    },
    Scenario {
        id: ScenarioId::NotConfirmed,
        expect: Expectations {
            kinds: &[Kind::GeenMelding],
            outcome_why: Why::NoSuspicion,
            ..NONE_EXPECTED
        },
        model: Model {
            children_ages: &[],
            signals: &[S::Codeword],
            afweging: NO_SUSPICION,
            perpetrator_in_household: None,
        },
        fictional: fictional("Tim Grapjas", "Posterplein", ""),
    },
];
