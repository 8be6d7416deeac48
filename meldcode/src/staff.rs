//! The pharmacy team on a device: who can be the reporter of a report, so that the reporter step
//! is one tap ("Wie bent u?"). The device keeps the list in its encrypted store.

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::dates::Reachable;
use crate::report::ReporterRole;
use crate::texts::{Label, Lang};

/// Names are at most this long (as the report's names).
pub const MAX_NAME: usize = 200;
/// A device keeps at most this many team members.
pub const MAX_STAFF: usize = 40;

/// One member of the pharmacy team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub name: String,
    pub role: ReporterRole,
    /// A direct number on which Veilig Thuis reaches this person.
    pub phone: String,
    /// Usually reachable until …
    #[serde(default)]
    pub reachable: Reachable,
}

/// Why a team member cannot be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaffProblem {
    NameMissing,
    NameTooLong,
    RoleMissing,
    Phone,
    TooMany,
}

impl Label for StaffProblem {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            StaffProblem::NameMissing => ("Vul de naam in.", "Enter the name."),
            StaffProblem::NameTooLong => (
                "De naam is te lang (ten hoogste 200 tekens).",
                "The name is too long (200 characters at most).",
            ),
            StaffProblem::RoleMissing => ("Kies de functie.", "Choose the role."),
            StaffProblem::Phone => (
                "Vul een direct telefoonnummer in (8 tot 15 cijfers).",
                "Enter a direct phone number (8 to 15 digits).",
            ),
            StaffProblem::TooMany => ("Er staan al 40 mensen in het team.", "The team already has 40 people."),
        };
        lang.pick(nl, en)
    }
}

/// A member from what was typed, or every reason it cannot be one (`team`: the list so far).
pub fn member(
    name: &str,
    role: Option<ReporterRole>,
    phone: &str,
    reachable: Reachable,
    team: &[StaffMember],
) -> Result<StaffMember, Vec<StaffProblem>> {
    let name = name.trim();
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(StaffProblem::NameMissing);
    } else if name.chars().count() > MAX_NAME {
        problems.push(StaffProblem::NameTooLong);
    }
    if role.is_none() {
        problems.push(StaffProblem::RoleMissing);
    }
    if !crate::validate::is_phone(phone) {
        problems.push(StaffProblem::Phone);
    }
    if team.len() >= MAX_STAFF {
        problems.push(StaffProblem::TooMany);
    }
    match role {
        Some(role) if problems.is_empty() => Ok(StaffMember {
            name: name.to_owned(),
            role,
            phone: phone.trim().to_owned(),
            reachable,
        }),
        _ => Err(problems),
    }
}

impl StaffMember {
    /// "Bereikbaar tot" for a report written at `now`: the member's usual choice, or tomorrow
    /// at noon once it has passed (after closing time).
    pub fn reachable_until(&self, now: DateTime<Utc>, closing: NaiveTime) -> Option<DateTime<Utc>> {
        self.reachable
            .at(now, closing)
            .or_else(|| Reachable::TomorrowNoon.at(now, closing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_needs_a_name_a_role_and_a_direct_number() {
        let ok = member(
            " A. de Apotheker ",
            Some(ReporterRole::Pharmacist),
            "020-1234567",
            Reachable::UntilClosing,
            &[],
        );
        assert_eq!(ok.map(|m| m.name), Ok("A. de Apotheker".to_owned()));
        let bad = member("", None, "12", Reachable::UntilClosing, &[]);
        assert_eq!(
            bad,
            Err(vec![
                StaffProblem::NameMissing,
                StaffProblem::RoleMissing,
                StaffProblem::Phone
            ])
        );
    }

    #[test]
    fn after_closing_time_it_is_tomorrow_noon() {
        use chrono::TimeZone;
        let m = StaffMember {
            name: "B".into(),
            role: ReporterRole::Assistant,
            phone: "0201234567".into(),
            reachable: Reachable::UntilClosing,
        };
        let evening = Utc
            .with_ymd_and_hms(2026, 11, 23, 19, 0, 0)
            .single()
            .unwrap_or_default();
        let at = m.reachable_until(evening, crate::dates::default_closing());
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).single());
    }
}
