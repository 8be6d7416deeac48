//! The app's own texts, in Dutch (the default) and English. Everything about the procedure —
//! questions, options, steps, statuses, rules — comes from `meldcode::texts`; nothing is written
//! in the views.

use meldcode::{Label, Lang};

/// Veilig Thuis' national number, shown on every screen.
pub const VEILIG_THUIS_NUMBER: &str = "0800-2000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    AppName,
    Call112Short,
    VeiligThuisShort,
    Hide,
    HideHint,
    Call112Title,
    Call112Body,
    Call112Recorded,
    CallVeiligThuis,
    Close,
    Home,
    Reports,
    Language,
    NoPinYet,
    PinSetTitle,
    Pin,
    PinConfirm,
    PinSave,
    PinRules,
    PinMismatch,
    PinWrong,
    Unlock,
    NeutralTitle,
    NeutralArticle,
    NeutralStock,
    NeutralLocation,
    FirstStartTitle,
    FirstStartIntro,
    ServerAddress,
    ServerHint,
    EnrollCode,
    Enroll,
    Enrolling,
    EnrolledAs,
    AccompaniedTitle,
    AccompaniedBody,
    HideUntilLeft,
    ReviewIntro,
    NothingToSend,
    SubmittedTitle,
    StatusOfReport,
    NotSentYet,
    RetryAt,
    LastProblem,
    RejectedReason,
    RejectedKept,
    Overdue,
    ReportsTitle,
    NoReports,
    ColKind,
    ColWritten,
    ColStatus,
    ColReference,
    Wiped,
    Restored,
    Problems,
    Progress,
    ChildAge,
    Choose,
    SaveError,
}

impl Label for T {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            T::AppName => ("Masker 19", "Masker 19"),
            T::Call112Short => ("112", "112"),
            T::VeiligThuisShort => ("Veilig Thuis 0800-2000", "Veilig Thuis 0800-2000"),
            T::Hide => ("Verbergen", "Hide"),
            T::HideHint => ("Toets Esc verbergt ook", "The Esc key hides too"),
            T::Call112Title => ("Bel nu 112", "Call 112 now"),
            T::Call112Body => (
                "Bel 112 met de telefoon van de apotheek. Het tijdstip is vastgelegd; daarna kunt u verder met de stappen of hier afronden.",
                "Call 112 with the pharmacy's phone. The time is recorded; afterwards you can continue with the steps or finish here.",
            ),
            T::Call112Recorded => ("Tijdstip vastgelegd", "Time recorded"),
            T::CallVeiligThuis => ("Bel Veilig Thuis: 0800-2000", "Call Veilig Thuis: 0800-2000"),
            T::Close => ("Sluiten", "Close"),
            T::Home => ("Start", "Home"),
            T::Reports => ("Meldingen", "Reports"),
            T::Language => ("English", "Nederlands"),
            T::NoPinYet => (
                "Stel eerst een pincode in: daarmee komt u terug na \"Verbergen\".",
                "Set a PIN first: you need it to come back after \"Hide\".",
            ),
            T::PinSetTitle => ("Pincode instellen", "Set a PIN"),
            T::Pin => ("Pincode", "PIN"),
            T::PinConfirm => ("Pincode nogmaals", "PIN again"),
            T::PinSave => ("Pincode opslaan", "Save PIN"),
            T::PinRules => ("4 tot 8 cijfers.", "4 to 8 digits."),
            T::PinMismatch => (
                "De pincodes zijn niet gelijk of niet 4 tot 8 cijfers.",
                "The PINs differ or are not 4 to 8 digits.",
            ),
            T::PinWrong => ("Onjuiste code.", "Wrong code."),
            T::Unlock => ("Openen", "Open"),
            T::NeutralTitle => ("Apotheek — voorraad", "Pharmacy — stock"),
            T::NeutralArticle => ("Artikel", "Item"),
            T::NeutralStock => ("Voorraad", "Stock"),
            T::NeutralLocation => ("Locatie", "Location"),
            T::FirstStartTitle => ("Eerste start", "First start"),
            T::FirstStartIntro => (
                "Koppel dit apparaat aan de server met de koppelcode van uw apotheek.",
                "Link this device to the server with your pharmacy's enrolment code.",
            ),
            T::ServerAddress => ("Serveradres", "Server address"),
            T::ServerHint => (
                "Begint met https:// (http:// alleen op deze computer).",
                "Starts with https:// (http:// only on this computer).",
            ),
            T::EnrollCode => ("Koppelcode", "Enrolment code"),
            T::Enroll => ("Koppelen", "Enrol"),
            T::Enrolling => ("Bezig met koppelen…", "Enrolling…"),
            T::EnrolledAs => ("Gekoppeld aan", "Enrolled for"),
            T::AccompaniedTitle => ("De cliënt is begeleid", "The client is accompanied"),
            T::AccompaniedBody => (
                "Houd het scherm neutraal zolang de cliënt en de begeleider er zijn. Rond de stappen af zodra de cliënt weg is; alles blijft bewaard.",
                "Keep the screen neutral while the client and the companion are here. Finish the steps once the client has left; everything is kept.",
            ),
            T::HideUntilLeft => (
                "Neutraal scherm tot de cliënt weg is",
                "Neutral screen until the client has left",
            ),
            T::ReviewIntro => (
                "Dit wordt precies zo verstuurd. Controleer het en wijzig wat niet klopt.",
                "This is exactly what will be sent. Check it and change what is wrong.",
            ),
            T::NothingToSend => ("Geen gegevens om te tonen.", "Nothing to show."),
            T::SubmittedTitle => ("Opgeslagen en verstuurd", "Saved and sent"),
            T::StatusOfReport => ("Status", "Status"),
            T::NotSentYet => (
                "Nog niet verstuurd: de server is niet bereikbaar. De melding is veilig opgeslagen en wordt automatisch opnieuw verstuurd.",
                "Not sent yet: the server cannot be reached. The report is stored safely and will be sent again automatically.",
            ),
            T::RetryAt => ("Volgende poging", "Next attempt"),
            T::LastProblem => ("Laatste probleem", "Last problem"),
            T::RejectedReason => ("Reden van de server", "The server's reason"),
            T::RejectedKept => (
                "De melding blijft bewaard op dit apparaat. Bel Veilig Thuis om de melding telefonisch te doen.",
                "The report stays stored on this device. Call Veilig Thuis to make the report by phone.",
            ),
            T::Overdue => (
                "nog niet in behandeling — bel Veilig Thuis: 0800-2000",
                "not yet taken into intake — call Veilig Thuis: 0800-2000",
            ),
            T::ReportsTitle => ("Meldingen van dit apparaat", "Reports from this device"),
            T::NoReports => ("Nog geen meldingen.", "No reports yet."),
            T::ColKind => ("Soort", "Kind"),
            T::ColWritten => ("Vastgelegd", "Written"),
            T::ColStatus => ("Status", "Status"),
            T::ColReference => ("Kenmerk", "Reference"),
            T::Wiped => (
                "Persoonsgegevens gewist van dit apparaat",
                "Personal data wiped from this device",
            ),
            T::Restored => (
                "De onafgemaakte melding is hersteld.",
                "The unfinished report has been restored.",
            ),
            T::Problems => ("Nog niet compleet", "Not complete yet"),
            T::Progress => ("Voortgang", "Progress"),
            T::ChildAge => ("Leeftijd kind", "Age of child"),
            T::Choose => ("Kies…", "Choose…"),
            T::SaveError => (
                "Opslaan op dit apparaat mislukt. Bel Veilig Thuis: 0800-2000.",
                "Saving on this device failed. Call Veilig Thuis: 0800-2000.",
            ),
        };
        lang.pick(nl, en)
    }
}

/// Harmless rows for the neutral screen (a stock list).
pub const NEUTRAL_STOCK: &[(&str, &str, &str)] = &[
    ("Paracetamol 500 mg, 20 tabletten", "48", "A-03"),
    ("Ibuprofen 400 mg, 20 tabletten", "31", "A-04"),
    ("Cetirizine 10 mg, 30 tabletten", "17", "B-11"),
    ("Omeprazol 20 mg, 14 capsules", "22", "C-02"),
    ("Zinkzalf 100 g", "9", "D-07"),
    ("Hoestdrank, 200 ml", "12", "E-01"),
];
