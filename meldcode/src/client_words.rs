//! Two helpers for the client's screen. The safe times are typed in Dutch by the pharmacist
//! ("werkdagen 10-12 uur"); [`times_in`] puts the usual words of days and parts of the day into
//! the client's language, word for word, and leaves numbers and times as typed. [`ltr_runs`]
//! cuts a line of a right-to-left language into the runs that must stay left to right (phone
//! numbers, times, Latin names such as "Veilig Thuis"), so that a view can isolate them and
//! "06-12345678" never shows as "12345678-06".

use crate::client_screen::ClientLang;

/// A Dutch word of the safe times and its words in English, Arabic, Turkish, Polish, Ukrainian,
/// Tigrinya and Somali (the order of [`ClientLang::ALL`] after Dutch).
type Entry = (&'static str, [&'static str; 7]);

const WORDS: &[Entry] = &[
    (
        "werkdagen",
        [
            "weekdays",
            "أيام العمل",
            "hafta içi",
            "dni robocze",
            "робочі дні",
            "መዓልታት ስራሕ",
            "maalmaha shaqada",
        ],
    ),
    (
        "werkdag",
        [
            "weekday",
            "يوم عمل",
            "hafta içi",
            "dzień roboczy",
            "робочий день",
            "መዓልቲ ስራሕ",
            "maalin shaqo",
        ],
    ),
    (
        "doordeweeks",
        [
            "on weekdays",
            "أيام الأسبوع",
            "hafta içi",
            "w dni powszednie",
            "у будні",
            "ኣብ መዓልታት ስራሕ",
            "maalmaha shaqada",
        ],
    ),
    (
        "weekend",
        [
            "weekend",
            "عطلة نهاية الأسبوع",
            "hafta sonu",
            "weekend",
            "вихідні",
            "ቀዳመ ሰንበት",
            "dhammaadka usbuuca",
        ],
    ),
    (
        "weekenden",
        [
            "weekends",
            "عطلات نهاية الأسبوع",
            "hafta sonları",
            "weekendy",
            "вихідні",
            "ቀዳመ ሰንበታት",
            "dhammaadka usbuucyada",
        ],
    ),
    (
        "maandag",
        [
            "Monday",
            "الاثنين",
            "Pazartesi",
            "poniedziałek",
            "понеділок",
            "ሰኑይ",
            "Isniin",
        ],
    ),
    (
        "dinsdag",
        ["Tuesday", "الثلاثاء", "Salı", "wtorek", "вівторок", "ሰሉስ", "Talaado"],
    ),
    (
        "woensdag",
        ["Wednesday", "الأربعاء", "Çarşamba", "środa", "середа", "ረቡዕ", "Arbaco"],
    ),
    (
        "donderdag",
        ["Thursday", "الخميس", "Perşembe", "czwartek", "четвер", "ሓሙስ", "Khamiis"],
    ),
    (
        "vrijdag",
        ["Friday", "الجمعة", "Cuma", "piątek", "п'ятниця", "ዓርቢ", "Jimco"],
    ),
    (
        "zaterdag",
        ["Saturday", "السبت", "Cumartesi", "sobota", "субота", "ቀዳም", "Sabti"],
    ),
    (
        "zondag",
        ["Sunday", "الأحد", "Pazar", "niedziela", "неділя", "ሰንበት", "Axad"],
    ),
    ("ma", ["Mon", "الاثنين", "Pazartesi", "pon.", "пн", "ሰኑይ", "Isniin"]),
    ("di", ["Tue", "الثلاثاء", "Salı", "wt.", "вт", "ሰሉስ", "Talaado"]),
    ("wo", ["Wed", "الأربعاء", "Çarşamba", "śr.", "ср", "ረቡዕ", "Arbaco"]),
    ("do", ["Thu", "الخميس", "Perşembe", "czw.", "чт", "ሓሙስ", "Khamiis"]),
    ("vr", ["Fri", "الجمعة", "Cuma", "pt.", "пт", "ዓርቢ", "Jimco"]),
    ("za", ["Sat", "السبت", "Cumartesi", "sob.", "сб", "ቀዳም", "Sabti"]),
    ("zo", ["Sun", "الأحد", "Pazar", "niedz.", "нд", "ሰንበት", "Axad"]),
    ("dag", ["day", "يوم", "gün", "dzień", "день", "መዓልቲ", "maalin"]),
    ("dagen", ["days", "أيام", "günler", "dni", "дні", "መዓልታት", "maalmo"]),
    ("elke", ["every", "كل", "her", "każdy", "кожен", "ኩሉ", "kasta"]),
    ("iedere", ["every", "كل", "her", "każdy", "кожен", "ኩሉ", "kasta"]),
    (
        "tussen",
        ["between", "بين", "arası", "między", "між", "ኣብ መንጎ", "inta u dhexeysa"],
    ),
    ("en", ["and", "و", "ve", "i", "і", "ከምኡውን", "iyo"]),
    ("of", ["or", "أو", "veya", "lub", "або", "ወይ", "ama"]),
    ("van", ["from", "من", "itibaren", "od", "з", "ካብ", "laga bilaabo"]),
    ("vanaf", ["from", "من", "itibaren", "od", "з", "ካብ", "laga bilaabo"]),
    ("tot", ["to", "حتى", "kadar", "do", "до", "ክሳብ", "ilaa"]),
    ("uur", ["h", "الساعة", "saat", "godz.", "год.", "ሰዓት", "saac"]),
    (
        "ochtends",
        ["in the morning", "صباحًا", "sabah", "rano", "вранці", "ንግሆ", "subaxnimo"],
    ),
    (
        "ochtend",
        ["morning", "الصباح", "sabah", "rano", "ранок", "ንግሆ", "subax"],
    ),
    (
        "middags",
        [
            "in the afternoon",
            "بعد الظهر",
            "öğleden sonra",
            "po południu",
            "вдень",
            "ድሕሪ ቐትሪ",
            "galabnimo",
        ],
    ),
    (
        "middag",
        [
            "afternoon",
            "بعد الظهر",
            "öğleden sonra",
            "popołudnie",
            "день",
            "ድሕሪ ቐትሪ",
            "galab",
        ],
    ),
    (
        "avonds",
        [
            "in the evening",
            "مساءً",
            "akşam",
            "wieczorem",
            "ввечері",
            "ምሸት",
            "fiidnimo",
        ],
    ),
    (
        "avond",
        ["evening", "المساء", "akşam", "wieczór", "вечір", "ምሸት", "fiid"],
    ),
    ("na", ["after", "بعد", "sonra", "po", "після", "ድሕሪ", "kadib"]),
    ("voor", ["before", "قبل", "önce", "przed", "до", "ቅድሚ", "ka hor"]),
    ("alleen", ["only", "فقط", "sadece", "tylko", "лише", "ጥራይ", "kaliya"]),
    ("niet", ["not", "ليس", "değil", "nie", "не", "ኣይኮነን", "ma aha"]),
    (
        "behalve",
        [
            "except",
            "ما عدا",
            "hariç",
            "oprócz",
            "крім",
            "ብዘይካ",
            "marka laga reebo",
        ],
    ),
    ("op", ["on", "في", "", "w", "у", "ኣብ", ""]),
    ("in", ["in", "في", "", "w", "у", "ኣብ", ""]),
    ("het", ["the", "", "", "", "", "", ""]),
    ("de", ["the", "", "", "", "", "", ""]),
];

fn column(lang: ClientLang) -> Option<usize> {
    ClientLang::ALL.iter().position(|l| *l == lang)?.checked_sub(1)
}

/// The safe times in the client's language: every known Dutch word replaced, numbers, times and
/// punctuation kept as typed. Dutch comes back unchanged; a word the list does not know stays.
pub fn times_in(text: &str, lang: ClientLang) -> String {
    let Some(col) = column(lang) else {
        return text.to_owned();
    };
    // "'s ochtends" is one Dutch word with its article: the article goes.
    let text = text.replace("'s ", "").replace("’s ", "").replace("'S ", "");
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        match WORDS.iter().find(|(nl, _)| *nl == lower) {
            Some((_, other)) => out.push_str(other[col]),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    // A dropped article leaves a double space.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Written left to right whatever the paragraph: digits and Latin letters.
fn strong_ltr(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphabetic() && c < '\u{0250}')
}

/// May join two left-to-right pieces into one run ("06-12345678", "10:00 - 12:00").
fn joins(c: char) -> bool {
    matches!(c, ' ' | '-' | '–' | ':' | '.' | '/' | ',' | '\'' | '+' | '(' | ')')
}

/// The line cut into runs, `true` for a run that must be shown left to right (isolated), `false`
/// for the rest. Joined again, the runs give the line back.
pub fn ltr_runs(line: &str) -> Vec<(bool, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut runs: Vec<(bool, String)> = Vec::new();
    let mut push = |ltr: bool, s: &[char]| {
        if s.is_empty() {
            return;
        }
        let s: String = s.iter().collect();
        match runs.last_mut() {
            Some((l, last)) if *l == ltr && !ltr => last.push_str(&s),
            _ => runs.push((ltr, s)),
        }
    };
    let mut i = 0;
    while i < chars.len() {
        if !strong_ltr(chars[i]) {
            push(false, &chars[i..=i]);
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1; // one past the last strong character of the run
        let mut j = i + 1;
        while j < chars.len() && (strong_ltr(chars[j]) || joins(chars[j])) {
            if strong_ltr(chars[j]) {
                end = j + 1;
            }
            j += 1;
        }
        push(true, &chars[start..end]);
        i = end;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_safe_times_lose_their_dutch_words_and_keep_their_numbers() {
        let ar = times_in("werkdagen 10-12 uur", ClientLang::Ar);
        assert_eq!(ar, "أيام العمل 10-12 الساعة");
        assert_eq!(
            times_in("Werkdagen tussen 10 en 12 uur", ClientLang::En),
            "weekdays between 10 and 12 h"
        );
        assert_eq!(
            times_in("ma-vr 's avonds na 19:00", ClientLang::Pl),
            "pon.-pt. wieczorem po 19:00"
        );
        assert_eq!(times_in("werkdagen 10-12 uur", ClientLang::Nl), "werkdagen 10-12 uur");
        for lang in ClientLang::ALL.into_iter().skip(1) {
            let t = times_in("werkdagen 10-12 uur", lang);
            assert!(!t.contains("werkdagen") && t.contains("10-12"), "{lang:?}: {t}");
        }
    }

    #[test]
    fn numbers_and_latin_names_are_one_left_to_right_run() {
        let line = "ستتصل بك Veilig Thuis على هذا الرقم: 06-12345678";
        let runs = ltr_runs(line);
        let ltr: Vec<&str> = runs.iter().filter(|(l, _)| *l).map(|(_, s)| s.as_str()).collect();
        assert_eq!(ltr, ["Veilig Thuis", "06-12345678"]);
        assert_eq!(runs.iter().map(|(_, s)| s.as_str()).collect::<String>(), line);
        let times = ltr_runs("فقط في هذه الأوقات: أيام العمل 10:00 - 12:00 الساعة");
        assert!(times.contains(&(true, "10:00 - 12:00".to_owned())), "{times:?}");
        assert_eq!(ltr_runs("رجوع"), [(false, "رجوع".to_owned())]);
    }
}
