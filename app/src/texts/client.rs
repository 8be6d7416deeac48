//! The texts of the client's screen controls, the report page and "Dit apparaat", Dutch first
//! and English second. What the client reads comes from `meldcode::client_screen`.

use meldcode::{Label, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum C {
    TurnToClient,
    TurnHint,
    ChooseLang,
    Back,
    NotReviewed,
    ReportTitle,
    HistoryTitle,
    HistoryLoading,
    ColWhen,
    ColWhat,
    Created,
    Queued,
    AttemptFailed,
    Rejected,
    Resent,
    LostResent,
    LostKept,
    Accepted,
    ServerStatus,
    Wiped,
    BackToList,
    StatusAndActions,
    ThisDevice,
    ThisDeviceHint,
}

impl Label for C {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            C::TurnToClient => ("Scherm naar cliënt draaien", "Turn the screen to the client"),
            C::TurnHint => (
                "Laat de cliënt in de eigen taal lezen wat er nu gebeurt, en het veilige nummer en de tijden nakijken.",
                "Let the client read in their own language what happens next, and check the safe number and times.",
            ),
            C::ChooseLang => ("Kies de taal van de cliënt", "Choose the client's language"),
            C::Back => ("Terug", "Back"),
            C::NotReviewed => (
                "Conceptvertaling: nog niet nagekeken door een professionele vertaler.",
                "Draft translation: not yet reviewed by a professional translator.",
            ),
            C::ReportTitle => ("Melding", "Report"),
            C::HistoryTitle => ("Geschiedenis", "History"),
            C::HistoryLoading => ("Geschiedenis wordt geladen…", "Loading the history…"),
            C::ColWhen => ("Datum en tijd", "Date and time"),
            C::ColWhat => ("Wat er gebeurde", "What happened"),
            C::Created => ("Afgerond door de apotheker", "Finished by the pharmacist"),
            C::Queued => (
                "Opgeslagen op dit apparaat, in de wachtrij",
                "Stored on this device, queued",
            ),
            C::AttemptFailed => ("Verzendpoging mislukt", "Send attempt failed"),
            C::Rejected => ("Geweigerd door de server", "Refused by the server"),
            C::Resent => ("Opnieuw in de wachtrij gezet", "Queued again"),
            C::LostResent => (
                "De server had deze melding niet meer: opnieuw in de wachtrij gezet",
                "The server no longer had this report: queued again",
            ),
            C::LostKept => (
                "De server had deze melding niet meer; te oud om opnieuw te versturen — bel 0800-2000",
                "The server no longer had this report; too old to send again — call 0800-2000",
            ),
            C::Accepted => ("Aangenomen door de server", "Accepted by the server"),
            C::ServerStatus => ("Server meldt", "Server reports"),
            C::Wiped => (
                "Persoonsgegevens van dit apparaat gewist",
                "Personal data wiped from this device",
            ),
            C::BackToList => ("Terug naar het overzicht", "Back to the list"),
            C::StatusAndActions => ("Status en acties", "Status and actions"),
            C::ThisDevice => ("Dit apparaat", "This device"),
            C::ThisDeviceHint => (
                "Kwijt of gestolen? Noem dit nummer aan de beheerder: die blokkeert het apparaat.",
                "Lost or stolen? Give this number to the administrator, who blocks the device.",
            ),
        };
        lang.pick(nl, en)
    }
}
