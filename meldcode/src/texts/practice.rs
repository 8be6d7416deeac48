//! The oefenmodus's texts: the scenarios as the pharmacist meets them, and the feedback.

use super::{Label, Lang};
use crate::practice::{Feedback, Right, ScenarioId, What, Why};

impl Label for ScenarioId {
    /// The scenario's title.
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            ScenarioId::AloneConsents => ("Alleen, met toestemming", "Alone, with consent"),
            ScenarioId::Accompanied => (
                "Begeleid: de partner praat voor haar",
                "Accompanied: the partner speaks for her",
            ),
            ScenarioId::AcuteDanger => ("Acuut gevaar", "Acute danger"),
            ScenarioId::Bystander => ("Een omstander over de buurvrouw", "A bystander about the neighbour"),
            ScenarioId::NoteAtBusyCounter => ("Een briefje aan een drukke balie", "A note at a busy counter"),
            ScenarioId::PhoneDelivery => ("Telefonisch, over een bezorging", "By phone, about a home delivery"),
            ScenarioId::RefusedUnsafe => ("Geen toestemming, wel onveilig", "No consent, but unsafe"),
            ScenarioId::NotConfirmed => ("Het vermoeden bevestigt zich niet", "The suspicion is not confirmed"),
        };
        lang.pick(nl, en)
    }
}

impl ScenarioId {
    /// The situation, as the pharmacist meets it. Fictional.
    pub fn situation(self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            ScenarioId::AloneConsents => (
                "Een vrouw van rond de dertig haalt alleen haar recept op. Als de balie even leeg is, zegt ze zacht: \"Masker 19.\" In de spreekkamer vertelt ze dat haar partner haar al maanden slaat, het laatst gisteren. Ze heeft twee kinderen, van 4 en 7, die het zien. Hij is tot vanavond op zijn werk. Ze wil dat Veilig Thuis haar belt en geeft daarvoor toestemming; haar eigen telefoon is veilig.",
                "A woman of about thirty collects her prescription alone. When the counter is quiet for a moment she says softly: \"Masker 19.\" In the consultation room she tells you her partner has been hitting her for months, most recently yesterday. She has two children, aged 4 and 7, who see it. He is at work until tonight. She wants Veilig Thuis to call her and consents to that; her own phone is safe.",
            ),
            ScenarioId::Accompanied => (
                "Een vrouw komt met haar man pijnstillers halen. Hij voert het woord, zij kijkt naar de grond. Terwijl hij zijn pinpas zoekt, zegt ze: \"Masker 19.\" Hij blijft naast haar staan; u ziet een blauwe plek in haar hals. Ze hebben geen kinderen. Ze vertrekken samen: u kunt haar niet alleen spreken. Hij kijkt haar telefoon na.",
                "A woman comes in with her husband for painkillers. He does the talking, she looks at the floor. While he looks for his bank card she says: \"Masker 19.\" He stays beside her; you see a bruise on her neck. They have no children. They leave together: you cannot speak to her alone. He checks her phone.",
            ),
            ScenarioId::AcuteDanger => (
                "Een man komt de apotheek binnen met een bloedende snee in zijn arm en zegt: \"Masker 19. Ze staat buiten, met een mes.\" Door het raam ziet u zijn partner op de stoep heen en weer lopen. Binnen is hij alleen.",
                "A man comes into the pharmacy with a bleeding cut on his arm and says: \"Masker 19. She is outside, with a knife.\" Through the window you see his partner pacing on the pavement. Inside he is alone.",
            ),
            ScenarioId::Bystander => (
                "Een vaste klant zegt bij het afrekenen: \"Masker 19. Niet voor mij, voor mijn buurvrouw.\" Ze hoort bijna elke nacht geschreeuw en gebonk, en ziet de buurvrouw met een zonnebril als het regent. Bij de buurvrouw wonen twee kleine kinderen, van 3 en 5. De buurvrouw is geen klant; u kent haar gegevens niet.",
                "A regular customer says while paying: \"Masker 19. Not for me, for my neighbour.\" She hears shouting and banging almost every night, and sees the neighbour wearing sunglasses when it rains. Two small children, aged 3 and 5, live with the neighbour. The neighbour is not a customer; you do not know her details.",
            ),
            ScenarioId::NoteAtBusyCounter => (
                "Zaterdagochtend, vijf mensen in de rij. Een vrouw schuift met haar recept een briefje over de balie: \"Masker 19\". Ze is alleen, maar de klanten achter haar kunnen op uw scherm meekijken. In de spreekkamer (\"even de dosering doornemen\") vertelt ze dat haar ex-partner haar blijft opwachten en bedreigt. Ze heeft een dochter van 10. Ze geeft toestemming om Veilig Thuis in te schakelen.",
                "Saturday morning, five people in the queue. With her prescription a woman slides a note across the counter: \"Masker 19\". She is alone, but the customers behind her can see your screen. In the consultation room (\"let's go over the dosage\") she tells you her ex-partner keeps waiting for her and threatening her. She has a daughter of 10. She consents to involving Veilig Thuis.",
            ),
            ScenarioId::PhoneDelivery => (
                "Een cliënt belt: waar blijft de bezorging van vanmiddag? Midden in het gesprek zegt ze zacht \"Masker 19\" en dan hardop: \"Ja, de pillen van mijn man.\" Op de achtergrond vraagt een man met wie ze praat. Ze kan alleen ja of nee zeggen. Ze hebben een zoontje van 2. Hij leest haar telefoon mee.",
                "A client calls: where is this afternoon's delivery? In the middle of the call she says softly \"Masker 19\" and then out loud: \"Yes, my husband's pills.\" In the background a man asks who she is talking to. She can only say yes or no. They have a son of 2. He reads her phone.",
            ),
            ScenarioId::RefusedUnsafe => (
                "Een oudere vrouw haalt alleen haar medicijnen op en zegt: \"Masker 19.\" In de spreekkamer vertelt ze dat haar zoon, die bij haar woont, haar geld afpakt en haar duwt; vorige week viel ze. Ze is bang dat het erger wordt, maar wil niet dat u iemand inschakelt: \"Het is toch mijn zoon.\" Er wonen geen kinderen.",
                "An elderly woman collects her medicines alone and says: \"Masker 19.\" In the consultation room she tells you her son, who lives with her, takes her money and pushes her; last week she fell. She fears it will get worse, but does not want you to involve anyone: \"He is my son, after all.\" No children live there.",
            ),
            ScenarioId::NotConfirmed => (
                "Een tiener roept lachend tegen zijn vriend: \"Masker 19!\" en wijst naar de poster. U neemt hem even apart. Hij vond de poster grappig; thuis gaat het goed, hij woont met zijn moeder en zijn zus. U ziet en hoort geen signalen van geweld.",
                "A teenager laughs and calls out to his friend: \"Masker 19!\", pointing at the poster. You take him aside for a moment. He thought the poster was funny; things are fine at home, he lives with his mother and his sister. You see and hear no signs of violence.",
            ),
        };
        lang.pick(nl, en)
    }
}

impl Label for Why {
    fn label(&self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Why::StructuralUnsafety => (
                "Herhaald geweld of bedreiging, zeker waar kinderen bij zijn, is structurele onveiligheid: melden bij Veilig Thuis is de norm (afweging 2 = ja).",
                "Repeated violence or threats, certainly where children are present, is structural unsafety: reporting to Veilig Thuis is the norm (weighing 2 = yes).",
            ),
            Why::AccompaniedReportAfterwards => (
                "Een begeleide cliënt kunt u niet veilig spreken: reageer neutraal, laat haar gaan en meld achteraf bij Veilig Thuis.",
                "You cannot speak safely with an accompanied client: respond neutrally, let her go and report to Veilig Thuis afterwards.",
            ),
            Why::AcuteFirst => (
                "Bij acuut gevaar gaat 112 voor alles: eerst bellen, dan pas de stappen. De politie informeert Veilig Thuis.",
                "In acute danger 112 comes before everything: call first, the steps come later. The police inform Veilig Thuis.",
            ),
            Why::NoAcuteDanger => (
                "Er was geen acuut gevaar: 112 was niet nodig. Er was tijd voor de stappen van de meldcode en voor overleg met Veilig Thuis (0800-2000).",
                "There was no acute danger: 112 was not needed. There was time for the steps of the meldcode and to consult Veilig Thuis (0800-2000).",
            ),
            Why::Bystander => (
                "U spreekt de persoon zelf niet en kent haar gegevens niet: vraag Veilig Thuis om advies (adviesvraag). Veilig Thuis adviseert ook de omstander.",
                "You do not speak to the person herself and do not know her details: ask Veilig Thuis for advice (adviesvraag). Veilig Thuis also advises the bystander.",
            ),
            Why::PhoneListening => (
                "Er luistert iemand mee: stel alleen ja/nee-vragen, vraag geen toestemming en meld daarna bij Veilig Thuis, met de apotheek als veilig contactpunt.",
                "Someone is listening: ask yes/no questions only, do not ask for consent and report to Veilig Thuis afterwards, with the pharmacy as the safe contact point.",
            ),
            Why::Meldrecht => (
                "Bij structurele onveiligheid is melden de norm, ook zonder toestemming: meldrecht, Wmo 2015 art. 5.2.6.",
                "With structural unsafety reporting is the norm, also without consent: the right to report (meldrecht), Wmo 2015 art. 5.2.6.",
            ),
            Why::NoSuspicion => (
                "Er is geen vermoeden van huiselijk geweld: geen melding. Leg uw afweging vast in het eigen dossier van de apotheek, niet in het AIS.",
                "There is no suspicion of domestic violence: no report. Record your reasoning in the pharmacy's own record, not in the pharmacy system.",
            ),
            Why::NeutralAccompanied => (
                "De cliënt was begeleid: het neutrale scherm had direct gemoeten.",
                "The client was accompanied: the neutral screen should have come straight away.",
            ),
            Why::NeutralBusyCounter => (
                "Aan een drukke balie kijken anderen mee: verberg de app direct met het neutrale scherm.",
                "At a busy counter others can see your screen: hide the app straight away with the neutral screen.",
            ),
            Why::Accompanied => (
                "Er was iemand bij die meeluisterde of voor de cliënt sprak: dan is de cliënt begeleid en is vrijuit praten niet veilig.",
                "Someone was there who listened in or spoke for the client: then the client is accompanied and speaking freely is not safe.",
            ),
            Why::Alone => (
                "De cliënt was alleen: u kon haar apart nemen, in gesprek gaan en om toestemming vragen.",
                "The client was alone: you could take her aside, talk and ask for consent.",
            ),
            Why::KindcheckChildren => (
                "Kinderen in een onveilig gezin zijn altijd mede slachtoffer, ook als getuige: de kindcheck mag niet worden overgeslagen en legt vast wat de casus zegt.",
                "Children in an unsafe family are always victims too, also as witnesses: the child check must not be skipped and records what the case says.",
            ),
            Why::KindcheckNone => (
                "In deze casus waren er geen kinderen: leg vast wat u weet, niet wat u vermoedt.",
                "There were no children in this case: record what you know, not what you suspect.",
            ),
            Why::ConsentGiven => (
                "De cliënt gaf in het gesprek onder vier ogen toestemming: leg dat zo vast.",
                "The client gave consent in the conversation in private: record it as such.",
            ),
            Why::ConsentRefused => (
                "De cliënt weigerde toestemming: leg dat eerlijk vast. Een weigering houdt een melding bij onveiligheid niet tegen.",
                "The client refused consent: record that honestly. A refusal does not stop a report where there is unsafety.",
            ),
            Why::ConsentUnsafe => (
                "Met iemand die meeluistert is vragen om toestemming niet veilig: \"niet gevraagd (onveilig)\".",
                "With someone listening in, asking for consent is not safe: \"not asked (unsafe)\".",
            ),
            Why::PhoneUnsafe => (
                "De partner leest haar telefoon mee: geen voicemail en geen sms, anders raakt zij in gevaar. De apotheek kan het contactpunt zijn.",
                "The partner reads her phone: no voicemail and no text messages, or she is put in danger. The pharmacy can be the contact point.",
            ),
            Why::Channel => (
                "Het kanaal zegt Veilig Thuis hoe de hulpvraag binnenkwam en telt mee in de statistiek.",
                "The channel tells Veilig Thuis how the request came in and counts in the statistics.",
            ),
        };
        lang.pick(nl, en)
    }
}

fn lower(label: &str) -> String {
    label.to_lowercase()
}

impl What {
    /// What differed, in one sentence.
    pub fn text(&self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        match *self {
            What::Channel { expected, got } => {
                let (e, g) = (lower(expected.label(lang)), lower(got.label(lang)));
                if nl {
                    format!("Kanaal: u koos \"{g}\", de hulpvraag kwam \"{e}\".")
                } else {
                    format!("Channel: you chose \"{g}\", the request came \"{e}\".")
                }
            }
            What::No112 => lang.pick("112 is niet gebeld.", "112 was not called.").to_owned(),
            What::Late112 { at } => {
                let step = at.label(lang);
                if nl {
                    format!("112 werd pas gebeld bij \"{step}\".")
                } else {
                    format!("112 was called only at \"{step}\".")
                }
            }
            What::Needless112 => lang
                .pick(
                    "U belde 112 zonder acuut gevaar.",
                    "You called 112 without acute danger.",
                )
                .to_owned(),
            What::Accompanied { expected: true } => lang
                .pick(
                    "U antwoordde dat de cliënt alleen was.",
                    "You answered that the client was alone.",
                )
                .to_owned(),
            What::Accompanied { expected: false } => lang
                .pick(
                    "U antwoordde dat de cliënt begeleid was.",
                    "You answered that the client was accompanied.",
                )
                .to_owned(),
            What::NoNeutralScreen => lang
                .pick(
                    "Het neutrale scherm is niet gebruikt.",
                    "The neutral screen was not used.",
                )
                .to_owned(),
            What::LateNeutralScreen { at } => {
                let step = at.label(lang);
                if nl {
                    format!("Het neutrale scherm kwam pas bij \"{step}\".")
                } else {
                    format!("The neutral screen came only at \"{step}\".")
                }
            }
            What::NoKindcheck => lang
                .pick("De kindcheck is niet gedaan.", "The child check was not done.")
                .to_owned(),
            What::Children { expected, got } => {
                if nl {
                    format!("Kindcheck: {got} kinderen vastgelegd, in de casus waren het er {expected}.")
                } else {
                    format!("Child check: {got} children recorded, the case had {expected}.")
                }
            }
            What::Consent { expected, got } => {
                let e = lower(expected.label(lang));
                let g = got.map_or_else(|| lang.pick("niets", "nothing").to_owned(), |c| lower(c.label(lang)));
                if nl {
                    format!("Toestemming: u legde \"{g}\" vast, de casus vraagt \"{e}\".")
                } else {
                    format!("Consent: you recorded \"{g}\", the case calls for \"{e}\".")
                }
            }
            What::Outcome { expected, got } => {
                let (e, g) = (lower(expected.label(lang)), lower(got.label(lang)));
                if nl {
                    format!("Besluit: u koos \"{g}\", de meldcode verwacht \"{e}\".")
                } else {
                    format!("Decision: you chose \"{g}\", the meldcode expects \"{e}\".")
                }
            }
            What::VoicemailOrSms => lang
                .pick(
                    "Veilig contact: u stond voicemail of sms toe.",
                    "Safe contact: you allowed voicemail or text messages.",
                )
                .to_owned(),
        }
    }
}

impl Right {
    /// What went right, in one sentence.
    pub fn text(&self, lang: Lang) -> String {
        let nl = lang == Lang::Nl;
        match *self {
            Right::Channel(c) => {
                let c = lower(c.label(lang));
                if nl {
                    format!("Kanaal juist vastgelegd: {c}.")
                } else {
                    format!("Channel recorded correctly: {c}.")
                }
            }
            Right::Called112First => lang
                .pick(
                    "112 direct gebeld, vóór de stappen.",
                    "112 called straight away, before the steps.",
                )
                .to_owned(),
            Right::No112Needed => lang
                .pick(
                    "Terecht geen 112: er was geen acuut gevaar.",
                    "Rightly no 112: there was no acute danger.",
                )
                .to_owned(),
            Right::Accompanied(true) => lang
                .pick(
                    "Juist gezien dat de cliënt begeleid was.",
                    "Rightly saw that the client was accompanied.",
                )
                .to_owned(),
            Right::Accompanied(false) => lang
                .pick(
                    "Juist gezien dat de cliënt alleen was.",
                    "Rightly saw that the client was alone.",
                )
                .to_owned(),
            Right::NeutralScreen => lang
                .pick(
                    "Het neutrale scherm direct gebruikt.",
                    "Used the neutral screen straight away.",
                )
                .to_owned(),
            Right::Kindcheck(0) => lang
                .pick("Kindcheck gedaan: geen kinderen.", "Child check done: no children.")
                .to_owned(),
            Right::Kindcheck(n) => {
                if nl {
                    format!("Kindcheck gedaan: {n} kinderen vastgelegd.")
                } else {
                    format!("Child check done: {n} children recorded.")
                }
            }
            Right::Consent(c) => {
                let c = lower(c.label(lang));
                if nl {
                    format!("Toestemming juist vastgelegd: {c}.")
                } else {
                    format!("Consent recorded correctly: {c}.")
                }
            }
            Right::Outcome(k) => {
                let k = lower(k.label(lang));
                if nl {
                    format!("Juist besluit: {k}.")
                } else {
                    format!("Right decision: {k}.")
                }
            }
            Right::SafeContact => lang
                .pick(
                    "Veilig contact zonder voicemail of sms.",
                    "Safe contact without voicemail or text messages.",
                )
                .to_owned(),
        }
    }
}

impl Feedback {
    /// The time taken, e.g. `Tijd: 4 min 05 s`.
    pub fn time_text(&self, lang: Lang) -> String {
        let s = self.seconds_taken.max(0);
        format!("{}: {} min {:02} s", lang.pick("Tijd", "Time"), s / 60, s % 60)
    }
}
