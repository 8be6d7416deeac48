//! The "first 30 seconds" card (*Wat doe ik nu?*): what the assistant at the counter says and
//! does when someone says "Masker 19", before the pharmacist is there. Neutral and calm, in the
//! order it happens (answer neutrally, fetch the pharmacist; acute danger: 112 first;
//! alone: the consultation room; accompanied: act as if it is a prescription).

use super::{Label, Lang};

/// The card's lines, in the order they are shown ([`FirstSeconds::STEPS`] after the title).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FirstSeconds {
    Title,
    Intro,
    StayCalm,
    DoNotRepeat,
    SayNeutral,
    Acute112,
    ComeAlong,
    Accompanied,
    NoteOrPhone,
    FetchPharmacist,
    NothingOnScreen,
}

impl FirstSeconds {
    /// What to do, in order (the title and the intro are not steps).
    pub const STEPS: [FirstSeconds; 9] = [
        FirstSeconds::StayCalm,
        FirstSeconds::DoNotRepeat,
        FirstSeconds::SayNeutral,
        FirstSeconds::Acute112,
        FirstSeconds::ComeAlong,
        FirstSeconds::Accompanied,
        FirstSeconds::NothingOnScreen,
        FirstSeconds::NoteOrPhone,
        FirstSeconds::FetchPharmacist,
    ];
}

impl Label for FirstSeconds {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            FirstSeconds::Title => ("Wat doe ik nu?", "What do I do now?"),
            FirstSeconds::Intro => (
                "De eerste 30 seconden aan de balie, voordat de apotheker er is.",
                "The first 30 seconds at the counter, before the pharmacist is there.",
            ),
            FirstSeconds::StayCalm => (
                "Blijf rustig en vriendelijk, zoals bij elke klant. Kijk niet geschrokken om u heen.",
                "Stay calm and friendly, as with any customer. Do not look around in alarm.",
            ),
            FirstSeconds::DoNotRepeat => (
                "Herhaal het codewoord niet hardop en vraag niet \"Wat zei u?\": anderen kunnen meeluisteren.",
                "Do not repeat the codeword aloud and do not ask \"What did you say?\": others may be listening.",
            ),
            FirstSeconds::SayNeutral => (
                "Zeg iets gewoons, bijvoorbeeld: \"Dat pak ik even voor u.\"",
                "Say something ordinary, for example: \"Let me get that for you.\"",
            ),
            FirstSeconds::Acute112 => (
                "Is er acuut gevaar (letsel, bedreiging, de dader in de buurt)? Bel direct 112, vóór al het andere.",
                "Is there acute danger (injury, threats, the perpetrator close by)? Call 112 straight away, before anything else.",
            ),
            FirstSeconds::ComeAlong => (
                "Is de cliënt alleen? Vraag of ze even meeloopt naar de spreekkamer of een rustige plek: \"Loopt u even mee? Dan leg ik het uit.\"",
                "Is the client alone? Ask her to come along to the consultation room or a quiet place: \"Would you come with me? I'll explain it there.\"",
            ),
            FirstSeconds::Accompanied => (
                "Is er iemand bij haar? Doe alsof het om een recept gaat en laat niets zien of horen. De apotheker meldt achteraf.",
                "Is someone with her? Act as if it is about a prescription and show or say nothing. The pharmacist reports afterwards.",
            ),
            FirstSeconds::NoteOrPhone => (
                "Een briefje: houd het buiten zicht. Aan de telefoon: stel alleen ja/nee-vragen.",
                "A note: keep it out of sight. On the phone: ask yes/no questions only.",
            ),
            FirstSeconds::FetchPharmacist => (
                "Haal de apotheker erbij (of bel hem of haar), zonder uit te leggen waarom waar anderen bij zijn.",
                "Fetch the pharmacist (or call them), without explaining why where others can hear.",
            ),
            FirstSeconds::NothingOnScreen => (
                "Kijkt er iemand mee? Verbergen (Esc) toont direct een neutraal scherm.",
                "Is someone watching? Hide (Esc) shows a neutral screen at once.",
            ),
        };
        lang.pick(nl, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_has_dutch_and_english_and_the_card_leads_with_staying_calm() {
        for l in FirstSeconds::STEPS {
            assert_ne!(l.label(Lang::Nl), l.label(Lang::En), "{l:?}");
            assert!(!l.label(Lang::Nl).is_empty());
        }
        assert_eq!(FirstSeconds::STEPS[0], FirstSeconds::StayCalm);
        assert!(FirstSeconds::DoNotRepeat.label(Lang::Nl).contains("niet hardop"));
        assert!(FirstSeconds::Acute112.label(Lang::Nl).contains("112"));
    }
}
