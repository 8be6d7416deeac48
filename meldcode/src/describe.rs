//! A report as readable rows for people, in Dutch or English: the app's review screen ("exactly
//! what will be sent") and the intake page show the same thing, from the same code.

use chrono::{DateTime, Utc};

use crate::flow::{Question, Step};
use crate::report::*;
use crate::texts::{Label, Lang};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub step: Step,
    pub title: &'static str,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: &'static str,
    pub value: String,
    /// Must not be missed (how to contact the person safely).
    pub prominent: bool,
}

/// Europe/Amsterdam, `24-11-2026 10:15`.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::TIME_ZONE).format("%d-%m-%Y %H:%M").to_string()
}

/// [`local_time`] with the seconds (`dd-mm-jjjj uu:mm:ss`): a report's history, where several
/// attempts fall in one minute.
pub fn local_time_seconds(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::TIME_ZONE)
        .format("%d-%m-%Y %H:%M:%S")
        .to_string()
}

struct Builder {
    lang: Lang,
    sections: Vec<Section>,
}

impl Builder {
    fn section(&mut self, step: Step) {
        self.sections.push(Section {
            step,
            title: step.label(self.lang),
            rows: Vec::new(),
        });
    }

    fn row(&mut self, q: Question, value: impl Into<String>) {
        self.push(q, value.into(), false);
    }

    fn prominent(&mut self, q: Question, value: impl Into<String>) {
        self.push(q, value.into(), true);
    }

    fn push(&mut self, q: Question, value: String, prominent: bool) {
        let label = q.short(self.lang);
        if let Some(section) = self.sections.last_mut() {
            section.rows.push(Row {
                label,
                value,
                prominent,
            });
        }
    }

    fn text(&mut self, q: Question, value: &str) {
        if !value.trim().is_empty() {
            self.row(q, value);
        }
    }

    fn yes_no(&self, b: bool) -> String {
        b.label(self.lang).to_owned()
    }

    fn list<T: Label>(&self, items: &[T]) -> String {
        items.iter().map(|i| i.label(self.lang)).collect::<Vec<_>>().join(", ")
    }
}

/// The report in the order of the procedure; only what it holds.
pub fn describe(r: &Report, lang: Lang) -> Vec<Section> {
    let mut b = Builder {
        lang,
        sections: Vec::new(),
    };
    let unknown = crate::texts::Ui::Unknown.label(lang);

    b.section(Step::Channel);
    b.row(Question::Channel, r.channel.label(lang));
    b.row(Question::Accompanied, b.yes_no(r.accompanied));
    if let Some(at) = r.acute_112_at {
        b.prominent(
            Question::AcuteDanger,
            format!("{} {}", crate::texts::Ui::Called112.label(lang), local_time(at)),
        );
    }
    if let Some(code) = &r.gemeente {
        let table = crate::regions::table_for_year(crate::amsterdam_year(r.created_at));
        let name = table
            .gemeente(code)
            .map_or(code.clone(), |g| format!("{} ({code})", g.name));
        b.row(Question::Gemeente, name);
    }

    if let Some(p) = &r.person {
        b.section(Step::Person);
        b.row(Question::PersonName, &p.name);
        b.row(Question::DateOfBirth, crate::dates::format_date(p.date_of_birth));
        b.row(
            Question::Street,
            format!("{} {}", p.address.street, p.address.house_number),
        );
        b.row(Question::Postcode, format!("{} {}", p.address.postcode, p.address.city));
        if let Some(bsn) = &p.bsn {
            b.row(Question::Bsn, bsn);
        }
    }

    if let Some(s) = &r.safe_contact {
        b.section(Step::SafeContact);
        let phone = if s.phone.trim().is_empty() {
            "—".to_owned()
        } else {
            s.phone.clone()
        };
        b.prominent(Question::SafePhone, phone);
        b.prominent(Question::SafeTimes, &s.safe_times);
        b.prominent(Question::NeverAtHome, b.yes_no(s.never_at_home));
        b.prominent(Question::VoicemailOk, b.yes_no(s.voicemail_ok));
        b.prominent(Question::SmsOk, b.yes_no(s.sms_ok));
        b.prominent(
            Question::PerpetratorInHousehold,
            s.perpetrator_in_household.map_or(unknown.to_owned(), |v| b.yes_no(v)),
        );
        b.prominent(Question::ViaPharmacy, b.yes_no(s.via_pharmacy));
        if let Some(language) = &s.language {
            b.row(Question::Language, language);
        }
        b.row(Question::InterpreterNeeded, b.yes_no(s.interpreter_needed));
    }

    if let Some(k) = &r.kindcheck {
        b.section(Step::Kindcheck);
        b.row(Question::KindcheckStatus, k.status.label(lang));
        if k.status == KindcheckStatus::Done {
            b.row(Question::ChildrenCount, k.children_count.to_string());
            if !k.children_ages.is_empty() {
                let ages: Vec<String> = k.children_ages.iter().map(u8::to_string).collect();
                b.row(Question::ChildrenAges, ages.join(", "));
            }
        }
        if let Some(p) = k.pregnant {
            b.row(Question::Pregnant, b.yes_no(p));
        }
    }

    if let Some(s) = &r.signals {
        b.section(Step::Signals);
        b.row(Question::SignalCategories, b.list(&s.categories));
        b.text(Question::Observed, &s.observed);
        b.text(Question::Said, &s.said);
        b.text(Question::Interpretation, &s.interpretation);
    }

    if let Some(c) = &r.consultation {
        b.section(Step::Consultation);
        let consulted = if c.consulted.is_empty() {
            "—".to_owned()
        } else {
            b.list(&c.consulted)
        };
        b.row(Question::Consulted, consulted);
        if let Some(at) = c.at {
            b.row(Question::ConsultedAt, local_time(at));
        }
        b.text(Question::Advice, &c.advice);
    }

    if let Some(c) = &r.conversation {
        b.section(Step::Conversation);
        b.row(Question::Consent, c.consent.label(lang));
    }

    if let Some(a) = &r.afweging {
        b.section(Step::Outcome);
        b.row(Question::Suspicion, a.suspicion.label(lang));
        let rest = [
            (Question::UnsafeSituation, a.unsafe_situation),
            (Question::OwnHelp, a.own_help),
            (Question::HelpAccepted, a.help_accepted),
            (Question::LastingSafety, a.lasting_safety),
        ];
        for (q, answer) in rest {
            if let Some(answer) = answer {
                b.row(q, answer.label(lang));
            }
        }
        b.row(Question::ChosenKind, r.kind.label(lang));
        if let Some(reason) = &a.override_reason {
            b.text(Question::OverrideReason, reason);
        }
    }

    if let Some(rep) = &r.reporter {
        b.section(Step::Reporter);
        b.row(Question::ReporterName, &rep.name);
        b.row(Question::ReporterRole, rep.role.label(lang));
        b.prominent(Question::ReporterPhone, &rep.phone);
        b.row(Question::ReachableUntil, local_time(rep.reachable_until));
        b.row(Question::Disclosure, rep.disclosure.label(lang));
        if let Some(reason) = &rep.anonymous_reason {
            b.text(Question::AnonymousReason, reason);
        }
    }
    b.sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_melding_reads_as_dutch_with_the_safe_contact_prominent() {
        let r = crate::examples::example(Kind::Melding, Uuid::new_v4(), Utc::now());
        let sections = describe(&r, Lang::Nl);
        let all: Vec<&Row> = sections.iter().flat_map(|s| &s.rows).collect();
        assert!(all.iter().any(|row| row.value == "Voorbeeld Persoon"));
        assert!(all.iter().any(|row| row.value.contains("Amsterdam (GM0363)")));
        let safe = sections
            .iter()
            .find(|s| s.step == Step::SafeContact)
            .expect("safe contact section");
        assert!(
            safe.rows
                .iter()
                .all(|row| row.prominent || row.label != Question::SafePhone.short(Lang::Nl))
        );
        assert!(
            all.iter().all(|row| !row.label.is_empty() && !row.label.contains('_')),
            "labels, never raw keys"
        );
    }

    #[test]
    fn counting_kinds_show_no_personal_sections() {
        let r = crate::examples::example(Kind::GeenMelding, Uuid::new_v4(), Utc::now());
        let steps: Vec<Step> = describe(&r, Lang::En).iter().map(|s| s.step).collect();
        assert!(
            !steps.contains(&Step::Person) && !steps.contains(&Step::SafeContact) && !steps.contains(&Step::Reporter)
        );
    }
}
