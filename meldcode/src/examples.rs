//! A complete, valid report of each kind: for the OpenAPI document, tests and demo data.
//! Synthetic people only.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::report::*;

/// A valid report of `kind` with the given id, created at `now`.
pub fn example(kind: Kind, id: Uuid, now: DateTime<Utc>) -> Report {
    let recommendation = match kind {
        Kind::GeenMelding => Kind::GeenMelding,
        _ => Kind::Melding,
    };
    let afweging = match kind {
        Kind::GeenMelding => Afweging {
            acute_danger: false,
            suspicion: Answer::No,
            unsafe_situation: None,
            own_help: None,
            help_accepted: None,
            lasting_safety: None,
            recommendation,
            override_reason: None,
        },
        _ => Afweging {
            acute_danger: false,
            suspicion: Answer::Yes,
            unsafe_situation: Some(Answer::Yes),
            own_help: Some(Answer::WithVeiligThuis),
            help_accepted: Some(Answer::WithVeiligThuis),
            lasting_safety: Some(Answer::WithVeiligThuis),
            recommendation,
            // An adviesvraag is a normal choice: no override reason.
            override_reason: None,
        },
    };
    let forwarded = kind.is_forwarded();
    let text = |s: &str| if forwarded { s.to_owned() } else { String::new() };
    let reporter = Reporter {
        name: "A. de Apotheker".into(),
        role: ReporterRole::Pharmacist,
        phone: "020-1234567".into(),
        reachable_until: now + Duration::hours(8),
        disclosure: Disclosure::Open,
        anonymous_reason: None,
    };
    Report {
        id,
        schema_version: SCHEMA_VERSION,
        kind,
        created_at: now,
        channel: Channel::Balie,
        accompanied: kind == Kind::Melding,
        acute_112_at: (kind == Kind::Acuut112).then_some(now),
        gemeente: Some("GM0363".into()),
        person: (kind == Kind::Melding).then(|| Person {
            name: "Voorbeeld Persoon".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 4, 1).unwrap_or_default(),
            address: Address {
                street: "Voorbeeldstraat".into(),
                house_number: "19".into(),
                postcode: "1012 AB".into(),
                city: "Amsterdam".into(),
            },
            bsn: Some("111222333".into()),
        }),
        kindcheck: (kind != Kind::Acuut112).then(|| Kindcheck {
            status: KindcheckStatus::Done,
            children_count: 2,
            children_ages: vec![4, 9],
            pregnant: Some(false),
        }),
        signals: (kind != Kind::Acuut112).then(|| Signals {
            categories: vec![
                SignalCategory::Codeword,
                SignalCategory::Physical,
                SignalCategory::Companion,
            ],
            observed: text("Blauwe plek op de onderarm; begeleider bleef naast cliënt staan."),
            said: text("Cliënt zei: \"Masker 19\"."),
            interpretation: text("Mogelijk huiselijk geweld; begeleider lijkt controle uit te oefenen."),
        }),
        consultation: (kind != Kind::Acuut112).then(|| Consultation {
            consulted: vec![Consulted::Aandachtsfunctionaris],
            at: Some(now - Duration::minutes(10)),
            advice: text("Aandachtsfunctionaris adviseert melden."),
        }),
        conversation: (kind != Kind::Acuut112).then_some(Conversation {
            consent: if kind == Kind::Melding {
                Consent::NotAskedUnsafe
            } else {
                Consent::Given
            },
        }),
        afweging: (kind != Kind::Acuut112).then_some(afweging),
        safe_contact: (kind == Kind::Melding).then(|| SafeContact {
            phone: "06-12345678".into(),
            safe_times: "Werkdagen tussen 10 en 12 uur".into(),
            voicemail_ok: false,
            sms_ok: false,
            perpetrator_in_household: Some(true),
            never_at_home: true,
            language: None,
            interpreter_needed: false,
            via_pharmacy: true,
        }),
        reporter: forwarded.then_some(reporter),
        practice: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_validates_and_round_trips() {
        let now = Utc::now();
        for kind in Kind::ALL {
            let r = example(kind, Uuid::new_v4(), now);
            assert_eq!(crate::validate::validate(&r, now), vec![], "{kind:?}");
            let json = serde_json::to_vec(&r).expect("serialises");
            assert_eq!(crate::parse_report(&json, now), Ok(r), "{kind:?}");
        }
    }
}
