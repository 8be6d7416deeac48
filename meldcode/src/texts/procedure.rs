//! The procedure's own texts: screen titles, the afwegingskader, its reasons, the step table's
//! conditions and the rules of a report.

use super::{Label, Lang};
use crate::afweging::{Question as Afw, Reason};
use crate::error::Rule;
use crate::flow::{Condition, Step};

impl Label for Step {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Step::Channel => ("Hulpvraag", "Request for help"),
            Step::Acute => ("Acuut gevaar", "Acute danger"),
            Step::Accompanied => ("Alleen of begeleid", "Alone or accompanied"),
            Step::Kindcheck => ("Kindcheck", "Child check"),
            Step::Signals => ("Signalen", "Signals"),
            Step::Consultation => ("Collegiale consultatie", "Collegial consultation"),
            Step::Conversation => ("Gesprek met de cliënt", "Conversation with the client"),
            Step::Suspicion => ("Afweging 1: vermoeden", "Weighing 1: suspicion"),
            Step::UnsafeSituation => ("Afweging 2: onveiligheid", "Weighing 2: unsafety"),
            Step::OwnHelp => ("Afweging 3: zelf hulp bieden", "Weighing 3: offering help yourself"),
            Step::HelpAccepted => ("Afweging 4: hulp aanvaard", "Weighing 4: help accepted"),
            Step::LastingSafety => ("Afweging 5: blijvende veiligheid", "Weighing 5: lasting safety"),
            Step::Outcome => ("Besluit", "Decision"),
            Step::Person => ("Gegevens van de persoon", "The person's details"),
            Step::SafeContact => ("Veilig contact", "Safe contact"),
            Step::Reporter => ("Melder", "Reporter"),
            Step::Review => ("Controleren en versturen", "Check and send"),
        };
        lang.pick(nl, en)
    }
}

impl Label for Afw {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Afw::Suspicion => (
                "Is er een vermoeden van (dreigend) huiselijk geweld of kindermishandeling?",
                "Is there a suspicion of (threatened) domestic violence or child abuse?",
            ),
            Afw::UnsafeSituation => (
                "Is er sprake van acute en/of structurele onveiligheid?",
                "Is there acute and/or structural unsafety?",
            ),
            Afw::OwnHelp => (
                "Kunt u zelf voldoende hulp bieden of organiseren?",
                "Can you offer or organise sufficient help yourself?",
            ),
            Afw::HelpAccepted => (
                "Aanvaarden de betrokkenen die hulp en zijn zij bereid zich daarvoor in te zetten?",
                "Do the people involved accept that help and commit to it?",
            ),
            Afw::LastingSafety => (
                "Leidt de hulp binnen de gewenste termijn tot blijvende veiligheid?",
                "Does the help lead to lasting safety within the intended time?",
            ),
        };
        lang.pick(nl, en)
    }
}

impl Label for Reason {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Reason::NoSuspicion => (
                "Er is geen vermoeden van huiselijk geweld of kindermishandeling: geen melding. Zet niets over deze hulpvraag in het AIS.",
                "There is no suspicion of domestic violence or child abuse: no report. Record nothing about this request in the pharmacy system.",
            ),
            Reason::Unsafe => (
                "Er is sprake van acute en/of structurele onveiligheid: melden bij Veilig Thuis is de norm.",
                "There is acute and/or structural unsafety: reporting to Veilig Thuis is the norm.",
            ),
            Reason::NoOwnHelp => (
                "U kunt zelf niet voldoende hulp bieden of organiseren: melden bij Veilig Thuis.",
                "You cannot offer or organise sufficient help yourself: report to Veilig Thuis.",
            ),
            Reason::HelpNotAccepted => (
                "De betrokkenen aanvaarden de hulp niet: melden bij Veilig Thuis.",
                "The people involved do not accept the help: report to Veilig Thuis.",
            ),
            Reason::NoLastingSafety => (
                "De hulp leidt niet tot blijvende veiligheid: (opnieuw) melden bij Veilig Thuis.",
                "The help does not lead to lasting safety: report (again) to Veilig Thuis.",
            ),
            Reason::LastingSafety => (
                "De hulp leidt tot blijvende veiligheid: geen melding nodig. Blijf de situatie volgen.",
                "The help leads to lasting safety: no report needed. Keep following the situation.",
            ),
            Reason::NotYetKnown => (
                "Nog niet bekend of de hulp tot blijvende veiligheid leidt: nu geen melding. Volg de situatie en meld alsnog als de veiligheid uitblijft.",
                "Not yet known whether the help leads to lasting safety: no report for now. Follow the situation and report after all if safety does not come.",
            ),
        };
        lang.pick(nl, en)
    }
}

impl Label for Rule {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Rule::Required => ("Dit moet nog worden ingevuld.", "This is required."),
            Rule::NotAllowedForKind => (
                "Dit hoort niet bij deze soort melding.",
                "This does not belong in this kind of report.",
            ),
            Rule::UnknownField => (
                "Dit gegeven hoort niet bij een melding.",
                "This field is not part of a report.",
            ),
            Rule::InvalidType => (
                "Dit gegeven heeft niet de juiste vorm.",
                "This value has the wrong type.",
            ),
            Rule::InvalidValue => ("Deze waarde is hier niet mogelijk.", "This value is not possible here."),
            Rule::MaxLength => ("Deze tekst is te lang.", "This text is too long."),
            Rule::SchemaVersion => (
                "Deze versie van de melding wordt niet ondersteund.",
                "This version of the report is not supported.",
            ),
            Rule::UuidV4 => (
                "Het kenmerk van de melding is ongeldig.",
                "The report's identifier is invalid.",
            ),
            Rule::OutOfWindow => (
                "Dit tijdstip ligt buiten de toegestane periode.",
                "This time lies outside the allowed period.",
            ),
            Rule::UnknownGemeente => (
                "Deze gemeente bestaat niet (meer).",
                "This municipality does not exist (any more).",
            ),
            Rule::Elfproef => (
                "Dit is geen geldig BSN (elfproef).",
                "This is not a valid citizen service number (check digit).",
            ),
            Rule::Postcode => (
                "Een postcode ziet eruit als 1234 AB.",
                "A Dutch postal code looks like 1234 AB.",
            ),
            Rule::Phone => (
                "Dit is geen geldig telefoonnummer (8 tot 15 cijfers).",
                "This is not a valid phone number (8 to 15 digits).",
            ),
            Rule::Range => (
                "Deze waarde valt buiten het toegestane bereik.",
                "This value is out of range.",
            ),
            Rule::PeriodNotPublished => (
                "Deze periode is nog niet gepubliceerd: er kunnen nog meldingen over binnenkomen.",
                "This period is not published yet: reports may still arrive for it.",
            ),
            Rule::CountMismatch => ("Geef voor elk kind één leeftijd.", "Give one age for each child."),
            Rule::Inconsistent => (
                "Dit past niet bij de eerdere antwoorden.",
                "This does not fit the earlier answers.",
            ),
            Rule::RecommendationMismatch => (
                "Het advies past niet bij de antwoorden van het afwegingskader.",
                "The recommendation does not fit the decision framework's answers.",
            ),
            Rule::AcuteDangerIsUnsafe => (
                "Bij acuut gevaar is er acute onveiligheid: afwegingsvraag 2 is \"ja\".",
                "Acute danger is acute unsafety: weighing question 2 is \"yes\".",
            ),
            Rule::ConsentNotAskedWhenAccompanied => (
                "Een begeleide cliënt is niet alleen gesproken: toestemming is \"niet gevraagd (onveilig)\".",
                "An accompanied client was not spoken to alone: consent is \"not asked (unsafe)\".",
            ),
            Rule::ControlCharacter => (
                "Gebruik alleen gewone tekens: geen tab, nieuwe regel of stuurteken.",
                "Use plain characters only: no tab, new line or control character.",
            ),
            Rule::PersonalDataPurged => (
                "De persoonsgegevens van deze melding zijn volgens de bewaartermijn verwijderd: er is niets meer over te dragen. Bel de andere regio als zij het moeten weten.",
                "This report's personal data was removed under the retention period: there is nothing left to hand over. Call the other region if they need to know.",
            ),
            Rule::Invalid => (
                "Deze code klopt niet of is al gebruikt.",
                "This code is wrong or was used before.",
            ),
            Rule::SecondFactorSetupRequired => (
                "Stel eerst de tweede stap in: log één keer in op de inlogpagina.",
                "Set up the second factor first: sign in once on the login page.",
            ),
            Rule::OverrideReasonRequired => (
                "U besluit anders dan het advies: schrijf op waarom.",
                "You decide otherwise than recommended: write down why.",
            ),
            Rule::SealRequired => (
                "Deze regio ontvangt alleen verzegelde meldingen. De app wacht op de sleutels van Veilig Thuis; bel bij haast Veilig Thuis: 0800-2000.",
                "This region receives sealed reports only. The app waits for Veilig Thuis's keys; if it is urgent, call Veilig Thuis: 0800-2000.",
            ),
            Rule::ResealRequired => (
                "Verzegel de melding opnieuw voor de nieuwe regio voordat u haar overdraagt.",
                "Seal the report again for the new region before handing it over.",
            ),
            Rule::TooFewRecipients => (
                "De verzegelde melding moet voor de regio en voor haar herstelsleutel te openen zijn.",
                "The sealed report must open with the region's key and with its recovery key.",
            ),
        };
        lang.pick(nl, en)
    }
}

impl Condition {
    /// The condition in words, to follow "als"/"when" in the step table (short, lower case).
    pub fn describe(&self, lang: Lang) -> String {
        let kinds = |ks: &[crate::report::Kind]| {
            let names: Vec<String> = ks.iter().map(|k| k.label(lang).to_lowercase()).collect();
            names.join(lang.pick(" of ", " or "))
        };
        let text = match self {
            Condition::Accompanied => lang.pick("de cliënt begeleid is", "the client is accompanied"),
            Condition::AfwegingSkips(q) => match q {
                Afw::Suspicion => lang.pick("nooit", "never"),
                Afw::UnsafeSituation | Afw::OwnHelp => lang.pick("afweging 1 = nee", "weighing 1 = no"),
                Afw::HelpAccepted => lang.pick("afweging 1 of 3 = nee", "weighing 1 or 3 = no"),
                Afw::LastingSafety => lang.pick("afweging 1, 3 of 4 = nee", "weighing 1, 3 or 4 = no"),
            },
            Condition::AfwegingFilled(Afw::UnsafeSituation) => lang.pick(
                "acuut gevaar (dan afweging 2 = ja)",
                "acute danger (then weighing 2 = yes)",
            ),
            Condition::AfwegingFilled(_) => lang.pick(
                "afweging 2 = ja (dan samen met Veilig Thuis)",
                "weighing 2 = yes (then together with Veilig Thuis)",
            ),
            Condition::KindIn(ks) => {
                return format!("{} = {}", lang.pick("besluit", "decision"), kinds(ks));
            }
            Condition::KindNotIn(ks) => {
                return format!("{} ≠ {}", lang.pick("besluit", "decision"), kinds(ks));
            }
            Condition::KindcheckDone => lang.pick("kindcheck gedaan", "child check done"),
            Condition::HasChildren => lang.pick("er kinderen zijn", "there are children"),
            Condition::Anonymous => lang.pick("anoniem gemeld", "reported anonymously"),
            Condition::NotViaPharmacy => lang.pick("niet via de apotheek", "not through the pharmacy"),
            Condition::Override => lang.pick(
                "besluit ≠ advies (een adviesvraag kan altijd)",
                "decision ≠ recommendation (a request for advice is always possible)",
            ),
            Condition::ReporterStarted => lang.pick("melder deels ingevuld", "reporter partly filled in"),
            Condition::AfterStop112 => lang.pick("afgehandeld via 112", "handled by 112"),
        };
        text.to_owned()
    }
}
