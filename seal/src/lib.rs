//! Sealing at the counter, with standard formats and well-kept crates: a report is sealed with
//! age v1 (X25519 recipients, ASCII armor) by the `age` crate, and the region key list is checked
//! against the scheme's minisign key by `minisign-verify`. The rules (which recipients, what the
//! envelope holds, what the opener compares) are `meldcode::sealed`'s; this crate adds the
//! cryptography, so the app, the server and the tests share one implementation.

use std::io::{Read, Write};
use std::str::FromStr;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use meldcode::sealed::{Envelope, KeyList, ListProblem, MIN_RECIPIENTS, Mismatch, keys::NoRecipients};
use meldcode::{FieldError, Report, Rule};

mod header;
pub use header::{Header, HeaderProblem, read_header};
#[cfg(feature = "sign")]
pub mod sign;
pub mod wrapped;

/// Why a report could not be sealed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error(transparent)]
    NoRecipients(#[from] NoRecipients),
    #[error("recipient {0:?} is not an age X25519 recipient")]
    Recipient(String),
    #[error("age could not seal: {0}")]
    Age(String),
}

/// Why a sealed report could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the identity is not an age X25519 identity (AGE-SECRET-KEY-1…)")]
    Identity,
    #[error("the sealed report does not open with this identity: {0}")]
    Age(String),
    #[error("the opened report is not a report v1: {0}")]
    Report(String),
}

/// Why a region key list is refused.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("the scheme key is not a minisign public key (RW…): {0}")]
    SchemeKey(String),
    #[error("the signature file is not a minisign signature: {0}")]
    SignatureFile(String),
    #[error("the signature does not verify with the scheme key: {0}")]
    BadSignature(String),
    #[error(transparent)]
    Rules(#[from] ListProblem),
}

/// Check a signed region key list: the minisign signature with the scheme's public key
/// (`RW…`, or a whole `.pub` file), then the list's rules, then every key parsed as age does.
pub fn verify_list(list: &[u8], signature: &str, scheme_key: &str) -> Result<KeyList, ListError> {
    let key = scheme_public_key(scheme_key)?;
    let sig = minisign_verify::Signature::decode(signature).map_err(|e| ListError::SignatureFile(e.to_string()))?;
    key.verify(list, &sig, false)
        .map_err(|e| ListError::BadSignature(e.to_string()))?;
    let parsed = KeyList::parse(list)?;
    for (region, keys) in &parsed.regions {
        let named = keys.recipients.iter().map(|r| (r.id.as_str(), r.age.as_str()));
        for (id, age) in named.chain(keys.recovery.as_deref().map(|r| ("recovery", r))) {
            if age::x25519::Recipient::from_str(age).is_err() {
                return Err(ListProblem::MalformedRecipient {
                    region: region.clone(),
                    id: id.to_owned(),
                }
                .into());
            }
        }
    }
    Ok(parsed)
}

/// The scheme's minisign public key: the base64 line `RW…`, or the text of a `.pub` file.
pub fn scheme_public_key(text: &str) -> Result<minisign_verify::PublicKey, ListError> {
    let text = text.trim();
    let parsed = if text.contains('\n') {
        minisign_verify::PublicKey::decode(text)
    } else {
        minisign_verify::PublicKey::from_base64(text)
    };
    parsed.map_err(|e| ListError::SchemeKey(e.to_string()))
}

/// Seal `report` (its canonical JSON, exactly as `meldcode` validated it) to `region`'s
/// recipients valid at its `created_at` plus the recovery key, as an envelope.
pub fn seal_report(report: &Report, region: &str, list: &KeyList) -> Result<Envelope, SealError> {
    let recipients = list.recipients_for(region, report.created_at)?;
    let sealed = seal_bytes(report.canonical_json().as_bytes(), &recipients)?;
    Ok(Envelope::for_report(report, region, list.version, sealed))
}

/// `plaintext` as an armored age file to `recipients` (`age1…`).
pub fn seal_bytes(plaintext: &[u8], recipients: &[&str]) -> Result<String, SealError> {
    let parsed = recipients
        .iter()
        .map(|r| age::x25519::Recipient::from_str(r).map_err(|_| SealError::Recipient((*r).to_owned())))
        .collect::<Result<Vec<_>, _>>()?;
    let age_err = |e: &dyn std::fmt::Display| SealError::Age(e.to_string());
    let encryptor =
        age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient)).map_err(|e| age_err(&e))?;
    let mut out = Vec::with_capacity(plaintext.len() * 4 / 3 + 1024);
    let armored = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).map_err(|e| age_err(&e))?;
    let mut writer = encryptor.wrap_output(armored).map_err(|e| age_err(&e))?;
    writer.write_all(plaintext).map_err(|e| age_err(&e))?;
    writer
        .finish()
        .and_then(|armor| armor.finish())
        .map_err(|e| age_err(&e))?;
    String::from_utf8(out).map_err(|e| age_err(&e))
}

/// Open an armored age file with an identity (`AGE-SECRET-KEY-1…`, or an identity file's text).
pub fn open_bytes(sealed: &str, identity: &str) -> Result<Vec<u8>, OpenError> {
    let identity = identity
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .and_then(|l| age::x25519::Identity::from_str(l).ok())
        .ok_or(OpenError::Identity)?;
    let decryptor =
        age::Decryptor::new(ArmoredReader::new(sealed.as_bytes())).map_err(|e| OpenError::Age(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| OpenError::Age(e.to_string()))?;
    let mut plaintext = Vec::new();
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| OpenError::Age(e.to_string()))?;
    Ok(plaintext)
}

/// Open an envelope's report and compare it with the envelope: the report and every field on
/// which they disagree (to be shown as such, never trusted silently).
pub fn open_report(
    envelope: &Envelope,
    identity: &str,
    pharmacy_gemeente: Option<&str>,
) -> Result<(Report, Vec<Mismatch>), OpenError> {
    let plaintext = open_bytes(&envelope.sealed, identity)?;
    let report = meldcode::parse_structure(&plaintext).ok_or_else(|| {
        OpenError::Report(match serde_json::from_slice::<serde_json::Value>(&plaintext) {
            Ok(_) => "its fields are not those of report v1".into(),
            Err(e) => e.to_string(),
        })
    })?;
    let mismatches = meldcode::sealed::mismatches(envelope, &report, pharmacy_gemeente);
    Ok((report, mismatches))
}

/// The checks of an envelope's `sealed` that need the age format: at most 64 KiB, an armored
/// age v1 file with at least two X25519 stanzas (the region's key and its recovery key). Empty
/// when it passes.
pub fn sealed_problems(envelope: &Envelope) -> Vec<FieldError> {
    if envelope.sealed.len() > meldcode::sealed::MAX_SEALED_BYTES {
        return vec![FieldError::new(
            "/sealed",
            Rule::MaxLength,
            "the sealed report is at most 64 KiB",
        )];
    }
    match read_header(&envelope.sealed) {
        Ok(h) if h.x25519 >= MIN_RECIPIENTS => Vec::new(),
        Ok(_) => vec![FieldError::new(
            "/sealed",
            Rule::TooFewRecipients,
            "sealed to fewer than two X25519 recipients: the region's key and its recovery key are both needed",
        )],
        Err(e) => vec![FieldError::new(
            "/sealed",
            Rule::InvalidValue,
            format!("not an armored age v1 file: {e}"),
        )],
    }
}

#[cfg(test)]
mod tests;
