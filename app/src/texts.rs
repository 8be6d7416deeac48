//! The app's own texts, in Dutch (the default) and English. Everything about the procedure —
//! questions, options, steps, statuses, rules — comes from `meldcode::texts`; nothing is written
//! in the views.

use meldcode::{Label, Lang};

/// The window's title, at all times (taskbar, alt-tab): nothing of the scheme.
pub const WINDOW_TITLE: &str = "Apotheek";

/// Veilig Thuis' national number, shown on every screen.
pub const VEILIG_THUIS_NUMBER: &str = "0800-2000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    /// The reporter step without a team on this device.
    NoTeamYet,
    SetUpTeam,
    /// The local store could not be opened: the app starts anyway with the numbers.
    Unavailable,
    UnavailableWhy,
    VeiligThuisShort,
    Hide,
    NewCase,
    NeutralScreen,
    Menu,
    Call112Title,
    Call112Body,
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
    PinRequired,
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
    AccompaniedTitle,
    AccompaniedBody,
    HideUntilLeft,
    ReviewIntro,
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
    NotStored,
    RejectedCall,
    Resend,
    ResendHint,
    Delete,
    DeleteAsk,
    DeleteConfirm,
    Cancel,
    RequiredNote,
    Because,
    OrUntilTime,
    CallVeiligThuisTitle,
    Called112Question,
    Called112Yes,
    NotCalled112,
    Undo,
    RetryNow,
    UnsentBadge,
    Discard,
    DiscardAsk,
    DiscardConfirm,
    TeamTitle,
    TeamIntro,
    TeamAdd,
    StaffName,
    StaffRole,
    StaffPhone,
    StaffReachable,
    Remove,
    WhoAreYou,
}

impl Label for T {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            T::VeiligThuisShort => ("Veilig Thuis 0800-2000", "Veilig Thuis 0800-2000"),
            T::Hide => ("Verbergen", "Hide"),
            T::NewCase => ("Hulpvraag starten", "Start a request for help"),
            T::NeutralScreen => ("Neutraal scherm", "Neutral screen"),
            T::Menu => ("Menu", "Menu"),
            T::Call112Title => ("Bel nu 112", "Call 112 now"),
            T::Call112Body => (
                "Bel 112 met de telefoon van de apotheek. Daarna kunt u verder met de stappen of hier afronden.",
                "Call 112 with the pharmacy's phone. Afterwards you can continue with the steps or finish here.",
            ),
            T::CallVeiligThuis => ("Bel Veilig Thuis: 0800-2000", "Call Veilig Thuis: 0800-2000"),
            T::NoTeamYet => (
                "Nog geen team op dit apparaat: vul uw gegevens hieronder in. Met een team is dit de volgende keer één tik (uw hulpvraag blijft bewaard).",
                "No team on this device yet: fill in your details below. With a team this is one tap next time (your case is kept).",
            ),
            T::SetUpTeam => ("Team instellen", "Set up the team"),
            T::Unavailable => (
                "Deze app kan nu geen hulpvraag vastleggen. Bij acuut gevaar: bel 112. Voor advies of een melding: bel Veilig Thuis, 0800-2000 (gratis, dag en nacht).",
                "This app cannot record a case now. In acute danger: call 112. For advice or a report: call Veilig Thuis, 0800-2000 (free, day and night).",
            ),
            T::UnavailableWhy => ("Waarom", "Why"),
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
            T::PinRequired => (
                "Stel eerst een pincode in. Met de pincode haalt u een hulpvraag terug achter het neutrale scherm; zonder pincode kan dat niet.",
                "Set a PIN first. The PIN brings a case back from behind the neutral screen; without one that is not possible.",
            ),
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
            T::RequiredNote => ("* verplicht", "* required"),
            T::Because => ("Waarom", "Why"),
            T::OrUntilTime => ("of tot (uu:mm)", "or until (hh:mm)"),
            T::CallVeiligThuisTitle => ("Bel Veilig Thuis", "Call Veilig Thuis"),
            T::Called112Question => ("112 gebeld?", "Called 112?"),
            T::Called112Yes => ("Ja, 112 gebeld", "Yes, 112 called"),
            T::NotCalled112 => ("Nee, niet gebeld", "No, not called"),
            T::Undo => ("Ongedaan maken", "Undo"),
            T::RetryNow => ("Nu opnieuw proberen", "Try again now"),
            T::UnsentBadge => ("nog niet verstuurd", "not sent yet"),
            T::Discard => ("Weggooien en opnieuw beginnen", "Discard and start again"),
            T::DiscardAsk => (
                "De onafgemaakte melding wordt van dit apparaat verwijderd en kan niet terug. Voer de pincode in om door te gaan.",
                "The unfinished report is removed from this device and cannot be brought back. Enter the PIN to go on.",
            ),
            T::DiscardConfirm => ("Weggooien", "Discard"),
            T::TeamTitle => ("Team", "Team"),
            T::TeamIntro => (
                "Wie hier meldt: dan is de stap Melder één tik. Alleen op dit apparaat bewaard, versleuteld.",
                "Who reports here: then the reporter step is one tap. Kept on this device only, encrypted.",
            ),
            T::TeamAdd => ("Toevoegen aan het team", "Add to the team"),
            T::StaffName => ("Naam", "Name"),
            T::StaffRole => ("Functie", "Role"),
            T::StaffPhone => ("Direct telefoonnummer", "Direct phone number"),
            T::StaffReachable => ("Meestal bereikbaar", "Usually reachable"),
            T::Remove => ("Verwijderen", "Remove"),
            T::WhoAreYou => ("Wie bent u?", "Who are you?"),
            T::RejectedCall => ("bel Veilig Thuis: 0800-2000", "call Veilig Thuis: 0800-2000"),
            T::Resend => ("Opnieuw versturen", "Send again"),
            T::ResendHint => (
                "De klok van dit apparaat liep verkeerd en klopt nu weer: de melding kan opnieuw worden verstuurd.",
                "This device's clock was wrong and is right now: the report can be sent again.",
            ),
            T::Delete => ("Verwijderen van dit apparaat", "Delete from this device"),
            T::DeleteAsk => (
                "Voer de pincode in om deze melding van dit apparaat te verwijderen. Doe de melding eerst telefonisch: 0800-2000.",
                "Enter the PIN to delete this report from this device. Make the report by phone first: 0800-2000.",
            ),
            T::DeleteConfirm => ("Verwijderen", "Delete"),
            T::Cancel => ("Annuleren", "Cancel"),
            T::NotStored => (
                "Niet opgeslagen — bel Veilig Thuis: 0800-2000. De gegevens staan nog hier; probeer opnieuw te versturen.",
                "Not stored — call Veilig Thuis: 0800-2000. The details are still here; try sending again.",
            ),
            T::SaveError => (
                "Opslaan op dit apparaat mislukt. Bel Veilig Thuis: 0800-2000.",
                "Saving on this device failed. Call Veilig Thuis: 0800-2000.",
            ),
        };
        lang.pick(nl, en)
    }
}

/// At the neutral screen after too many wrong PINs: how long before the next try.
pub fn pin_wait(lang: Lang, wait: chrono::Duration) -> String {
    let secs = wait.num_seconds().max(1);
    match lang {
        Lang::Nl => format!("Te vaak een onjuiste code. Probeer het over {secs} seconden opnieuw."),
        _ => format!("Too many wrong codes. Try again in {secs} seconds."),
    }
}

/// After an unlock: the wrong PINs tried before it ("3 mislukte pogingen, laatste om 14:02").
pub fn failed_attempts(lang: Lang, attempts: crate::pin_lock::FailedAttempts) -> String {
    let at = attempts
        .last
        .with_timezone(&meldcode::TIME_ZONE)
        .format("%d-%m-%Y %H:%M");
    let n = attempts.count;
    match (lang, n) {
        (Lang::Nl, 1) => format!("1 mislukte poging om het scherm te openen, om {at}."),
        (Lang::Nl, _) => format!("{n} mislukte pogingen om het scherm te openen, laatste om {at}."),
        (_, 1) => format!("1 failed attempt to open the screen, at {at}."),
        (_, _) => format!("{n} failed attempts to open the screen, the last at {at}."),
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

mod practice;
pub use practice::P;
mod client;
pub use client::C;
