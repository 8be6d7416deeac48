//! The oefenmodus's own app texts (the scenarios and the feedback are in `meldcode::texts`).

use meldcode::{Label, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum P {
    Practise,
    PickerTitle,
    PickerIntro,
    Banner,
    BannerDetail,
    StartScenario,
    Stop,
    Continue,
    Would112,
    WouldVeiligThuis,
    NoCallInPractice,
    FeedbackTitle,
    AllRight,
    Right,
    Differed,
    Why,
    Again,
    HistoryTitle,
    HistoryEmpty,
    ColScenario,
    ColDate,
    ColTime,
    ColRight,
    ColDiffered,
    ColStaff,
    WhoPractises,
    NoProfile,
    Mark,
    FirstSeconds,
    RealDraftKept,
    FeedbackSentNote,
    Practised,
    Last,
}

impl Label for P {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            P::Practise => ("Oefenen", "Practise"),
            P::PickerTitle => ("Oefenen: kies een situatie", "Practise: pick a situation"),
            P::PickerIntro => (
                "U doorloopt de echte stappen met verzonnen gegevens. Er wordt niemand gebeld en niets doorgestuurd naar Veilig Thuis; de regio ziet alleen dat uw apotheek heeft geoefend.",
                "You go through the real steps with made-up data. Nobody is called and nothing is forwarded to Veilig Thuis; the region only sees that your pharmacy practised.",
            ),
            P::Banner => ("OEFENING", "PRACTICE"),
            P::BannerDetail => (
                "geen echte hulpvraag — alle gegevens zijn verzonnen",
                "not a real request for help — all data is made up",
            ),
            P::StartScenario => ("Deze situatie oefenen", "Practise this situation"),
            P::Stop => ("Oefening stoppen", "Stop practising"),
            P::Continue => ("Verder met de oefening", "Continue practising"),
            P::Would112 => (
                "Nu zou u 112 bellen. Bij een echte hulpvraag belt u nu direct; in deze oefening wordt niet gebeld.",
                "Now you would call 112. With a real request for help you call now; in this practice nobody is called.",
            ),
            P::WouldVeiligThuis => (
                "Nu zou u Veilig Thuis bellen (0800-2000). In deze oefening wordt niet gebeld.",
                "Now you would call Veilig Thuis (0800-2000). In this practice nobody is called.",
            ),
            P::NoCallInPractice => ("Oefening: er wordt niet gebeld", "Practice: no call is made"),
            P::FeedbackTitle => ("Terugkoppeling op uw oefening", "Feedback on your practice"),
            P::AllRight => (
                "Alles ging zoals de meldcode verwacht.",
                "Everything went as the meldcode expects.",
            ),
            P::Right => ("Goed gedaan", "What was right"),
            P::Differed => ("Anders dan de meldcode verwacht", "What differed from the meldcode"),
            P::Why => ("Waarom", "Why"),
            P::Again => ("Nog een situatie oefenen", "Practise another situation"),
            P::HistoryTitle => ("Oefengeschiedenis op dit apparaat", "Practice history on this device"),
            P::HistoryEmpty => ("Nog niet geoefend op dit apparaat.", "No practice on this device yet."),
            P::ColScenario => ("Situatie", "Situation"),
            P::ColDate => ("Datum", "Date"),
            P::ColTime => ("Tijd", "Time"),
            P::ColRight => ("Goed", "Right"),
            P::ColDiffered => ("Anders", "Differed"),
            P::ColStaff => ("Teamlid", "Team member"),
            P::WhoPractises => ("Wie oefent?", "Who is practising?"),
            P::NoProfile => ("Geen profiel", "No profile"),
            P::Mark => ("Oefening", "Practice"),
            P::FirstSeconds => ("Wat doe ik nu?", "What do I do now?"),
            P::RealDraftKept => (
                "Uw echte hulpvraag in behandeling blijft bewaard en wordt door de oefening niet aangeraakt. \"Hulpvraag starten\" stopt de oefening en gaat er direct mee verder.",
                "Your real request for help in progress is kept and not touched by the practice. \"Start a request for help\" stops the practice and goes straight back to it.",
            ),
            P::Practised => ("Geoefend", "Practised"),
            P::Last => ("laatst", "last"),
            P::FeedbackSentNote => (
                "De oefening is in de wachtrij gezet als oefening: de server telt alleen dat er geoefend is en stuurt niets door.",
                "The practice was queued as a practice: the server only counts that it took place and forwards nothing.",
            ),
        };
        lang.pick(nl, en)
    }
}
