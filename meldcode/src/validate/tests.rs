//! The meldcode rules the schema enforces on both sides.

use super::*;

fn rules(r: &Report, now: DateTime<Utc>) -> Vec<(String, Rule)> {
    validate(r, now).into_iter().map(|e| (e.path, e.rule)).collect()
}

#[test]
fn an_adviesvraag_needs_no_override_reason() {
    let now = Utc::now();
    let mut r = crate::examples::example(Kind::Adviesvraag, uuid::Uuid::new_v4(), now);
    if let Some(a) = r.afweging.as_mut() {
        a.override_reason = None;
        assert_eq!(
            a.recommendation,
            Kind::Melding,
            "advice asked where a melding is recommended"
        );
    }
    assert_eq!(rules(&r, now), vec![]);
    // A geen melding against the recommendation still needs its (local) reason in the flow,
    // and a melding against a geen-melding recommendation needs one on the wire.
    let mut r = crate::examples::example(Kind::GeenMelding, uuid::Uuid::new_v4(), now);
    r.kind = Kind::Melding;
    let melding = crate::examples::example(Kind::Melding, r.id, now);
    (r.person, r.safe_contact, r.reporter, r.signals) =
        (melding.person, melding.safe_contact, melding.reporter, melding.signals);
    assert!(rules(&r, now).contains(&("/afweging/override_reason".into(), Rule::OverrideReasonRequired)));
}

#[test]
fn acute_danger_makes_question_two_yes() {
    let now = Utc::now();
    let mut r = crate::examples::example(Kind::Melding, uuid::Uuid::new_v4(), now);
    if let Some(a) = r.afweging.as_mut() {
        a.acute_danger = true;
    }
    assert_eq!(rules(&r, now), vec![], "acute danger with question 2 yes");
    if let Some(a) = r.afweging.as_mut() {
        *a = Afweging {
            acute_danger: true,
            suspicion: Answer::Yes,
            unsafe_situation: Some(Answer::No),
            own_help: Some(Answer::No),
            help_accepted: None,
            lasting_safety: None,
            recommendation: Kind::Melding,
            override_reason: None,
        };
    }
    assert_eq!(
        rules(&r, now),
        vec![("/afweging/unsafe_situation".into(), Rule::AcuteDangerIsUnsafe)]
    );
    assert_eq!(Rule::AcuteDangerIsUnsafe.code(), "acute_danger_is_unsafe");
}

#[test]
fn an_accompanied_clients_consent_is_not_asked() {
    let now = Utc::now();
    let mut r = crate::examples::example(Kind::Melding, uuid::Uuid::new_v4(), now);
    assert!(r.accompanied);
    for (consent, ok) in [
        (Consent::NotAskedUnsafe, true),
        (Consent::Given, false),
        (Consent::Refused, false),
    ] {
        r.conversation = Some(Conversation { consent });
        let want = if ok {
            vec![]
        } else {
            vec![("/conversation/consent".to_owned(), Rule::ConsentNotAskedWhenAccompanied)]
        };
        assert_eq!(rules(&r, now), want, "{consent:?}");
    }
    assert_eq!(
        Rule::ConsentNotAskedWhenAccompanied.code(),
        "consent_not_asked_when_accompanied"
    );
}
