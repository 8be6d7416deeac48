//! Sealed reports (schema_version 2): what the relay sees of a melding or adviesvraag sealed at
//! the counter, and the rules every party applies to it.
//!
//! The pharmacy's app seals the report v1 JSON (age v1, X25519, armored) to its Veilig Thuis
//! region's recipients valid at `created_at` plus the region's recovery key, and sends the
//! [`Envelope`]: the few fields the server needs to count, route, order and forward, and
//! `sealed`. Whoever opens `sealed` checks with [`mismatches`] that the inner report agrees with
//! the envelope it came in.
//!
//! Pure: the cryptography (sealing, opening, signatures) lives in the `masker19-seal` crate; the
//! region key list and the choice of recipients are [`keys`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{FieldError, Rejection, Rule};
use crate::report::{Channel, Kind, Report};

pub mod keys;
mod open_check;

pub use keys::{KeyList, ListProblem, Recipient, RegionKeys};
pub use open_check::{Mismatch, mismatches};

/// The schema version of an envelope.
pub const SEALED_SCHEMA_VERSION: u32 = 2;
/// The largest `sealed` accepted, in bytes (the armored age file).
pub const MAX_SEALED_BYTES: usize = 64 * 1024;
/// The fewest X25519 recipients a sealed report has: the region's key and its recovery key.
pub const MIN_RECIPIENTS: usize = 2;
/// The first line of an armored age file.
pub const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";

/// What the relay sees of a sealed report. Every field but `sealed` is needed by the server
/// without opening the report: `id` (identical resubmission, status), `kind` (only meldingen and
/// adviesvragen are forwarded), `created_at` (the window, the statistics' period), `channel` and
/// `practice` (counting), `vt_region` (routing: the server cannot see the gemeente),
/// `accompanied`, `acute_112_at` and `children` (the inbox's triage order), `key_list_version`
/// (which keys it was sealed to, for rotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Envelope {
    pub id: Uuid,
    pub schema_version: u32,
    pub kind: Kind,
    pub created_at: DateTime<Utc>,
    pub channel: Channel,
    #[serde(default)]
    pub practice: bool,
    /// The region the app routed the report to (person's gemeente, else the pharmacy's).
    pub vt_region: String,
    pub accompanied: bool,
    #[serde(default)]
    pub acute_112_at: Option<DateTime<Utc>>,
    /// How many children the kindcheck found (a count only: their ages are inside).
    pub children: u8,
    /// The version of the signed region key list the recipients came from.
    pub key_list_version: u64,
    /// The report v1 JSON as an armored age v1 file.
    pub sealed: String,
}

/// `GET /api/v1/region-keys`: the region key list exactly as the scheme signed it, and the text
/// of its minisign signature file. A device checks the signature with the scheme key it pinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedList {
    /// The signed bytes (UTF-8 JSON), as a string.
    pub list: String,
    /// The `.minisig` file's text.
    pub signature: String,
}

/// The number of children an envelope carries for a report: the kindcheck's count, 0 without one.
pub fn children_of(report: &Report) -> u8 {
    report.kindcheck.as_ref().map_or(0, |k| k.children_count)
}

/// Whether a report is sealed when its region is in the key list: a real melding or adviesvraag.
/// Counting kinds carry no personal data; a practice run is fictional and only counted.
pub fn is_sealable(report: &Report) -> bool {
    report.kind.is_forwarded() && !report.practice
}

impl Envelope {
    /// The envelope of `report`, routed to `vt_region`, sealed (by the caller) into `sealed`
    /// with the keys of list `key_list_version`.
    pub fn for_report(report: &Report, vt_region: &str, key_list_version: u64, sealed: String) -> Envelope {
        Envelope {
            id: report.id,
            schema_version: SEALED_SCHEMA_VERSION,
            kind: report.kind,
            created_at: report.created_at,
            channel: report.channel,
            practice: report.practice,
            vt_region: vt_region.to_owned(),
            accompanied: report.accompanied,
            acute_112_at: report.acute_112_at,
            children: children_of(report),
            key_list_version,
            sealed,
        }
    }

    /// The canonical JSON, as stored and forwarded: fields in declaration order.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| format!("{self:?}"))
    }

    /// The envelope without `sealed`: what a log line or a page may show.
    pub fn summary(&self) -> String {
        format!(
            "id={} kind={} channel={} vt_region={} key_list_version={}",
            self.id,
            self.kind.code(),
            self.channel.code(),
            self.vt_region,
            self.key_list_version
        )
    }
}

/// The schema version a JSON body declares, without reading the rest: `None` when it has none
/// (or is not JSON). Decides whether a body is a report v1 or an envelope.
pub fn declared_schema_version(body: &[u8]) -> Option<u64> {
    #[derive(Deserialize)]
    struct Version {
        schema_version: Option<serde_json::Value>,
    }
    serde_json::from_slice::<Version>(body).ok()?.schema_version?.as_u64()
}

/// Parse and check an envelope as the server does: the structure (no unknown fields), then the
/// rules it can check without opening `sealed`. The age file's own structure (armor, at least
/// [`MIN_RECIPIENTS`] X25519 stanzas) is checked by the caller with the `masker19-seal` crate.
pub fn parse_envelope(body: &[u8], now: DateTime<Utc>) -> Result<Envelope, Rejection> {
    let envelope: Envelope = crate::parse::parse_object(body)?;
    let errors = envelope_rules(&envelope, now);
    if errors.is_empty() {
        Ok(envelope)
    } else {
        Err(Rejection::Invalid(errors))
    }
}

/// Every rule of an envelope that needs no key.
pub fn envelope_rules(e: &Envelope, now: DateTime<Utc>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut fail = |path: &str, rule: Rule, message: &str| errors.push(FieldError::new(path, rule, message));
    if e.schema_version != SEALED_SCHEMA_VERSION {
        fail(
            "/schema_version",
            Rule::SchemaVersion,
            "an envelope has schema_version 2",
        );
    }
    if e.id.get_version_num() != 4 {
        fail("/id", Rule::UuidV4, "the id must be a UUID version 4");
    }
    if !e.kind.is_forwarded() {
        fail(
            "/kind",
            Rule::NotAllowedForKind,
            "only a melding or an adviesvraag is sealed; a counting kind is sent as report v1",
        );
    }
    if !crate::validate::created_at_in_window(e.created_at, now) {
        fail(
            "/created_at",
            Rule::OutOfWindow,
            "created_at must lie between 30 days ago and 5 minutes ahead",
        );
    }
    if e.acute_112_at
        .is_some_and(|at| at > now + crate::validate::MAX_CLOCK_SKEW)
    {
        fail("/acute_112_at", Rule::OutOfWindow, "acute_112_at lies in the future");
    }
    if crate::regions::latest().region(&e.vt_region).is_none() {
        fail(
            "/vt_region",
            Rule::InvalidValue,
            "not a Veilig Thuis region code (VT01 to VT25)",
        );
    }
    if e.children > crate::validate::MAX_CHILDREN {
        fail("/children", Rule::Range, "at most 20 children");
    }
    if e.key_list_version == 0 {
        fail(
            "/key_list_version",
            Rule::Range,
            "the version of the region key list, from 1",
        );
    }
    if e.sealed.len() > MAX_SEALED_BYTES {
        fail("/sealed", Rule::MaxLength, "the sealed report is at most 64 KiB");
    } else if !e.sealed.trim_start().starts_with(ARMOR_BEGIN) {
        fail(
            "/sealed",
            Rule::InvalidValue,
            "an armored age file (age-encryption.org/v1)",
        );
    }
    errors
}

/// The `seal_required` refusal: a report v1 melding or adviesvraag for a region in the key list.
pub fn seal_required() -> FieldError {
    FieldError::new(
        "/schema_version",
        Rule::SealRequired,
        "this region receives sealed reports only (schema_version 2): fetch the region key list and seal the report to it",
    )
}

#[cfg(test)]
mod tests;
