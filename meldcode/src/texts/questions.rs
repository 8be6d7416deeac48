//! The questions of the procedure: the prompt on screen ([`Label`]), a short field name and a
//! hint where one matters.

use super::{Label, Lang};
use crate::flow::Question;

/// `(prompt NL, prompt EN, short NL, short EN)`.
fn texts(q: Question) -> (&'static str, &'static str, &'static str, &'static str) {
    use Question as Q;
    match q {
        Q::Channel => (
            "Hoe kwam de hulpvraag binnen?",
            "How did the request for help reach you?",
            "Kanaal",
            "Channel",
        ),
        Q::AcuteDanger => (
            "Is er nu acuut gevaar voor de cliënt of voor anderen?",
            "Is the client or anyone else in acute danger right now?",
            "Acuut gevaar",
            "Acute danger",
        ),
        Q::Accompanied => (
            "Is de cliënt begeleid door iemand anders?",
            "Is the client accompanied by someone else?",
            "Begeleid",
            "Accompanied",
        ),
        Q::KindcheckStatus => (
            "Kindcheck: zorgt de cliënt voor minderjarige kinderen of wonen er kinderen in het huishouden?",
            "Child check: does the client care for minors, or are there children in the household?",
            "Kindcheck",
            "Child check",
        ),
        Q::ChildrenCount => (
            "Hoeveel minderjarige kinderen?",
            "How many minor children?",
            "Aantal kinderen",
            "Number of children",
        ),
        Q::ChildrenAges => (
            "Hoe oud is elk kind?",
            "How old is each child?",
            "Leeftijden van de kinderen",
            "Ages of the children",
        ),
        Q::Pregnant => (
            "Is de cliënt zwanger?",
            "Is the client pregnant?",
            "Zwanger",
            "Pregnant",
        ),
        Q::SignalCategories => (
            "Welke signalen ziet of hoort u?",
            "Which signals do you see or hear?",
            "Signalen",
            "Signals",
        ),
        Q::Observed => ("Wat heeft u gezien?", "What did you see?", "Gezien", "Observed"),
        Q::Said => (
            "Wat zei de cliënt, in eigen woorden?",
            "What did the client say, in their own words?",
            "Gezegd",
            "Said",
        ),
        Q::Interpretation => (
            "Hoe duidt u deze signalen?",
            "How do you interpret these signals?",
            "Duiding",
            "Interpretation",
        ),
        Q::Consulted => (
            "Met wie heeft u overlegd?",
            "Whom did you consult?",
            "Overlegd met",
            "Consulted",
        ),
        Q::ConsultedAt => (
            "Wanneer was het overleg?",
            "When was the consultation?",
            "Tijdstip overleg",
            "Time of consultation",
        ),
        Q::Advice => ("Welk advies kreeg u?", "What advice did you get?", "Advies", "Advice"),
        Q::Consent => (
            "Geeft de cliënt toestemming om Veilig Thuis in te schakelen?",
            "Does the client consent to involving Veilig Thuis?",
            "Toestemming",
            "Consent",
        ),
        Q::Suspicion => (
            crate::afweging::Question::Suspicion.label(Lang::Nl),
            crate::afweging::Question::Suspicion.label(Lang::En),
            "Vermoeden",
            "Suspicion",
        ),
        Q::UnsafeSituation => (
            crate::afweging::Question::UnsafeSituation.label(Lang::Nl),
            crate::afweging::Question::UnsafeSituation.label(Lang::En),
            "Acute of structurele onveiligheid",
            "Acute or structural unsafety",
        ),
        Q::OwnHelp => (
            crate::afweging::Question::OwnHelp.label(Lang::Nl),
            crate::afweging::Question::OwnHelp.label(Lang::En),
            "Zelf hulp bieden",
            "Own help",
        ),
        Q::HelpAccepted => (
            crate::afweging::Question::HelpAccepted.label(Lang::Nl),
            crate::afweging::Question::HelpAccepted.label(Lang::En),
            "Hulp aanvaard",
            "Help accepted",
        ),
        Q::LastingSafety => (
            crate::afweging::Question::LastingSafety.label(Lang::Nl),
            crate::afweging::Question::LastingSafety.label(Lang::En),
            "Blijvende veiligheid",
            "Lasting safety",
        ),
        Q::ChosenKind => ("Wat besluit u?", "What do you decide?", "Besluit", "Decision"),
        Q::OverrideReason => (
            "Waarom besluit u anders dan het advies?",
            "Why do you decide otherwise than recommended?",
            "Reden van afwijken",
            "Reason for deciding otherwise",
        ),
        Q::Gemeente => (
            "In welke gemeente woont de persoon om wie het gaat?",
            "In which municipality does the person concerned live?",
            "Gemeente",
            "Municipality",
        ),
        Q::PersonName => (
            "Wat is de naam van de persoon om wie het gaat?",
            "What is the name of the person concerned?",
            "Naam",
            "Name",
        ),
        Q::DateOfBirth => (
            "Wat is de geboortedatum?",
            "What is the date of birth?",
            "Geboortedatum",
            "Date of birth",
        ),
        Q::Street => ("Straat", "Street", "Straat", "Street"),
        Q::HouseNumber => ("Huisnummer", "House number", "Huisnummer", "House number"),
        Q::Postcode => ("Postcode", "Postal code", "Postcode", "Postal code"),
        Q::City => ("Woonplaats", "Town or city", "Woonplaats", "Town or city"),
        Q::Bsn => (
            "Burgerservicenummer (BSN)",
            "Citizen service number (BSN)",
            "BSN",
            "Citizen service number",
        ),
        Q::SafePhone => (
            "Op welk telefoonnummer is de persoon veilig bereikbaar?",
            "On which phone number can the person be reached safely?",
            "Veilig telefoonnummer",
            "Safe phone number",
        ),
        Q::SafeTimes => (
            "Wanneer kan Veilig Thuis veilig bellen?",
            "When can Veilig Thuis call safely?",
            "Veilige tijden",
            "Safe times",
        ),
        Q::VoicemailOk => (
            "Mag Veilig Thuis een voicemail inspreken?",
            "May Veilig Thuis leave a voicemail?",
            "Voicemail toegestaan",
            "Voicemail allowed",
        ),
        Q::SmsOk => (
            "Mag Veilig Thuis een sms sturen?",
            "May Veilig Thuis send a text message?",
            "Sms toegestaan",
            "Text message allowed",
        ),
        Q::PerpetratorInHousehold => (
            "Woont de (vermoedelijke) pleger in hetzelfde huishouden?",
            "Does the (suspected) perpetrator live in the same household?",
            "Pleger in het huishouden",
            "Perpetrator in the household",
        ),
        Q::NeverAtHome => (
            "Moet Veilig Thuis thuis contact vermijden (geen huisbezoek, geen post)?",
            "Must Veilig Thuis avoid contact at home (no home visit, no mail)?",
            "Nooit thuis contact",
            "Never contact at home",
        ),
        Q::Language => (
            "In welke taal moet Veilig Thuis het gesprek voeren, als dat geen Nederlands is?",
            "In which language should Veilig Thuis speak, if not Dutch?",
            "Taal",
            "Language",
        ),
        Q::InterpreterNeeded => (
            "Is er een tolk nodig?",
            "Is an interpreter needed?",
            "Tolk nodig",
            "Interpreter needed",
        ),
        Q::ViaPharmacy => (
            "Mag Veilig Thuis via de apotheek contact zoeken?",
            "May Veilig Thuis make contact through the pharmacy?",
            "Contact via de apotheek",
            "Contact through the pharmacy",
        ),
        Q::ReporterName => (
            "Wat is uw naam?",
            "What is your name?",
            "Naam melder",
            "Reporter's name",
        ),
        Q::ReporterRole => ("Wat is uw functie?", "What is your role?", "Functie", "Role"),
        Q::ReporterPhone => (
            "Op welk nummer kan Veilig Thuis u terugbellen?",
            "On which number can Veilig Thuis call you back?",
            "Terugbelnummer",
            "Callback number",
        ),
        Q::ReachableUntil => (
            "Tot wanneer bent u bereikbaar?",
            "Until when can you be reached?",
            "Bereikbaar tot",
            "Reachable until",
        ),
        Q::Disclosure => (
            "Meldt u open, of anoniem tegenover het gezin?",
            "Do you report openly, or anonymously towards the family?",
            "Open of anoniem",
            "Open or anonymous",
        ),
        Q::AnonymousReason => (
            "Waarom meldt u anoniem?",
            "Why do you report anonymously?",
            "Reden anoniem melden",
            "Reason for anonymity",
        ),
    }
}

impl Label for Question {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en, _, _) = texts(*self);
        lang.pick(nl, en)
    }
}

impl Question {
    /// A field name, for the review screen and the intake pages.
    pub fn short(self, lang: Lang) -> &'static str {
        let (_, _, nl, en) = texts(self);
        lang.pick(nl, en)
    }

    /// A hint below the question, where one matters.
    pub fn help(self, lang: Lang) -> Option<&'static str> {
        use Question as Q;
        let (nl, en) = match self {
            Q::Channel => (
                "Het codewoord kan aan de balie komen, op een briefje, via de telefoon of bij een bezorging.",
                "The codeword can come at the counter, on a note, by phone or during a home delivery.",
            ),
            Q::AcuteDanger => (
                "Ja: bel direct 112, vóór alles. U kunt op elk moment 112 bellen met de knop bovenaan; het tijdstip wordt vastgelegd en u kunt daarna verder.",
                "Yes: call 112 at once, before anything else. You can call 112 at any moment with the button at the top; the time is recorded and you can carry on afterwards.",
            ),
            Q::Accompanied => (
                "Ga ervan uit dat de begeleider de pleger is. Doe alsof het om een gewoon recept gaat: niets op het scherm of op papier mag verraden wat er speelt. Vul de stappen daarna alleen in. Is de cliënt alleen, neem haar of hem dan mee naar de spreekkamer.",
                "Assume the companion is the perpetrator. Act as if this is an ordinary prescription: nothing on screen or on paper may reveal what is going on. Complete the steps afterwards, alone. If the client is alone, take them to the consultation room.",
            ),
            Q::KindcheckStatus => (
                "Ja: vraag daarna naar hun aantal en leeftijden. Nee: de cliënt zorgt niet voor kinderen en er wonen geen kinderen in het huishouden. Vraag ook naar een zwangerschap.",
                "Yes: then ask how many and how old. No: the client does not care for children and no children live in the household. Ask about a pregnancy too.",
            ),
            Q::ChildrenAges => (
                "Eén leeftijd per kind, van 0 tot en met 17 jaar.",
                "One age per child, from 0 to 17.",
            ),
            Q::Pregnant => (
                "Kies \"Weet ik niet\" als u het niet weet.",
                "Choose \"Don't know\" if you do not know.",
            ),
            Q::SignalCategories => (
                "Kies alles wat van toepassing is. Meer signalen maken een vermoeden sterker; een signaal alleen bewijst niets.",
                "Choose all that apply. More signals make a suspicion stronger; a signal alone proves nothing.",
            ),
            Q::Observed => (
                "Schrijf feitelijk op wat u zag, niet wat u denkt.",
                "Write down factually what you saw, not what you think.",
            ),
            Q::Said => (
                "Citeer waar dat kan, tussen aanhalingstekens. De betrokkenen kunnen het dossier later lezen.",
                "Quote where you can, in quotation marks. The people involved may read the file later.",
            ),
            Q::Interpretation => (
                "Houd uw duiding gescheiden van wat u zag en hoorde.",
                "Keep your interpretation apart from what you saw and heard.",
            ),
            Q::Consulted => (
                "Collegiale consultatie, bij voorkeur met de aandachtsfunctionaris. Noteer functies, geen namen. U kunt ook Veilig Thuis (0800-2000) om advies vragen.",
                "Collegial consultation, preferably with the safeguarding lead (aandachtsfunctionaris). Record roles, not names. You can also ask Veilig Thuis (0800-2000) for advice.",
            ),
            Q::Advice => ("Kort en feitelijk.", "Brief and factual."),
            Q::Consent => (
                "Voer het gesprek in de spreekkamer. Ook zonder toestemming mag u melden (meldrecht). Kies \"niet gevraagd\" als vragen niet veilig was.",
                "Hold the conversation in the consultation room. You may report without consent too (right to report). Choose \"not asked\" if asking was unsafe.",
            ),
            Q::LastingSafety => (
                "Weet u het nog niet, kies dan \"nog niet bekend\" en volg de situatie.",
                "If you do not know yet, choose \"not yet known\" and follow the situation.",
            ),
            Q::ChosenKind => (
                "Het advies van het afwegingskader staat voorgeselecteerd. Kiest u iets anders, schrijf dan op waarom; een adviesvraag aan Veilig Thuis kan altijd, zonder reden.",
                "The decision framework's recommendation is preselected. If you choose otherwise, write down why; asking Veilig Thuis for advice is always possible, without a reason.",
            ),
            Q::OverrideReason => (
                "Schrijf kort op waarom u anders kiest dan het advies. Bij geen melding of acuut (112) verlaat alleen een telling de apotheek; zet niets in het AIS.",
                "Write briefly why you choose other than the recommendation. For no report or an emergency (112) only a count leaves the pharmacy; record nothing in the pharmacy system.",
            ),
            Q::Gemeente => (
                "Hiermee komt de melding bij de juiste regio van Veilig Thuis.",
                "This sends the report to the right Veilig Thuis region.",
            ),
            Q::Bsn => (
                "Niet verplicht. Vul het alleen in als u het zeker weet.",
                "Optional. Only fill it in when you are sure of it.",
            ),
            Q::SafePhone => (
                "Mag leeg blijven als Veilig Thuis via de apotheek contact zoekt.",
                "May stay empty when Veilig Thuis makes contact through the pharmacy.",
            ),
            Q::SafeTimes => (
                "In de woorden van de persoon, bijvoorbeeld \"werkdagen tussen 10 en 12 uur\".",
                "In the person's words, for example \"weekdays between 10 and 12\".",
            ),
            Q::PerpetratorInHousehold => (
                "Kies \"Weet ik niet\" als dit onbekend is.",
                "Choose \"Don't know\" if unknown.",
            ),
            Q::ViaPharmacy => (
                "De apotheek is dan het alternatieve contactpunt voor de persoon.",
                "The pharmacy is then the person's alternative contact point.",
            ),
            Q::ReporterPhone => (
                "Een nummer waarop u direct bereikbaar bent, niet het algemene nummer als dat via een keuzemenu loopt.",
                "A number on which you can be reached directly, not the general number if it runs through a menu.",
            ),
            Q::Disclosure => (
                "Open melden is de norm, tenzij dat u of de cliënt in gevaar brengt.",
                "Reporting openly is the norm, unless it puts you or the client in danger.",
            ),
            _ => return None,
        };
        Some(lang.pick(nl, en))
    }
}

#[cfg(test)]
mod tests {
    use crate::flow::Question;
    use crate::texts::Lang;

    #[test]
    fn hints_never_contradict_the_screen_or_the_house_rules() {
        for q in Question::ALL {
            for lang in Lang::ALL {
                let Some(h) = q.help(lang) else { continue };
                // A question with a "Weet ik niet" button is never to be left empty.
                assert!(!h.contains("Laat leeg") && !h.contains("Leave empty"), "{q:?}: {h}");
                // Nothing about the case goes into any record of the pharmacy.
                assert!(!h.contains("eigen dossier") && !h.contains("own record"), "{q:?}: {h}");
            }
        }
    }
}
