//! The notice's text: the report's kenmerk and where to look, **never** any content of the
//! report (no name, phone, address, kind or observations). Pure.

use crate::store::notices::Event;

/// The kenmerk people see: the first 8 characters of the report's id, as in the app.
pub fn kenmerk(report_id: &str) -> &str {
    report_id.get(..8).unwrap_or(report_id)
}

/// Subject and plain-text body of a notice about `report_id`; `public_url` is the address people
/// use (`MASKER19_PUBLIC_URL`), when set.
pub fn compose(report_id: &str, event: Event, public_url: Option<&url::Url>) -> (String, String) {
    let kenmerk = kenmerk(report_id);
    let subject = format!("Nieuwe melding in Masker 19 — kenmerk {kenmerk}");
    let what = match event {
        Event::Received => "Er staat een nieuwe melding van een apotheek in het intake-scherm van uw regio.",
        Event::Transferred => "Er is een melding aan uw regio overgedragen; hij staat in het intake-scherm.",
    };
    let link = match public_url {
        Some(url) => format!("Open het intake-scherm: {}/intake", url.as_str().trim_end_matches('/')),
        None => "Open het intake-scherm van Masker 19.".to_owned(),
    };
    let body = format!(
        "{what}\r\n\r\nKenmerk: {kenmerk}\r\n{link}\r\n\r\n\
         Deze e-mail bevat bewust geen gegevens uit de melding.\r\n"
    );
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_the_kenmerk_and_the_intake_page_only() -> anyhow::Result<()> {
        let url = url::Url::parse("https://masker19.example.nl/")?;
        let (subject, body) = compose("7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10", Event::Received, Some(&url));
        assert_eq!(subject, "Nieuwe melding in Masker 19 — kenmerk 7f1c0a7e");
        assert!(body.contains("Open het intake-scherm: https://masker19.example.nl/intake"));
        assert!(!body.contains("2b8e"), "the kenmerk, not the whole id");
        let (_, moved) = compose("7f1c0a7e-2b8e", Event::Transferred, None);
        assert!(moved.contains("overgedragen") && moved.contains("Open het intake-scherm van Masker 19."));
        Ok(())
    }
}
