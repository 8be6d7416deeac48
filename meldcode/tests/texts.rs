//! Every value has a text in Dutch and in English, and the tables are consistent.

use meldcode::afweging;
use meldcode::flow::{Condition, QUESTIONS, Question, STEPS, Step};
use meldcode::texts::{Label, Lang, Ui, describe_error};
use meldcode::*;

/// Every variant of an enum; the closure's `match` fails to compile when a variant is missing.
macro_rules! all {
    ($t:ident: $($v:ident),* $(,)?) => {{
        let _exhaustive = |x: $t| match x { $($t::$v)|* => () };
        vec![$($t::$v),*]
    }};
}

fn labels<T: Label>(values: &[T]) -> Vec<(&'static str, &'static str)> {
    values.iter().map(|v| (v.label(Lang::Nl), v.label(Lang::En))).collect()
}

#[test]
fn every_value_has_a_dutch_and_an_english_label() {
    let mut all: Vec<(&str, &str)> = Vec::new();
    all.extend(labels(&Kind::ALL));
    all.extend(labels(&Channel::ALL));
    all.extend(labels(&Status::ALL));
    all.extend(labels(&SignalCategory::ALL));
    all.extend(labels(&Consulted::ALL));
    all.extend(labels(&Consent::ALL));
    all.extend(labels(&all!(Answer: Yes, No, WithVeiligThuis, NotYetKnown)));
    all.extend(labels(&all!(ReporterRole: Pharmacist, Assistant)));
    all.extend(labels(&all!(Disclosure: Open, Anonymous)));
    all.extend(labels(&all!(KindcheckStatus: Done, NotApplicable)));
    all.extend(labels(
        &all!(Rule: Required, NotAllowedForKind, UnknownField, InvalidType, InvalidValue, MaxLength,
        SchemaVersion, UuidV4, OutOfWindow, UnknownGemeente, Elfproef, Postcode, Phone, Range, PeriodNotPublished, CountMismatch,
        Inconsistent, RecommendationMismatch, OverrideReasonRequired, AcuteDangerIsUnsafe,
        ConsentNotAskedWhenAccompanied, ControlCharacter, PersonalDataPurged, Invalid, SecondFactorSetupRequired,
        SealRequired, ResealRequired, TooFewRecipients),
    ));
    all.extend(labels(&Step::ALL));
    all.extend(labels(&Question::ALL));
    all.extend(labels(&afweging::Question::ALL));
    use afweging::Reason;
    all.extend(labels(
        &all!(Reason: NoSuspicion, Unsafe, NoOwnHelp, HelpNotAccepted, NoLastingSafety, LastingSafety, NotYetKnown),
    ));
    all.extend(labels(&Ui::ALL));
    all.extend(Question::ALL.iter().map(|q| (q.short(Lang::Nl), q.short(Lang::En))));
    all.extend(
        Question::ALL
            .iter()
            .filter_map(|q| Some((q.help(Lang::Nl)?, q.help(Lang::En)?))),
    );

    for (nl, en) in &all {
        assert!(!nl.trim().is_empty() && !en.trim().is_empty(), "{nl:?} / {en:?}");
        assert!(!nl.contains('|') && !en.contains('|'), "no table separators: {nl}");
    }
    let same: Vec<_> = all.iter().filter(|(nl, en)| nl == en).collect();
    // Proper names only: "Masker 19", "Kindcheck"-like terms of art and "BSN".
    assert!(same.len() * 20 < all.len(), "too many untranslated labels: {same:?}");
    assert!(all.len() > 200, "{}", all.len());
    for q in Question::ALL {
        assert_eq!(q.help(Lang::Nl).is_some(), q.help(Lang::En).is_some(), "{q:?}");
    }
}

#[test]
fn the_hints_a_pharmacist_needs_are_there() {
    assert_eq!(
        Question::Observed.help(Lang::Nl),
        Some("Schrijf feitelijk op wat u zag, niet wat u denkt.")
    );
    assert_eq!(
        afweging::Reason::Unsafe.label(Lang::Nl),
        "Er is sprake van acute en/of structurele onveiligheid: melden bij Veilig Thuis is de norm."
    );
    assert!(Ui::VeiligThuis.label(Lang::Nl).contains("0800-2000"));
    assert!(Question::AcuteDanger.help(Lang::Nl).is_some_and(|h| h.contains("112")));
    assert_eq!(Kind::Acuut112.label(Lang::default()), "Acuut (112)");
    assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_code("NL"), Some(Lang::Nl));
    assert_eq!(Lang::from_code("de"), None);
    assert_eq!(true.label(Lang::Nl), "Ja");
    let e = FieldError::new("/person/address/postcode", Rule::Postcode, "x");
    assert_eq!(
        describe_error(&e, Lang::En),
        "Postal code: A Dutch postal code looks like 1234 AB."
    );
    assert_eq!(
        describe_error(&FieldError::new("/id", Rule::UuidV4, "x"), Lang::Nl),
        Rule::UuidV4.label(Lang::Nl)
    );
    for c in [
        Condition::Accompanied,
        Condition::KindIn(&[Kind::Melding]),
        Condition::AfterStop112,
    ] {
        assert_ne!(c.describe(Lang::Nl), c.describe(Lang::En));
    }
}

#[test]
fn the_tables_line_up_with_the_enums() {
    assert_eq!(STEPS.len(), Step::ALL.len());
    for (i, s) in Step::ALL.iter().enumerate() {
        assert_eq!((STEPS[i].step, *s as usize), (*s, i), "STEPS is in the order of Step");
        assert_eq!(serde_json::to_value(s).ok(), Some(serde_json::Value::from(s.code())));
    }
    let all_questions = all!(Question: Channel, AcuteDanger, Accompanied, KindcheckStatus, ChildrenCount, ChildrenAges,
        Pregnant, SignalCategories, Observed, Said, Interpretation, Consulted, ConsultedAt, Advice, Consent, Suspicion,
        UnsafeSituation, OwnHelp, HelpAccepted, LastingSafety, ChosenKind, OverrideReason, Gemeente, PersonName,
        DateOfBirth, Street, HouseNumber, Postcode, City, Bsn, SafePhone, SafeTimes, VoicemailOk, SmsOk,
        PerpetratorInHousehold, NeverAtHome, Language, InterpreterNeeded, ViaPharmacy, ReporterName, ReporterRole,
        ReporterPhone, ReachableUntil, Disclosure, AnonymousReason);
    assert_eq!(Question::ALL.to_vec(), all_questions);
    assert_eq!(QUESTIONS.len(), Question::ALL.len());
    for (i, q) in Question::ALL.iter().enumerate() {
        assert_eq!(
            (QUESTIONS[i].question, *q as usize),
            (*q, i),
            "QUESTIONS is in the order of Question"
        );
        assert_eq!(serde_json::to_value(q).ok(), Some(serde_json::Value::from(q.code())));
        let steps: Vec<_> = STEPS.iter().filter(|d| d.questions.contains(q)).collect();
        assert_eq!(steps.len(), 1, "{q:?} is asked on exactly one step");
        assert_eq!(
            Question::at_pointer(q.pointer()),
            Some(*q),
            "{q:?}: no pointer hides another"
        );
        assert!(!q.def().kinds.is_empty(), "{q:?}");
    }
    for a in afweging::Question::ALL {
        let q = Question::from(a);
        assert_eq!(q.afweging(), Some(a));
        assert_eq!(q.pointer(), format!("/afweging/{}", a.field()));
        assert_eq!(q.step().def().questions, &[q], "one framework question per screen");
    }
    assert_eq!(
        Question::at_pointer("/kindcheck/children_ages/3"),
        Some(Question::ChildrenAges)
    );
    assert_eq!(Question::at_pointer("/person/address"), None);
    assert_eq!(Question::at_pointer("/afweging/recommendation"), None);
}
