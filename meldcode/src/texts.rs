//! Every question, option and label of the procedure and the report in Dutch (the default) and
//! English, for the app and the server alike: a label of the domain is written nowhere else.
//! Words around them live with their screens: the app's own texts in `app/src/texts*.rs`, the
//! server's Dutch pages in `server/templates/` and its handlers.
//!
//! [`Label::label`] gives the text of a value; questions also have [`Question::short`] (a field
//! name, for the review screen and intake pages) and [`Question::help`] (a hint, where one
//! matters).
//!
//! [`Question::short`]: crate::flow::Question::short
//! [`Question::help`]: crate::flow::Question::help

mod first_seconds;
mod practice;
mod procedure;
mod questions;

pub use first_seconds::FirstSeconds;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Rule};
use crate::flow::Question;
use crate::report::*;
use crate::status::Status;

/// The language of the texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// `nl` or `en`, as in `Accept-Language` and HTML's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// `nl`, `en`, `en-GB`, … (case-insensitive); anything else: `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The text in this language of a Dutch/English pair.
    pub fn pick(self, nl: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

/// A value's text for people.
pub trait Label {
    fn label(&self, lang: Lang) -> &'static str;
}

/// Texts of the screens that are not a question or an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ui {
    Codeword,
    Start,
    NeutralResponse,
    Next,
    Back,
    Edit,
    StepOf,
    Call112,
    Called112,
    Call112First,
    Stop112,
    Stopped112,
    Resume,
    Recommendation,
    Decision,
    Submit,
    Yes,
    No,
    Unknown,
    VeiligThuis,
    KeepOutOfAis,
    Queued,
    Rejected,
    CountOnly,
}

impl Ui {
    pub const ALL: [Ui; 24] = [
        Ui::Codeword,
        Ui::Start,
        Ui::NeutralResponse,
        Ui::Next,
        Ui::Back,
        Ui::Edit,
        Ui::StepOf,
        Ui::Call112,
        Ui::Called112,
        Ui::Call112First,
        Ui::Stop112,
        Ui::Stopped112,
        Ui::Resume,
        Ui::Recommendation,
        Ui::Decision,
        Ui::Submit,
        Ui::Yes,
        Ui::No,
        Ui::Unknown,
        Ui::VeiligThuis,
        Ui::KeepOutOfAis,
        Ui::Queued,
        Ui::Rejected,
        Ui::CountOnly,
    ];
}

impl Label for Ui {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Ui::Codeword => ("Masker 19", "Masker 19"),
            Ui::Start => ("Iemand zegt \"Masker 19\"", "Someone says \"Masker 19\""),
            Ui::NeutralResponse => (
                "Reageer neutraal (anderen kunnen meeluisteren) en haal de apotheker erbij.",
                "Respond neutrally (others may be listening) and fetch the pharmacist.",
            ),
            Ui::Next => ("Volgende", "Next"),
            Ui::Back => ("Vorige", "Back"),
            Ui::Edit => ("Wijzigen", "Change"),
            Ui::StepOf => ("Stap", "Step"),
            Ui::Call112 => ("Bel 112", "Call 112"),
            Ui::Called112 => ("112 gebeld om", "112 called at"),
            Ui::Call112First => (
                "Bel eerst 112. Tik daarna op \"Bel 112\" zodat het tijdstip wordt vastgelegd.",
                "Call 112 first. Then tap \"Call 112\" so that the time is recorded.",
            ),
            Ui::Stop112 => ("Afronden: afgehandeld via 112", "Finish: handled by 112"),
            Ui::Stopped112 => (
                "Afgehandeld via 112. De politie informeert Veilig Thuis; alleen een telling verlaat de apotheek.",
                "Handled by 112. The police inform Veilig Thuis; only a count leaves the pharmacy.",
            ),
            Ui::Resume => ("Toch verder met de stappen", "Continue with the steps after all"),
            Ui::Recommendation => (
                "Advies van het afwegingskader",
                "The decision framework's recommendation",
            ),
            Ui::Decision => ("Uw besluit", "Your decision"),
            Ui::Submit => ("Versturen", "Send"),
            Ui::Yes => ("Ja", "Yes"),
            Ui::No => ("Nee", "No"),
            Ui::Unknown => ("Weet ik niet", "Don't know"),
            Ui::VeiligThuis => (
                "Veilig Thuis: 0800-2000 (gratis, dag en nacht bereikbaar)",
                "Veilig Thuis: 0800-2000 (free, day and night)",
            ),
            Ui::KeepOutOfAis => (
                "Zet niets over deze hulpvraag in het AIS, het medicatiedossier of een gedeeld dossier.",
                "Record nothing about this request in the pharmacy system, the medication record or a shared record.",
            ),
            Ui::Queued => (
                "Nog niet verstuurd: wordt opnieuw geprobeerd",
                "Not sent yet: will be retried",
            ),
            Ui::Rejected => ("Geweigerd door de server", "Rejected by the server"),
            Ui::CountOnly => (
                "Alleen een telling zonder persoonsgegevens verlaat de apotheek.",
                "Only a count without personal data leaves the pharmacy.",
            ),
        };
        lang.pick(nl, en)
    }
}

impl Label for Kind {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Kind::Melding => ("Melding", "Report"),
            Kind::Adviesvraag => ("Adviesvraag", "Request for advice"),
            Kind::GeenMelding => ("Geen melding", "No report"),
            Kind::Acuut112 => ("Acuut (112)", "Emergency (112)"),
        };
        lang.pick(nl, en)
    }
}

impl Label for Channel {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Channel::Balie => ("Aan de balie", "At the counter"),
            Channel::Briefje => ("Op een briefje", "On a note"),
            Channel::Telefoon => ("Telefonisch", "By phone"),
            Channel::Bezorging => ("Bij een bezorging", "During a home delivery"),
        };
        lang.pick(nl, en)
    }
}

impl Label for Status {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Status::Received => ("Ontvangen", "Received"),
            Status::Forwarded => ("Doorgestuurd naar Veilig Thuis", "Forwarded to Veilig Thuis"),
            Status::Acknowledged => ("In behandeling bij Veilig Thuis", "Taken into intake by Veilig Thuis"),
            Status::Transferred => ("Overgedragen aan een andere regio", "Transferred to another region"),
            Status::Closed => ("Afgesloten", "Closed"),
            Status::Recorded => ("Geteld (niet doorgestuurd)", "Counted (not forwarded)"),
        };
        lang.pick(nl, en)
    }
}

/// One wording per state of a report on the pharmacy's device; "verstuurd" only once the server
/// accepted it.
impl Label for crate::status::LocalState {
    fn label(&self, lang: Lang) -> &'static str {
        use crate::status::LocalState as L;
        let (nl, en) = match self {
            L::Queued => ("Opgeslagen — nog niet verstuurd", "Saved — not sent yet"),
            L::Rejected => (
                "Geweigerd door de server — niet verstuurd",
                "Rejected by the server — not sent",
            ),
            L::Lost => (
                "Veilig Thuis heeft deze melding niet — bel 0800-2000",
                "Veilig Thuis does not have this report — call 0800-2000",
            ),
            L::Server(Status::Received) => ("Verstuurd — ontvangen door de server", "Sent — received by the server"),
            L::Server(Status::Forwarded) => (
                "Verstuurd — doorgestuurd naar Veilig Thuis",
                "Sent — forwarded to Veilig Thuis",
            ),
            L::Server(Status::Acknowledged) => (
                "Verstuurd — in behandeling bij Veilig Thuis",
                "Sent — taken into intake by Veilig Thuis",
            ),
            L::Server(Status::Transferred) => (
                "Verstuurd — overgedragen aan een andere regio",
                "Sent — transferred to another region",
            ),
            L::Server(Status::Closed) => (
                "Verstuurd — afgesloten door Veilig Thuis",
                "Sent — closed by Veilig Thuis",
            ),
            L::Server(Status::Recorded) => (
                "Verstuurd — geteld (niet doorgestuurd)",
                "Sent — counted (not forwarded)",
            ),
        };
        lang.pick(nl, en)
    }
}

impl Label for SignalCategory {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            SignalCategory::Codeword => ("Het codewoord (Masker 19)", "The codeword (Masker 19)"),
            SignalCategory::Physical => ("Lichamelijk letsel", "Physical injuries"),
            SignalCategory::Psychological => (
                "Psychische signalen (angst, spanning, slaapproblemen)",
                "Psychological signs (fear, tension, sleeping problems)",
            ),
            SignalCategory::Companion => ("Gedrag van de begeleider", "The companion's behaviour"),
            SignalCategory::Medication => ("Opvallend medicatiegebruik", "Striking medication use"),
            SignalCategory::Children => ("Signalen bij kinderen", "Signs in children"),
            SignalCategory::Statements => ("Wat de cliënt zelf vertelt", "What the client says"),
        };
        lang.pick(nl, en)
    }
}

impl Label for Consulted {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Consulted::Aandachtsfunctionaris => ("Aandachtsfunctionaris", "Safeguarding lead (aandachtsfunctionaris)"),
            Consulted::Colleague => ("Collega", "Colleague"),
            Consulted::Huisarts => ("Huisarts", "GP"),
            Consulted::VeiligThuis => ("Veilig Thuis (advies)", "Veilig Thuis (advice)"),
        };
        lang.pick(nl, en)
    }
}

impl Label for Consent {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Consent::Given => ("Toestemming gegeven", "Consent given"),
            Consent::Refused => ("Toestemming geweigerd", "Consent refused"),
            Consent::NotAskedUnsafe => ("Niet gevraagd: vragen was niet veilig", "Not asked: asking was unsafe"),
        };
        lang.pick(nl, en)
    }
}

impl Label for Answer {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Answer::Yes => ("Ja", "Yes"),
            Answer::No => ("Nee", "No"),
            Answer::WithVeiligThuis => ("Samen met Veilig Thuis", "Together with Veilig Thuis"),
            Answer::NotYetKnown => ("Nog niet bekend", "Not yet known"),
        };
        lang.pick(nl, en)
    }
}

impl Label for ReporterRole {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            ReporterRole::Pharmacist => ("Apotheker", "Pharmacist"),
            ReporterRole::Assistant => ("Apothekersassistent", "Pharmacy assistant"),
        };
        lang.pick(nl, en)
    }
}

impl Label for Disclosure {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Disclosure::Open => ("Open melden", "Report openly"),
            Disclosure::Anonymous => ("Anoniem tegenover het gezin", "Anonymous towards the family"),
        };
        lang.pick(nl, en)
    }
}

impl Label for KindcheckStatus {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            KindcheckStatus::Done => ("Kindcheck gedaan", "Child check done"),
            KindcheckStatus::NotApplicable => ("Niet van toepassing", "Not applicable"),
        };
        lang.pick(nl, en)
    }
}

impl Label for bool {
    fn label(&self, lang: Lang) -> &'static str {
        if *self { Ui::Yes.label(lang) } else { Ui::No.label(lang) }
    }
}

/// One line for a person about a broken rule: the question it is about and the rule's sentence,
/// or how to record the 112 call.
pub fn describe_error(e: &FieldError, lang: Lang) -> String {
    if e.path == "/acute_112_at" && e.rule == Rule::Required {
        return Ui::Call112First.label(lang).to_owned();
    }
    match Question::at_pointer(&e.path) {
        Some(q) => format!("{}: {}", q.short(lang), e.rule.label(lang)),
        None => e.rule.label(lang).to_owned(),
    }
}
