//! From a draft to report v1: what each kind carries, and nothing else.
//!
//! - Answers of skipped steps and questions that are not shown stay in the draft only.
//! - A counting kind (`geen_melding`, `acuut_112`) carries no free text and no identifying data.
//! - After stopping at 112, a block is carried only when its steps came before the stop and are
//!   complete; the procedure ended there.
//!
//! Where a required answer is missing, [`Draft::assemble`] puts a placeholder so that the rules
//! of [`crate::validate`] can still be checked for the other answers of a step. A report is only
//! ever handed out by [`Draft::to_report`], which refuses while a required answer is missing.

use super::{Condition, Draft, Question, Step};
use crate::afweging::{self, Answers};
use crate::report::*;

fn given(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

impl Draft {
    /// Whether the answers of `step` go into the report of `kind`.
    fn carries(&self, step: Step, kind: Kind) -> bool {
        !self.is_skipped(step) && (kind != Kind::Acuut112 || self.missing(step).is_empty())
    }

    pub(super) fn assemble(&self, kind: Kind) -> Report {
        let counting = !kind.is_forwarded();
        let text = |s: &String| if counting { String::new() } else { s.clone() };
        let accompanied = self.accompanied.unwrap_or(false);

        let kindcheck = self
            .kindcheck_status
            .filter(|_| self.carries(Step::Kindcheck, kind))
            .map(|status| {
                let done = status == KindcheckStatus::Done;
                let count = if done { self.children_count.unwrap_or(0) } else { 0 };
                let ages = if done {
                    self.children_ages.iter().copied().take(usize::from(count)).collect()
                } else {
                    vec![]
                };
                Kindcheck {
                    status,
                    children_count: count,
                    children_ages: ages,
                    pregnant: self.pregnant,
                }
            });

        let signals = self.carries(Step::Signals, kind).then(|| {
            let mut categories = Vec::new();
            for c in &self.signal_categories {
                if !categories.contains(c) {
                    categories.push(*c);
                }
            }
            Signals {
                categories,
                observed: text(&self.observed),
                said: text(&self.said),
                interpretation: text(&self.interpretation),
            }
        });

        let consultation = self.carries(Step::Consultation, kind).then(|| Consultation {
            consulted: self.consulted.clone(),
            at: self.consulted_at,
            advice: text(&self.advice),
        });

        let conversation = if accompanied {
            // Asking at the counter was unsafe; unless the procedure ended before this step.
            (!Condition::AfterStop112.holds(self, Step::Conversation)).then_some(Conversation {
                consent: Consent::NotAskedUnsafe,
            })
        } else {
            self.consent
                .filter(|_| self.carries(Step::Conversation, kind))
                .map(|consent| Conversation { consent })
        };

        let afweging = self.afweging_block(kind);

        let person_step = kind == Kind::Melding && !self.is_skipped(Step::Person);
        let person = person_step.then(|| Person {
            name: self.person_name.clone(),
            // Placeholder only: see the module documentation.
            date_of_birth: self.date_of_birth.unwrap_or(self.started_at.date_naive()),
            address: Address {
                street: self.street.clone(),
                house_number: self.house_number.clone(),
                postcode: self.postcode.clone(),
                city: self.city.clone(),
            },
            bsn: given(&self.bsn),
        });
        let gemeente = (kind.is_forwarded() && self.is_shown(Question::Gemeente))
            .then(|| given(&self.gemeente))
            .flatten();

        let safe_contact = (kind == Kind::Melding && !self.is_skipped(Step::SafeContact)).then(|| SafeContact {
            phone: self.safe_phone.trim().to_owned(),
            safe_times: self.safe_times.clone(),
            voicemail_ok: self.voicemail_ok.unwrap_or(false),
            sms_ok: self.sms_ok.unwrap_or(false),
            perpetrator_in_household: self.perpetrator_in_household,
            never_at_home: self.never_at_home.unwrap_or(false),
            language: given(&self.language),
            interpreter_needed: self.interpreter_needed.unwrap_or(false),
            via_pharmacy: self.via_pharmacy.unwrap_or(false),
        });

        let wants_reporter = match kind {
            Kind::Melding => true,
            Kind::Adviesvraag => self.reporter_started(),
            Kind::GeenMelding | Kind::Acuut112 => false,
        };
        let reporter = (wants_reporter && !self.is_skipped(Step::Reporter)).then(|| {
            let disclosure = self.disclosure.unwrap_or(Disclosure::Open);
            Reporter {
                name: self.reporter_name.clone(),
                role: self.reporter_role.unwrap_or(ReporterRole::Pharmacist),
                phone: self.reporter_phone.trim().to_owned(),
                reachable_until: self.reachable_until.unwrap_or(self.started_at),
                disclosure,
                anonymous_reason: (disclosure == Disclosure::Anonymous).then(|| self.anonymous_reason.clone()),
            }
        });

        Report {
            id: self.id,
            schema_version: SCHEMA_VERSION,
            kind,
            created_at: self.started_at,
            channel: self.channel.unwrap_or(Channel::Balie),
            accompanied,
            acute_112_at: self.acute_112_at,
            gemeente,
            person,
            kindcheck,
            signals,
            consultation,
            conversation,
            afweging,
            safe_contact,
            reporter,
            practice: self.practice,
        }
    }

    /// The afwegingskader's answers, its recommendation and, for a forwarded kind that differs
    /// from it, the written reason. After a stop at 112: only when all of it came before.
    fn afweging_block(&self, kind: Kind) -> Option<Afweging> {
        let mut answers: Answers = self.afweging_answers();
        for q in afweging::Question::ALL {
            if Condition::AfterStop112.holds(self, Question::from(q).step()) {
                answers.set(q, None);
            }
        }
        let recommendation = afweging::recommend(&answers);
        if kind == Kind::Acuut112 && recommendation.is_none() {
            return None;
        }
        let suspicion = answers.suspicion?;
        // Without a recommendation the answers are incomplete, which validation reports.
        let recommended = recommendation.map_or(Kind::Melding, |r| r.kind);
        let override_reason = (kind.is_forwarded() && afweging::is_override(kind, recommended))
            .then(|| given(&self.override_reason))
            .flatten();
        Some(Afweging {
            acute_danger: answers.acute_danger,
            suspicion,
            unsafe_situation: answers.unsafe_situation,
            own_help: answers.own_help,
            help_accepted: answers.help_accepted,
            lasting_safety: answers.lasting_safety,
            recommendation: recommended,
            override_reason,
        })
    }
}
