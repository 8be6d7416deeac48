//! The rules of intake's actions on a report, in one place: a transfer needs another Veilig
//! Thuis region and a reason; closing a report nobody took into intake needs a reason; a reason
//! is at most [`MAX_TEXT_CHARS`] characters. The API answers with these as field errors (in
//! English), the intake pages show them at their fields (in Dutch), and the store checks them
//! again inside its transaction, where the report's current status is known.

use chrono::{DateTime, Utc};

use crate::describe::local_time;
use crate::error::{FieldError, Rule};
use crate::status::Status;
use crate::texts::Lang;
use crate::validate::MAX_TEXT_CHARS;

/// The form field (and JSON member) an action's rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionField {
    /// `vt_region`: where a transfer goes.
    Region,
    /// `reason`: why a report is handed over or closed.
    Reason,
}

impl ActionField {
    /// The JSON Pointer of the field in the API's body.
    pub fn path(self) -> &'static str {
        match self {
            ActionField::Region => "/vt_region",
            ActionField::Reason => "/reason",
        }
    }
}

/// A broken rule of an intake action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionProblem {
    /// No region chosen, or a code that is not a Veilig Thuis region (at most 16 characters of
    /// it are kept, for the message).
    UnknownRegion(String),
    /// The report is in that region already.
    SameRegion,
    TransferReasonRequired,
    /// Closing a report that nobody took into intake.
    CloseReasonRequired,
    ReasonTooLong {
        chars: usize,
    },
}

impl ActionProblem {
    pub fn field(&self) -> ActionField {
        match self {
            ActionProblem::UnknownRegion(_) | ActionProblem::SameRegion => ActionField::Region,
            _ => ActionField::Reason,
        }
    }

    /// The API's stable rule code.
    pub fn rule(&self) -> Rule {
        match self {
            ActionProblem::UnknownRegion(_) | ActionProblem::SameRegion => Rule::InvalidValue,
            ActionProblem::TransferReasonRequired | ActionProblem::CloseReasonRequired => Rule::Required,
            ActionProblem::ReasonTooLong { .. } => Rule::MaxLength,
        }
    }

    /// The sentence for a person: in Dutch on the intake pages, in English in the API.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ActionProblem::UnknownRegion(code), _) if code.trim().is_empty() => lang
                .pick(
                    "Kies de Veilig Thuis-regio waaraan u de melding overdraagt.",
                    "choose the Veilig Thuis region to transfer the report to",
                )
                .to_owned(),
            (ActionProblem::UnknownRegion(code), Lang::Nl) => {
                format!("{code} is geen Veilig Thuis-regio: kies een regio uit de lijst.")
            }
            (ActionProblem::UnknownRegion(code), Lang::En) => format!("{code} is not a Veilig Thuis region"),
            (ActionProblem::SameRegion, _) => lang
                .pick(
                    "De melding is al van deze regio: kies een andere Veilig Thuis-regio.",
                    "the report is in that region already",
                )
                .to_owned(),
            (ActionProblem::TransferReasonRequired, _) => lang
                .pick(
                    "Geef een reden voor de overdracht: de nieuwe regio en uw eigen regio zien die.",
                    "a transfer needs a reason",
                )
                .to_owned(),
            (ActionProblem::CloseReasonRequired, _) => lang
                .pick(
                    "Geef een reden: u sluit af zonder de melding eerst in behandeling te nemen.",
                    "closing without taking it into intake first needs a reason",
                )
                .to_owned(),
            (ActionProblem::ReasonTooLong { chars }, Lang::Nl) => format!(
                "De reden is te lang: ten hoogste {} tekens, deze telt er {}. Maak hem korter.",
                thousands(MAX_TEXT_CHARS),
                thousands(*chars)
            ),
            (ActionProblem::ReasonTooLong { .. }, Lang::En) => format!("at most {MAX_TEXT_CHARS} characters"),
        }
    }

    /// The API's field error.
    pub fn field_error(&self, lang: Lang) -> FieldError {
        FieldError::new(self.field().path(), self.rule(), self.message(lang))
    }
}

/// "4.000": a count the Dutch way.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The reason as it is kept: trimmed, `None` when empty.
pub fn given_reason(reason: Option<&str>) -> Option<&str> {
    reason.map(str::trim).filter(|r| !r.is_empty())
}

fn reason_length(reason: Option<&str>) -> Option<ActionProblem> {
    let chars = reason.map_or(0, |r| r.chars().count());
    (chars > MAX_TEXT_CHARS).then_some(ActionProblem::ReasonTooLong { chars })
}

/// Every broken rule of handing a report of region `own` over to `to` with `reason`.
pub fn check_transfer(own: &str, to: &str, reason: Option<&str>) -> Vec<ActionProblem> {
    let mut problems = Vec::new();
    if crate::regions::latest().region(to).is_none() {
        problems.push(ActionProblem::UnknownRegion(to.chars().take(16).collect()));
    } else if to == own {
        problems.push(ActionProblem::SameRegion);
    }
    match reason_length(reason) {
        Some(long) => problems.push(long),
        None if given_reason(reason).is_none() => problems.push(ActionProblem::TransferReasonRequired),
        None => {}
    }
    problems
}

/// Every broken rule of closing a report that is `current` with `reason`: only a report in
/// intake may be closed without one.
pub fn check_close(current: Status, reason: Option<&str>) -> Vec<ActionProblem> {
    match reason_length(reason) {
        Some(long) => vec![long],
        None if current != Status::Acknowledged && given_reason(reason).is_none() => {
            vec![ActionProblem::CloseReasonRequired]
        }
        None => Vec::new(),
    }
}

/// The API's field errors for `problems`.
pub fn field_errors(problems: &[ActionProblem], lang: Lang) -> Vec<FieldError> {
    problems.iter().map(|p| p.field_error(lang)).collect()
}

/// "Overgedragen door VT01 Amsterdam-Amstelland op 07-12-2026 20:12 — reden: …": what the
/// region that received a transfer reads at the top of the report. `from` is the region's
/// code and name.
pub fn transferred_in(from: &str, at: DateTime<Utc>, reason: Option<&str>, lang: Lang) -> String {
    let t = local_time(at);
    let base = match lang {
        Lang::Nl => format!("Overgedragen door {from} op {t}"),
        Lang::En => format!("Transferred by {from} on {t}"),
    };
    match given_reason(reason) {
        Some(r) => format!("{base} — {}: {r}", lang.pick("reden", "reason")),
        None => base,
    }
}

/// "overgedragen door VT01: Woont in Utrecht" for an inbox row, the reason cut at `max` characters.
pub fn transferred_in_short(from: &str, reason: Option<&str>, max: usize, lang: Lang) -> String {
    let by = format!("{} {from}", lang.pick("overgedragen door", "transferred by"));
    match given_reason(reason) {
        Some(r) if r.chars().count() > max => format!("{by}: {}…", r.chars().take(max).collect::<String>()),
        Some(r) => format!("{by}: {r}"),
        None => by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_needs_another_region_and_a_reason() {
        let rules = |to: &str, reason: Option<&str>| -> Vec<(&'static str, Rule)> {
            check_transfer("VT01", to, reason)
                .iter()
                .map(|p| (p.field().path(), p.rule()))
                .collect()
        };
        assert_eq!(
            rules("", None),
            [("/vt_region", Rule::InvalidValue), ("/reason", Rule::Required)]
        );
        assert_eq!(rules("VT01", Some("reden")), [("/vt_region", Rule::InvalidValue)]);
        assert_eq!(rules("VT20", Some("  ")), [("/reason", Rule::Required)]);
        let long = "x".repeat(4001);
        assert_eq!(rules("VT20", Some(&long)), [("/reason", Rule::MaxLength)]);
        assert!(rules("VT20", Some("Woont in Utrecht")).is_empty());
    }

    #[test]
    fn closing_without_intake_needs_a_reason_of_at_most_4000_characters() {
        assert_eq!(
            check_close(Status::Received, Some(" ")),
            [ActionProblem::CloseReasonRequired]
        );
        assert!(check_close(Status::Acknowledged, None).is_empty());
        let long = "x".repeat(5000);
        let problems = check_close(Status::Received, Some(&long));
        assert_eq!(problems, [ActionProblem::ReasonTooLong { chars: 5000 }]);
        assert_eq!(
            problems[0].message(Lang::Nl),
            "De reden is te lang: ten hoogste 4.000 tekens, deze telt er 5.000. Maak hem korter."
        );
        assert_eq!(problems[0].message(Lang::En), "at most 4000 characters");
    }
}
