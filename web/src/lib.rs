//! Intake in the browser: the worker's wrapped key is unlocked with the passphrase and a sealed
//! report opened in the page's memory, shown with `meldcode`'s sections, labels and warnings in
//! the same order as the server's pages, and checked against its envelope. Nothing of it leaves
//! the page. [`open_json`] is the whole logic (tested natively); `wasm.rs` is the C ABI the
//! page's script calls.

use meldcode::sealed::Envelope;
use meldcode::texts::{Label, Lang};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The unlocked identity file's text, from the wrapped key and the passphrase; a Dutch sentence
/// when it does not unlock.
pub fn unlock(wrapped: &[u8], passphrase: &str) -> Result<String, String> {
    let plain = masker19_seal::wrapped::unwrap_with_passphrase(wrapped, passphrase)
        .map_err(|_| "De sleutel gaat niet open met dit wachtwoord.".to_owned())?;
    String::from_utf8(plain).map_err(|_| "Dit sleutelbestand bevat geen age-sleutel.".to_owned())
}

/// A sealed report opened with `identity`, as JSON for the page: `{"ok": true, "kenmerk",
/// "warnings": [..], "sections": [{"title", "rows": [{"label", "value", "prominent"}]}],
/// "mismatches": [..]}` or `{"ok": false, "error": "<Dutch sentence>"}`.
pub fn open_json(identity: &str, envelope_json: &[u8], pharmacy_gemeente: Option<&str>) -> Value {
    let Ok(envelope) = serde_json::from_slice::<Envelope>(envelope_json) else {
        return json!({"ok": false, "error": "De envelop van deze melding is onleesbaar."});
    };
    let (report, mismatches) = match masker19_seal::open_report(&envelope, identity, pharmacy_gemeente) {
        Ok(opened) => opened,
        Err(_) => {
            return json!({"ok": false, "error": "Deze melding gaat niet open met de sleutel van uw regio."});
        }
    };
    let lang = Lang::Nl;
    let sections: Vec<Value> = meldcode::intake::sections(&report, lang)
        .into_iter()
        .map(|s| {
            let rows: Vec<Value> = s
                .rows
                .into_iter()
                .map(|r| json!({"label": r.label, "value": r.value, "prominent": r.prominent}))
                .collect();
            json!({"title": s.title, "rows": rows})
        })
        .collect();
    let warnings: Vec<&str> = report
        .safe_contact
        .as_ref()
        .map(meldcode::intake::warnings)
        .unwrap_or_default()
        .into_iter()
        .map(|w| w.label(lang))
        .collect();
    json!({
        "ok": true,
        "kenmerk": meldcode::intake::kenmerk(&envelope.id.to_string()),
        "warnings": warnings,
        "sections": sections,
        "mismatches": mismatches.iter().map(|m| m.dutch()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests;
