//! The client's screen: when the client is alone, the pharmacist turns the screen towards them
//! and it says, in the client's language, what happens next. It reads the safe-contact block
//! back, so that the client can check the number and the times, and it is never offered while
//! the client is accompanied.
//!
//! Dutch and English are the project's own texts. The other languages are first drafts that a
//! professional translator must review before real use ([`ClientLang::reviewed`]).

use crate::report::{Kind, Report, SafeContact};

/// A language of the client's screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientLang {
    Nl,
    En,
    Ar,
    Tr,
    Pl,
    Uk,
    Ti,
    So,
}

impl ClientLang {
    pub const ALL: [ClientLang; 8] = [
        ClientLang::Nl,
        ClientLang::En,
        ClientLang::Ar,
        ClientLang::Tr,
        ClientLang::Pl,
        ClientLang::Uk,
        ClientLang::Ti,
        ClientLang::So,
    ];

    /// The language's BCP 47 code, for HTML's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            ClientLang::Nl => "nl",
            ClientLang::En => "en",
            ClientLang::Ar => "ar",
            ClientLang::Tr => "tr",
            ClientLang::Pl => "pl",
            ClientLang::Uk => "uk",
            ClientLang::Ti => "ti",
            ClientLang::So => "so",
        }
    }

    /// The language's name in the language itself, for the choice the client makes.
    pub fn own_name(self) -> &'static str {
        match self {
            ClientLang::Nl => "Nederlands",
            ClientLang::En => "English",
            ClientLang::Ar => "العربية",
            ClientLang::Tr => "Türkçe",
            ClientLang::Pl => "Polski",
            ClientLang::Uk => "Українська",
            ClientLang::Ti => "ትግርኛ",
            ClientLang::So => "Soomaali",
        }
    }

    /// Written right to left.
    pub fn rtl(self) -> bool {
        self == ClientLang::Ar
    }

    /// Reviewed by the project for real use; the others await a professional translator.
    pub fn reviewed(self) -> bool {
        matches!(self, ClientLang::Nl | ClientLang::En)
    }

    pub fn from_code(code: &str) -> Option<ClientLang> {
        ClientLang::ALL.into_iter().find(|l| l.code() == code)
    }

    fn phrases(self) -> &'static Phrases {
        match self {
            ClientLang::Nl => &NL,
            ClientLang::En => &EN,
            ClientLang::Ar => &AR,
            ClientLang::Tr => &TR,
            ClientLang::Pl => &PL,
            ClientLang::Uk => &UK,
            ClientLang::Ti => &TI,
            ClientLang::So => &SO,
        }
    }
}

/// What the client's screen shows: a heading and short lines in large type, and the label of
/// the one-tap way back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientScreen {
    pub lang: ClientLang,
    pub title: &'static str,
    pub lines: Vec<String>,
    pub back: &'static str,
}

/// The client's screen for a report, or `None` where it must not be offered: the client is
/// accompanied, or the report is not a melding with a safe-contact block.
pub fn client_screen(report: &Report, lang: ClientLang) -> Option<ClientScreen> {
    if report.accompanied || report.kind != Kind::Melding {
        return None;
    }
    report.safe_contact.as_ref().map(|safe| screen_for(safe, lang))
}

/// The screen for a safe-contact block, whatever the report around it (the caller has checked
/// that the client is alone).
pub fn screen_for(safe: &SafeContact, lang: ClientLang) -> ClientScreen {
    let p = lang.phrases();
    let mut lines = Vec::new();
    if safe.phone.trim().is_empty() {
        lines.push(p.via_pharmacy.to_owned());
    } else {
        lines.push(format!("{} {}", p.call_on, safe.phone.trim()));
    }
    if !safe.safe_times.trim().is_empty() {
        lines.push(format!(
            "{} {}",
            p.times,
            crate::client_words::times_in(safe.safe_times.trim(), lang)
        ));
    }
    if !safe.voicemail_ok {
        lines.push(p.no_voicemail.to_owned());
    }
    if !safe.sms_ok {
        lines.push(p.no_sms.to_owned());
    }
    if safe.never_at_home {
        lines.push(p.never_at_home.to_owned());
    }
    lines.extend([p.free, p.not_in_records, p.danger_112, p.check].map(str::to_owned));
    ClientScreen {
        lang,
        title: p.title,
        lines,
        back: p.back,
    }
}

struct Phrases {
    title: &'static str,
    /// Followed by the phone number.
    call_on: &'static str,
    via_pharmacy: &'static str,
    /// Followed by the safe times, in the client's own words.
    times: &'static str,
    no_voicemail: &'static str,
    no_sms: &'static str,
    never_at_home: &'static str,
    free: &'static str,
    not_in_records: &'static str,
    danger_112: &'static str,
    check: &'static str,
    back: &'static str,
}

const NL: Phrases = Phrases {
    title: "Wat er nu gebeurt",
    call_on: "Veilig Thuis belt u op dit nummer:",
    via_pharmacy: "Veilig Thuis neemt contact met u op via de apotheek.",
    times: "Alleen op deze tijden:",
    no_voicemail: "Veilig Thuis spreekt geen voicemail in.",
    no_sms: "Veilig Thuis stuurt geen sms.",
    never_at_home: "Veilig Thuis komt niet bij u thuis en stuurt geen post.",
    free: "Het is gratis en vertrouwelijk.",
    not_in_records: "Er komt niets over dit gesprek in het dossier van de apotheek.",
    danger_112: "In direct gevaar: bel 112.",
    check: "Klopt iets niet? Zeg het tegen de apotheker.",
    back: "Terug",
};

const EN: Phrases = Phrases {
    title: "What happens next",
    call_on: "Veilig Thuis will call you on this number:",
    via_pharmacy: "Veilig Thuis will contact you through the pharmacy.",
    times: "Only at these times:",
    no_voicemail: "Veilig Thuis will not leave a voicemail.",
    no_sms: "Veilig Thuis will not send a text message.",
    never_at_home: "Veilig Thuis will not come to your home or send you post.",
    free: "It is free and confidential.",
    not_in_records: "Nothing about this conversation goes into the pharmacy's records.",
    danger_112: "In immediate danger: call 112.",
    check: "Is something not right? Tell the pharmacist.",
    back: "Back",
};

const AR: Phrases = Phrases {
    title: "ما الذي سيحدث الآن",
    call_on: "ستتصل بك Veilig Thuis على هذا الرقم:",
    via_pharmacy: "ستتواصل معك Veilig Thuis عن طريق الصيدلية.",
    times: "فقط في هذه الأوقات:",
    no_voicemail: "لن تترك Veilig Thuis رسالة صوتية.",
    no_sms: "لن ترسل Veilig Thuis رسالة نصية.",
    never_at_home: "لن تأتي Veilig Thuis إلى منزلك ولن ترسل لك بريدًا.",
    free: "الخدمة مجانية وسرية.",
    not_in_records: "لن يُسجَّل أي شيء عن هذه المحادثة في ملف الصيدلية.",
    danger_112: "في حالة الخطر المباشر: اتصل بالرقم 112.",
    check: "هل هناك شيء غير صحيح؟ أخبر الصيدلي.",
    back: "رجوع",
};

const TR: Phrases = Phrases {
    title: "Şimdi ne olacak",
    call_on: "Veilig Thuis sizi bu numaradan arayacak:",
    via_pharmacy: "Veilig Thuis sizinle eczane aracılığıyla iletişime geçecek.",
    times: "Yalnızca şu saatlerde:",
    no_voicemail: "Veilig Thuis sesli mesaj bırakmayacak.",
    no_sms: "Veilig Thuis SMS göndermeyecek.",
    never_at_home: "Veilig Thuis evinize gelmeyecek ve posta göndermeyecek.",
    free: "Ücretsiz ve gizlidir.",
    not_in_records: "Bu görüşme hakkında eczanenin kayıtlarına hiçbir şey girmez.",
    danger_112: "Acil tehlikede: 112'yi arayın.",
    check: "Yanlış bir şey mi var? Eczacıya söyleyin.",
    back: "Geri",
};

const PL: Phrases = Phrases {
    title: "Co teraz nastąpi",
    call_on: "Veilig Thuis zadzwoni do Ciebie pod ten numer:",
    via_pharmacy: "Veilig Thuis skontaktuje się z Tobą przez aptekę.",
    times: "Tylko w tych godzinach:",
    no_voicemail: "Veilig Thuis nie zostawi wiadomości głosowej.",
    no_sms: "Veilig Thuis nie wyśle SMS-a.",
    never_at_home: "Veilig Thuis nie przyjdzie do Twojego domu ani nie wyśle listu.",
    free: "To jest bezpłatne i poufne.",
    not_in_records: "Nic z tej rozmowy nie trafi do dokumentacji apteki.",
    danger_112: "W bezpośrednim zagrożeniu: dzwoń pod 112.",
    check: "Coś się nie zgadza? Powiedz farmaceucie.",
    back: "Wstecz",
};

const UK: Phrases = Phrases {
    title: "Що буде далі",
    call_on: "Veilig Thuis зателефонує вам за цим номером:",
    via_pharmacy: "Veilig Thuis зв'яжеться з вами через аптеку.",
    times: "Лише в цей час:",
    no_voicemail: "Veilig Thuis не залишатиме голосових повідомлень.",
    no_sms: "Veilig Thuis не надсилатиме SMS.",
    never_at_home: "Veilig Thuis не приходитиме до вас додому і не надсилатиме листів.",
    free: "Це безкоштовно і конфіденційно.",
    not_in_records: "Нічого про цю розмову не потрапить до записів аптеки.",
    danger_112: "У разі безпосередньої небезпеки: телефонуйте 112.",
    check: "Щось не так? Скажіть фармацевту.",
    back: "Назад",
};

const TI: Phrases = Phrases {
    title: "ሕጂ እንታይ ክኸውን እዩ",
    call_on: "Veilig Thuis በዚ ቁጽሪ ክድውለልኩም እዩ:",
    via_pharmacy: "Veilig Thuis ብመንገዲ ፋርማሲ ክረኽበኩም እዩ።",
    times: "በዞም ሰዓታት ጥራይ:",
    no_voicemail: "Veilig Thuis ናይ ድምጺ መልእኽቲ ኣይገድፍን እዩ።",
    no_sms: "Veilig Thuis SMS ኣይልእኽን እዩ።",
    never_at_home: "Veilig Thuis ናብ ገዛኹም ኣይመጽእን ደብዳቤ ኣይልእኽን እዩ።",
    free: "ብነጻን ብምስጢርን እዩ።",
    not_in_records: "ብዛዕባ እዚ ዝርርብ ኣብ መዝገብ ፋርማሲ ዝኣቱ ነገር የለን።",
    danger_112: "ኣብ ቀጥታዊ ሓደጋ: ናብ 112 ደውሉ።",
    check: "ዘይቅኑዕ ነገር ኣሎ ድዩ? ንፋርማሲስት ንገሩ።",
    back: "ተመለስ",
};

const SO: Phrases = Phrases {
    title: "Waxa hadda dhici doona",
    call_on: "Veilig Thuis waxay kugu soo wici doontaa lambarkan:",
    via_pharmacy: "Veilig Thuis waxay kula soo xiriiri doontaa farmashiyaha.",
    times: "Kaliya waqtiyadan:",
    no_voicemail: "Veilig Thuis ma reebi doonto fariin cod ah.",
    no_sms: "Veilig Thuis ma soo diri doonto fariin qoraal ah (SMS).",
    never_at_home: "Veilig Thuis ma iman doonto gurigaaga, warqadna kuuma soo diri doonto.",
    free: "Waa bilaash waana sir.",
    not_in_records: "Waxba oo ku saabsan wadahadalkan laguma qori doono diiwaanka farmashiyaha.",
    danger_112: "Haddii aad khatar degdeg ah ku jirto: wac 112.",
    check: "Wax khaldan ma jiraan? U sheeg farmashiistaha.",
    back: "Dib u noqo",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::example;
    use chrono::Utc;

    fn alone_melding() -> Report {
        let mut r = example(Kind::Melding, uuid::Uuid::new_v4(), Utc::now());
        r.accompanied = false;
        r
    }

    #[test]
    fn never_offered_while_accompanied_or_for_another_kind() {
        let mut r = alone_melding();
        assert!(client_screen(&r, ClientLang::Nl).is_some());
        r.accompanied = true;
        assert_eq!(client_screen(&r, ClientLang::Nl), None);
        let advies = example(Kind::Adviesvraag, uuid::Uuid::new_v4(), Utc::now());
        assert_eq!(client_screen(&advies, ClientLang::Nl), None);
    }

    #[test]
    fn the_safe_contact_is_read_back_in_every_language() {
        let mut r = alone_melding();
        if let Some(s) = r.safe_contact.as_mut() {
            (s.phone, s.safe_times) = ("06-11223344".into(), "werkdagen 10-12 uur".into());
            (s.voicemail_ok, s.sms_ok, s.never_at_home) = (false, false, true);
        }
        for lang in ClientLang::ALL {
            let screen = client_screen(&r, lang).unwrap_or_else(|| panic!("{lang:?}"));
            let all = screen.lines.join("\n");
            assert!(all.contains("06-11223344") && all.contains("10-12"), "{lang:?}");
            assert_eq!(
                all.contains("werkdagen"),
                lang == ClientLang::Nl,
                "{lang:?}: times translated"
            );
            assert!(all.contains("112"), "{lang:?}: 112 in danger");
            assert_eq!(screen.lines.len(), 9, "{lang:?}: every line translated");
            assert!(!screen.title.is_empty() && !screen.back.is_empty());
            assert_eq!(ClientLang::from_code(lang.code()), Some(lang));
        }
        assert!(ClientLang::Ar.rtl() && !ClientLang::Tr.rtl());
        assert_eq!(ClientLang::ALL.iter().filter(|l| l.reviewed()).count(), 2);
    }

    #[test]
    fn without_a_phone_the_pharmacy_is_the_way_and_allowed_channels_are_not_warned() {
        let mut r = alone_melding();
        if let Some(s) = r.safe_contact.as_mut() {
            (s.phone, s.via_pharmacy) = (String::new(), true);
            (s.voicemail_ok, s.sms_ok, s.never_at_home) = (true, true, false);
        }
        let screen = client_screen(&r, ClientLang::Nl).unwrap_or_else(|| panic!("a screen"));
        assert_eq!(screen.lines[0], NL.via_pharmacy);
        assert!(!screen.lines.iter().any(|l| l == NL.no_voicemail || l == NL.no_sms));
    }
}
