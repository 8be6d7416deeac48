//! Dates, times and ranges of hours never break across lines on the pages: "07-12-2026 20:12",
//! "10-12 uur", "9.30 - 11" and "06-12345678" stay whole, whatever the width. The templates
//! write a text with `{{ value|nowrap }}`: it is escaped here, and every such run of digits
//! is wrapped in `<span class="nowrap">`.

/// The longest run kept on one line (a longer one may wrap, so that nothing scrolls sideways).
const MAX_RUN: usize = 24;

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn digits(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The end of the run of digits and joiners that starts at `start` (a digit).
fn run_end(chars: &[char], start: usize) -> usize {
    let mut end = digits(chars, start);
    loop {
        let mut j = end;
        // "10 - 12", "10-12", "10–12": a dash with at most one space either side.
        let space_before = chars.get(j) == Some(&' ');
        if space_before {
            j += 1;
        }
        match chars.get(j) {
            Some('-' | '–') => {
                j += 1;
                if chars.get(j) == Some(&' ') {
                    j += 1;
                }
            }
            Some(':' | '.' | '/') if !space_before => j += 1,
            _ => break,
        }
        if !chars.get(j).is_some_and(char::is_ascii_digit) {
            break;
        }
        end = digits(chars, j);
    }
    // A date and its time: "07-12-2026 20:12".
    let run: String = chars[start..end].iter().collect();
    if run.matches('-').count() == 2 && chars.get(end) == Some(&' ') {
        let h = digits(chars, end + 1);
        if (1..=2).contains(&(h - end - 1)) && chars.get(h) == Some(&':') {
            let m = digits(chars, h + 1);
            if m - h - 1 == 2 {
                end = m;
            }
        }
    }
    end
}

/// `text` as HTML, its dates, times, ranges and numbers kept whole.
pub fn html(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    let mut plain = String::new();
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let end = run_end(&chars, i);
            let run: String = chars[i..end].iter().collect();
            if run.chars().any(|c| !c.is_ascii_digit()) && end - i <= MAX_RUN {
                escape_into(&mut out, &plain);
                plain.clear();
                out.push_str("<span class=\"nowrap\">");
                escape_into(&mut out, &run);
                out.push_str("</span>");
            } else {
                plain.push_str(&run);
            }
            i = end;
        } else {
            plain.push(chars[i]);
            i += 1;
        }
    }
    escape_into(&mut out, &plain);
    out
}

/// The templates' filters.
pub mod filters {
    /// `{{ value|nowrap }}`: see [`super::html`].
    pub fn nowrap<T: std::fmt::Display>(
        value: T,
        _: &dyn askama::Values,
    ) -> askama::Result<askama::filters::Safe<String>> {
        Ok(askama::filters::Safe(super::html(&value.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn dates_times_and_ranges_stay_whole_and_the_rest_is_escaped() {
        assert_eq!(
            html("ontvangen 07-12-2026 20:12 <b>"),
            "ontvangen <span class=\"nowrap\">07-12-2026 20:12</span> &lt;b&gt;"
        );
        assert_eq!(
            html("werkdagen 9-11 en 9.30 - 11 uur"),
            "werkdagen <span class=\"nowrap\">9-11</span> en <span class=\"nowrap\">9.30 - 11</span> uur"
        );
        assert_eq!(html("2 kinderen"), "2 kinderen");
        let long = "1-".repeat(40) + "1";
        assert!(!html(&long).contains("nowrap"), "a run too long to keep whole may wrap");
    }
}
