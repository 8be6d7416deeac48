//! The rules a report v1 must keep. [`validate`] returns every broken rule, never just the first.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::afweging::{self, Answers, Question};
use crate::error::{FieldError, Rule};
use crate::regions;
use crate::report::*;

mod formats;
pub use formats::{is_phone, is_postcode, is_printable, is_unprintable, passes_elfproef};

pub const MAX_TEXT_CHARS: usize = 4_000;
pub const MAX_NAME_CHARS: usize = 200;
/// Reports can wait in a queue for days.
pub const MAX_AGE: Duration = Duration::days(30);
pub const MAX_CLOCK_SKEW: Duration = Duration::minutes(5);
/// The most children a kindcheck records.
pub const MAX_CHILDREN: u8 = 20;

/// Whether a report's `created_at` lies in the window accepted at `now`: from [`MAX_AGE`] ago
/// to [`MAX_CLOCK_SKEW`] ahead.
pub fn created_at_in_window(created_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    created_at >= now - MAX_AGE && created_at <= now + MAX_CLOCK_SKEW
}

/// Collects broken rules while walking a report.
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn fail(&mut self, path: impl Into<String>, rule: Rule, message: impl Into<String>) {
        self.errors.push(FieldError::new(path, rule, message));
    }

    fn name(&mut self, path: &str, value: &str) {
        self.text_of(path, value, MAX_NAME_CHARS, true);
    }

    fn text(&mut self, path: &str, value: &str, required: bool) {
        self.text_of(path, value, MAX_TEXT_CHARS, required);
    }

    fn text_of(&mut self, path: &str, value: &str, max: usize, required: bool) {
        let chars = value.chars().count();
        if required && value.trim().is_empty() {
            self.fail(path, Rule::Required, "this field may not be empty");
        } else if chars > max {
            self.fail(path, Rule::MaxLength, format!("at most {max} characters, got {chars}"));
        }
    }

    fn phone(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(path, Rule::Required, "a phone number is required");
        } else if !is_phone(value) {
            self.fail(
                path,
                Rule::Phone,
                "not a phone number: 8 to 15 digits, optionally with +, spaces or dashes",
            );
        }
    }

    /// A block that this kind must have, or must not have.
    fn presence<'a, T>(&mut self, path: &str, value: &'a Option<T>, wanted: Presence, kind: Kind) -> Option<&'a T> {
        match (wanted, value) {
            (Presence::Required, None) => {
                self.fail(path, Rule::Required, format!("required for a {}", kind.code()));
                None
            }
            (Presence::Forbidden, Some(_)) => {
                self.fail(
                    path,
                    Rule::NotAllowedForKind,
                    format!("a {} carries no such data", kind.code()),
                );
                None
            }
            (_, value) => value.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    Optional,
    Forbidden,
}

/// Every rule of report v1, checked against the clock `now`.
pub fn validate(r: &Report, now: DateTime<Utc>) -> Vec<FieldError> {
    let mut c = Check { errors: Vec::new() };
    let kind = r.kind;
    let counting_only = !kind.is_forwarded();

    if r.schema_version != SCHEMA_VERSION {
        c.fail(
            "/schema_version",
            Rule::SchemaVersion,
            format!("only schema_version {SCHEMA_VERSION} is supported"),
        );
    }
    if r.id.get_version_num() != 4 {
        c.fail("/id", Rule::UuidV4, "the id must be a UUID version 4");
    }
    if !created_at_in_window(r.created_at, now) {
        c.fail(
            "/created_at",
            Rule::OutOfWindow,
            "created_at must lie between 30 days ago and 5 minutes ahead",
        );
    }
    match r.acute_112_at {
        None if kind == Kind::Acuut112 => c.fail(
            "/acute_112_at",
            Rule::Required,
            "an acuut_112 report records when 112 was called",
        ),
        Some(at) if at > now + MAX_CLOCK_SKEW => {
            c.fail("/acute_112_at", Rule::OutOfWindow, "acute_112_at lies in the future")
        }
        _ => {}
    }
    if let Some(code) = &r.gemeente {
        let year = crate::amsterdam_year(r.created_at);
        if regions::table_for_year(year).gemeente(code).is_none() {
            c.fail(
                "/gemeente",
                Rule::UnknownGemeente,
                format!("{code:.12} is not a municipality code of {year}"),
            );
        }
    }

    let by_kind = |melding, adviesvraag, counting| match kind {
        Kind::Melding => melding,
        Kind::Adviesvraag => adviesvraag,
        Kind::GeenMelding | Kind::Acuut112 => counting,
    };
    use Presence::*;
    if let Some(p) = c.presence("/person", &r.person, by_kind(Required, Forbidden, Forbidden), kind) {
        person(&mut c, p, now);
    }
    if let Some(s) = c.presence(
        "/safe_contact",
        &r.safe_contact,
        by_kind(Required, Forbidden, Forbidden),
        kind,
    ) {
        safe_contact(&mut c, s);
    }
    if let Some(rep) = c.presence("/reporter", &r.reporter, by_kind(Required, Optional, Forbidden), kind) {
        reporter(&mut c, rep, r.created_at);
    }

    // The meldcode steps; a flow that ended at a 112 call may stop before any of them.
    let steps = if kind == Kind::Acuut112 { Optional } else { Required };
    if let Some(k) = c.presence("/kindcheck", &r.kindcheck, steps, kind) {
        kindcheck(&mut c, k);
    }
    if let Some(s) = c.presence("/signals", &r.signals, steps, kind) {
        if !counting_only && s.categories.is_empty() {
            c.fail(
                "/signals/categories",
                Rule::Required,
                "record at least one signal category",
            );
        }
        for (field, text) in [
            ("observed", &s.observed),
            ("said", &s.said),
            ("interpretation", &s.interpretation),
        ] {
            free_text(&mut c, &format!("/signals/{field}"), text, counting_only, kind);
        }
    }
    if let Some(cons) = c.presence("/consultation", &r.consultation, steps, kind) {
        free_text(&mut c, "/consultation/advice", &cons.advice, counting_only, kind);
        if cons.at.is_some_and(|at| at > now + MAX_CLOCK_SKEW) {
            c.fail(
                "/consultation/at",
                Rule::OutOfWindow,
                "the consultation lies in the future",
            );
        }
    }
    if let Some(conv) = c.presence("/conversation", &r.conversation, steps, kind)
        && r.accompanied
        && conv.consent != Consent::NotAskedUnsafe
    {
        c.fail(
            "/conversation/consent",
            Rule::ConsentNotAskedWhenAccompanied,
            "an accompanied client cannot be asked alone: consent is not_asked_unsafe",
        );
    }
    if let Some(a) = c.presence("/afweging", &r.afweging, steps, kind) {
        afweging_rules(&mut c, a, kind);
    }
    c.errors
}

/// A free text: limited in length, and never sent for a kind that carries only a count.
fn free_text(c: &mut Check, path: &str, text: &str, counting_only: bool, kind: Kind) {
    if counting_only && !text.is_empty() {
        c.fail(
            path,
            Rule::NotAllowedForKind,
            format!("a {} leaves the pharmacy as a count only: no free text", kind.code()),
        );
    } else {
        c.text(path, text, false);
    }
}

fn person(c: &mut Check, p: &Person, now: DateTime<Utc>) {
    c.name("/person/name", &p.name);
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if p.date_of_birth < earliest || p.date_of_birth > now.date_naive() {
        c.fail(
            "/person/date_of_birth",
            Rule::Range,
            "the date of birth must lie between 1900 and today",
        );
    }
    c.name("/person/address/street", &p.address.street);
    c.name("/person/address/house_number", &p.address.house_number);
    c.name("/person/address/city", &p.address.city);
    if !is_postcode(&p.address.postcode) {
        c.fail(
            "/person/address/postcode",
            Rule::Postcode,
            "a Dutch postcode looks like 1234 AB",
        );
    }
    if p.bsn.as_deref().is_some_and(|bsn| !passes_elfproef(bsn)) {
        c.fail(
            "/person/bsn",
            Rule::Elfproef,
            "not a valid BSN (nine digits passing the elfproef)",
        );
    }
}

fn kindcheck(c: &mut Check, k: &Kindcheck) {
    if k.status == KindcheckStatus::NotApplicable && (k.children_count > 0 || !k.children_ages.is_empty()) {
        c.fail(
            "/kindcheck/status",
            Rule::Inconsistent,
            "not applicable, yet children are recorded",
        );
    }
    if k.children_count > MAX_CHILDREN {
        c.fail("/kindcheck/children_count", Rule::Range, "at most 20 children");
    }
    if k.children_ages.len() != usize::from(k.children_count) {
        c.fail(
            "/kindcheck/children_ages",
            Rule::CountMismatch,
            "give one age for each child",
        );
    }
    for (i, age) in k.children_ages.iter().enumerate() {
        if *age > 17 {
            c.fail(
                format!("/kindcheck/children_ages/{i}"),
                Rule::Range,
                "a child's age is 0 to 17",
            );
        }
    }
}

fn afweging_rules(c: &mut Check, a: &Afweging, kind: Kind) {
    let answers = Answers::from(a);
    for q in Question::ALL {
        let path = format!("/afweging/{}", q.field());
        match (afweging::expected(q, &answers), answers.get(q)) {
            ([], Some(_)) => c.fail(
                path,
                Rule::Inconsistent,
                "this question is skipped after the earlier answers",
            ),
            ([], None) => {}
            (_, None) => c.fail(
                path,
                Rule::Required,
                "this question must be answered after the earlier answers",
            ),
            (_, Some(x)) if q == Question::UnsafeSituation && answers.acute_danger && x != Answer::Yes => c.fail(
                path,
                Rule::AcuteDangerIsUnsafe,
                "acute danger is acute unsafety: question 2 is yes",
            ),
            (allowed, Some(x)) if !allowed.contains(&x) => c.fail(
                path,
                Rule::InvalidValue,
                format!("this answer is not possible here; expected one of {allowed:?}"),
            ),
            _ => {}
        }
    }
    let Some(rec) = afweging::recommend(&answers) else {
        return;
    };
    if a.recommendation != rec.kind {
        c.fail(
            "/afweging/recommendation",
            Rule::RecommendationMismatch,
            format!("the afwegingskader recommends {}", rec.kind.code()),
        );
    }
    let reason = a.override_reason.as_deref().unwrap_or("");
    if kind.is_forwarded() {
        if afweging::is_override(kind, rec.kind) && reason.trim().is_empty() {
            c.fail(
                "/afweging/override_reason",
                Rule::OverrideReasonRequired,
                "deciding otherwise than recommended needs a written reason",
            );
        } else {
            c.text("/afweging/override_reason", reason, false);
        }
    } else {
        // The reasoning behind a geen melding stays in the pharmacy's own record.
        free_text(c, "/afweging/override_reason", reason, true, kind);
    }
}

fn safe_contact(c: &mut Check, s: &SafeContact) {
    if !s.via_pharmacy || !s.phone.trim().is_empty() {
        c.phone("/safe_contact/phone", &s.phone);
    }
    c.text("/safe_contact/safe_times", &s.safe_times, true);
    if let Some(lang) = &s.language {
        c.name("/safe_contact/language", lang);
    }
}

fn reporter(c: &mut Check, r: &Reporter, created_at: DateTime<Utc>) {
    c.name("/reporter/name", &r.name);
    c.phone("/reporter/phone", &r.phone);
    if r.reachable_until <= created_at {
        c.fail(
            "/reporter/reachable_until",
            Rule::OutOfWindow,
            "reachable_until must lie after created_at",
        );
    }
    match (r.disclosure, r.anonymous_reason.as_deref()) {
        (Disclosure::Anonymous, reason) => c.text("/reporter/anonymous_reason", reason.unwrap_or(""), true),
        (Disclosure::Open, Some(reason)) => c.text("/reporter/anonymous_reason", reason, false),
        (Disclosure::Open, None) => {}
    }
}

#[cfg(test)]
mod tests;
