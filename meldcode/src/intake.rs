//! What the Veilig Thuis intake pages say, in Dutch and English: the inbox's filters, the
//! statuses as intake staff name them, the audit log's actions, the warnings on how to call
//! safely, and the report's sections in the order intake works. Pure, like the rest of the crate.

use chrono::{DateTime, Utc};

use crate::describe::{Row, Section, describe, local_time};
use crate::flow::Step;
use crate::report::{Report, SafeContact};
use crate::status::Status;
use crate::texts::{Label, Lang, Ui};

mod actions;
mod safe_window;
pub use actions::{
    ActionField, ActionProblem, check_close, check_transfer, field_errors, given_reason, transferred_in,
    transferred_in_short,
};
pub use safe_window::{SafeRoute, SafeWindow};

/// A report's short reference for people (the first 8 hex digits of its id, upper case): what
/// intake staff say on the phone, search for, and what a printed page carries.
pub fn kenmerk(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_hexdigit)
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The inbox's filters (the API's `status=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Filter {
    /// Received or forwarded: nobody at Veilig Thuis has taken it into intake.
    Open,
    Acknowledged,
    /// The stubs of reports this region handed over (no content).
    Transferred,
    Closed,
    /// Every report the region holds (not the stubs).
    All,
}

impl Filter {
    pub const ALL: [Filter; 5] = [
        Filter::Open,
        Filter::Acknowledged,
        Filter::Transferred,
        Filter::Closed,
        Filter::All,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Filter::Open => "open",
            Filter::Acknowledged => "acknowledged",
            Filter::Transferred => "transferred",
            Filter::Closed => "closed",
            Filter::All => "all",
        }
    }

    pub fn from_code(code: &str) -> Option<Filter> {
        Filter::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The statuses a report held by the region has under this filter (none for the stubs).
    pub fn statuses(self) -> &'static [Status] {
        match self {
            Filter::Open => &[Status::Received, Status::Forwarded],
            Filter::Acknowledged => &[Status::Acknowledged],
            Filter::Transferred => &[],
            Filter::Closed => &[Status::Closed],
            Filter::All => &[
                Status::Received,
                Status::Forwarded,
                Status::Acknowledged,
                Status::Closed,
            ],
        }
    }
}

/// Whether Veilig Thuis has still to act: received or forwarded. Waiting time counts only then.
pub fn is_waiting(s: Status) -> bool {
    Filter::Open.statuses().contains(&s)
}

impl Label for Filter {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Filter::Open => ("Open", "Open"),
            Filter::Acknowledged => ("In behandeling", "In intake"),
            Filter::Transferred => ("Overgedragen", "Transferred"),
            Filter::Closed => ("Gesloten", "Closed"),
            Filter::All => ("Alles", "All"),
        };
        lang.pick(nl, en)
    }
}

/// A status as intake staff name it (the pharmacy's wording, "In behandeling bij Veilig
/// Thuis", is the status label of [`Status`]).
pub fn status_label(s: Status, lang: Lang) -> &'static str {
    let (nl, en) = match s {
        Status::Received => ("Nieuw", "New"),
        Status::Forwarded => ("Nieuw (ook via webhook)", "New (also by webhook)"),
        Status::Acknowledged => ("In behandeling", "In intake"),
        Status::Transferred => ("Overgedragen", "Transferred"),
        Status::Closed => ("Afgesloten", "Closed"),
        Status::Recorded => ("Geteld", "Counted"),
    };
    lang.pick(nl, en)
}

/// What the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    View,
    ApiView,
    Acknowledge,
    Transfer,
    Close,
    Print,
    Export,
    /// The person's number shown outside their safe times, after the deliberate step.
    DialAnyway,
}

impl AuditAction {
    pub const ALL: [AuditAction; 8] = [
        AuditAction::View,
        AuditAction::ApiView,
        AuditAction::Acknowledge,
        AuditAction::Transfer,
        AuditAction::Close,
        AuditAction::Print,
        AuditAction::Export,
        AuditAction::DialAnyway,
    ];

    /// As stored and in the API.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::View => "view",
            AuditAction::ApiView => "api_view",
            AuditAction::Acknowledge => "acknowledge",
            AuditAction::Transfer => "transfer",
            AuditAction::Close => "close",
            AuditAction::Print => "print",
            AuditAction::Export => "export",
            AuditAction::DialAnyway => "dial_anyway",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }

    /// "Bekeken door Anna de Vries".
    pub fn sentence(self, actor: &str, lang: Lang) -> String {
        format!("{} {actor}", self.label(lang))
    }
}

impl Label for AuditAction {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            AuditAction::View => ("Bekeken door", "Viewed by"),
            AuditAction::ApiView => ("Opgevraagd via de API door", "Fetched through the API by"),
            AuditAction::Acknowledge => ("In behandeling genomen door", "Taken into intake by"),
            AuditAction::Transfer => ("Overgedragen door", "Transferred by"),
            AuditAction::Close => ("Afgesloten door", "Closed by"),
            AuditAction::Print => ("Afdrukversie geopend door", "Print version opened by"),
            AuditAction::DialAnyway => (
                "Nummer buiten de veilige tijden opgevraagd door",
                "Number outside the safe times asked for by",
            ),
            AuditAction::Export => ("Als JSON gedownload door", "Downloaded as JSON by"),
        };
        lang.pick(nl, en)
    }
}

/// What must not be missed when calling the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Warning {
    NoVoicemail,
    NoSms,
    NeverAtHome,
    PerpetratorInHousehold,
    Interpreter,
    ViaPharmacy,
}

impl Label for Warning {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Warning::NoVoicemail => ("Geen voicemail inspreken", "Leave no voicemail"),
            Warning::NoSms => ("Geen sms sturen", "Send no text message"),
            Warning::NeverAtHome => ("Nooit thuis benaderen", "Never approach at home"),
            Warning::PerpetratorInHousehold => (
                "De pleger woont in hetzelfde huis",
                "The perpetrator lives in the same household",
            ),
            Warning::Interpreter => ("Tolk nodig", "Interpreter needed"),
            Warning::ViaPharmacy => ("Contact via de apotheek", "Contact through the pharmacy"),
        };
        lang.pick(nl, en)
    }
}

/// The warnings a safe contact carries, most dangerous first.
pub fn warnings(s: &SafeContact) -> Vec<Warning> {
    [
        (!s.voicemail_ok, Warning::NoVoicemail),
        (!s.sms_ok, Warning::NoSms),
        (s.never_at_home, Warning::NeverAtHome),
        (
            s.perpetrator_in_household == Some(true),
            Warning::PerpetratorInHousehold,
        ),
        (s.interpreter_needed, Warning::Interpreter),
        (s.via_pharmacy, Warning::ViaPharmacy),
    ]
    .into_iter()
    .filter_map(|(on, w)| on.then_some(w))
    .collect()
}

/// Texts of the intake pages that are not a value's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Text {
    CallSafely,
    Afwegingskader,
    Deviation,
    Pharmacy,
    PharmacyName,
    Address,
    Phone,
    CreatedAt,
    ReceivedAt,
    Kenmerk,
    Confidential,
    Children,
    Called112,
    Accompanied,
    SafeTimes,
    Waiting,
}

impl Label for Text {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Text::CallSafely => ("Veilig bellen", "Calling safely"),
            Text::Afwegingskader => ("Afwegingskader en besluit", "Decision framework and decision"),
            Text::Deviation => ("Afwijking van het advies", "Deviation from the recommendation"),
            Text::Pharmacy => ("Apotheek", "Pharmacy"),
            Text::PharmacyName => ("Naam", "Name"),
            Text::Address => ("Adres", "Address"),
            Text::Phone => ("Telefoon", "Phone"),
            Text::CreatedAt => ("Gemaakt in de apotheek", "Made at the pharmacy"),
            Text::ReceivedAt => ("Ontvangen", "Received"),
            Text::Kenmerk => ("Kenmerk", "Reference"),
            Text::Confidential => ("Vertrouwelijk", "Confidential"),
            Text::Children => ("Kinderen", "Children"),
            Text::Called112 => ("112 gebeld", "112 called"),
            Text::Accompanied => ("Begeleid", "Accompanied"),
            Text::SafeTimes => ("Veilig bellen", "Safe to call"),
            Text::Waiting => ("Wachttijd", "Waiting"),
        };
        lang.pick(nl, en)
    }
}

/// "In behandeling bij Anna de Vries sinds 02-12-2026 09:15".
pub fn handled_by(name: &str, since: DateTime<Utc>, lang: Lang) -> String {
    let t = local_time(since);
    match lang {
        Lang::Nl => format!("In behandeling bij {name} sinds {t}"),
        Lang::En => format!("In intake with {name} since {t}"),
    }
}

/// "Overgedragen aan VT20 op 02-12-2026 09:15 — reden: …": what the old region keeps.
pub fn transfer_stub(to: &str, at: DateTime<Utc>, reason: Option<&str>, lang: Lang) -> String {
    let t = local_time(at);
    let base = match lang {
        Lang::Nl => format!("Overgedragen aan {to} op {t}"),
        Lang::En => format!("Transferred to {to} on {t}"),
    };
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("{base} — {}: {r}", lang.pick("reden", "reason")),
        None => base,
    }
}

/// "Afgesloten door Anna de Vries op 02-12-2026 09:15 — reden: …".
pub fn closed_by(name: &str, at: DateTime<Utc>, reason: Option<&str>, lang: Lang) -> String {
    let t = local_time(at);
    let base = match lang {
        Lang::Nl => format!("Afgesloten door {name} op {t}"),
        Lang::En => format!("Closed by {name} on {t}"),
    };
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("{base} — {}: {r}", lang.pick("reden", "reason")),
        None => base,
    }
}

/// The position of a step's section in intake's order: how to call safely, the person, the
/// children, the signals, the afwegingskader, consultation, conversation, the request (channel,
/// gemeente; 112 and accompanied also head the page), the reporter.
fn intake_rank(step: Step) -> u8 {
    match step {
        Step::SafeContact => 0,
        Step::Person => 1,
        Step::Kindcheck => 2,
        Step::Signals => 3,
        Step::Outcome => 4,
        Step::Consultation => 5,
        Step::Conversation => 6,
        Step::Channel => 7,
        Step::Reporter => 8,
        _ => 9,
    }
}

/// The report's sections in the order intake works, the afwegingskader's recommendation shown
/// beside the decision (and a deviation's reason under its own name).
pub fn sections(r: &Report, lang: Lang) -> Vec<Section> {
    let mut sections = describe(r, lang);
    if let (Some(a), Some(outcome)) = (&r.afweging, sections.iter_mut().find(|s| s.step == Step::Outcome)) {
        outcome.title = Text::Afwegingskader.label(lang);
        let at = outcome
            .rows
            .iter()
            .position(|row| row.label == crate::flow::Question::ChosenKind.short(lang))
            .unwrap_or(outcome.rows.len());
        outcome.rows.insert(
            at,
            Row {
                label: Ui::Recommendation.label(lang),
                value: a.recommendation.label(lang).to_owned(),
                prominent: true,
            },
        );
        let override_label = crate::flow::Question::OverrideReason.short(lang);
        for row in outcome.rows.iter_mut().filter(|row| row.label == override_label) {
            row.label = Text::Deviation.label(lang);
            row.prominent = true;
        }
    }
    sections.sort_by_key(|s| intake_rank(s.step));
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Kind;
    use uuid::Uuid;

    #[test]
    fn intake_order_starts_with_calling_safely_and_shows_the_recommendation() {
        let r = crate::examples::example(Kind::Melding, Uuid::new_v4(), Utc::now());
        let steps: Vec<Step> = sections(&r, Lang::Nl).iter().map(|s| s.step).collect();
        assert_eq!(steps.first(), Some(&Step::SafeContact));
        assert_eq!(steps.get(1), Some(&Step::Person));
        assert_eq!(
            steps.get(2),
            Some(&Step::Kindcheck),
            "the children right after the person"
        );
        let kind_at = steps.iter().position(|s| *s == Step::Kindcheck);
        let signals_at = steps.iter().position(|s| *s == Step::Signals);
        let outcome_at = steps.iter().position(|s| *s == Step::Outcome);
        let reporter_at = steps.iter().position(|s| *s == Step::Reporter);
        assert!(kind_at < signals_at && signals_at < outcome_at && outcome_at < reporter_at);
        let all = sections(&r, Lang::Nl);
        let outcome = all.iter().find(|s| s.step == Step::Outcome).expect("afweging");
        assert!(
            outcome
                .rows
                .iter()
                .any(|row| row.label == Ui::Recommendation.label(Lang::Nl) && row.value == "Melding")
        );
    }

    #[test]
    fn kenmerk_is_eight_upper_hex_digits() {
        assert_eq!(kenmerk("7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10"), "7F1C0A7E");
    }

    #[test]
    fn every_filter_and_action_round_trips_its_code() {
        for f in Filter::ALL {
            assert_eq!(Filter::from_code(f.code()), Some(f));
        }
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(a));
            assert!(a.label(Lang::Nl).ends_with("door"));
        }
        assert!(is_waiting(Status::Forwarded) && !is_waiting(Status::Acknowledged));
    }
}
