//! The report, schema v1: what a pharmacy sends and what Veilig Thuis receives.
//!
//! The top level is contract (docs/contract.md, "The report"); the nesting is ours and shown in
//! the OpenAPI examples.
//! Types only: the rules live in [`crate::validate`], parsing in [`crate::parse`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const SCHEMA_VERSION: u32 = 1;

/// The outcome of the procedure, and so the kind of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A report that opens a Veilig Thuis file on the person.
    Melding,
    /// A request for advice about an anonymous situation.
    Adviesvraag,
    /// No report: only a count leaves the pharmacy.
    GeenMelding,
    /// The case ended with a 112 call: only a count leaves the pharmacy.
    #[serde(rename = "acuut_112")]
    Acuut112,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Melding, Kind::Adviesvraag, Kind::GeenMelding, Kind::Acuut112];

    /// Only meldingen and adviesvragen go to Veilig Thuis (professional secrecy, the *meldrecht*).
    pub fn is_forwarded(self) -> bool {
        matches!(self, Kind::Melding | Kind::Adviesvraag)
    }

    /// The wire code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Melding => "melding",
            Kind::Adviesvraag => "adviesvraag",
            Kind::GeenMelding => "geen_melding",
            Kind::Acuut112 => "acuut_112",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How the codeword reached the pharmacy (*kanaal*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Balie,
    Briefje,
    Telefoon,
    Bezorging,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Balie, Channel::Briefje, Channel::Telefoon, Channel::Bezorging];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Balie => "balie",
            Channel::Briefje => "briefje",
            Channel::Telefoon => "telefoon",
            Channel::Bezorging => "bezorging",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A report as sent by the pharmacy app (v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// UUID v4, minted when the pharmacist taps "Masker 19"; never changes through retries.
    pub id: Uuid,
    pub schema_version: u32,
    pub kind: Kind,
    pub created_at: DateTime<Utc>,
    pub channel: Channel,
    pub accompanied: bool,
    #[serde(default)]
    pub acute_112_at: Option<DateTime<Utc>>,
    /// CBS code (`GM0363`) of the municipality where the person lives, when known.
    #[serde(default)]
    pub gemeente: Option<String>,
    /// Melding only.
    #[serde(default)]
    pub person: Option<Person>,
    /// Absent only for `acuut_112`, when the flow stopped at the call.
    #[serde(default)]
    pub kindcheck: Option<Kindcheck>,
    #[serde(default)]
    pub signals: Option<Signals>,
    #[serde(default)]
    pub consultation: Option<Consultation>,
    #[serde(default)]
    pub conversation: Option<Conversation>,
    #[serde(default)]
    pub afweging: Option<Afweging>,
    /// Melding only.
    #[serde(default)]
    pub safe_contact: Option<SafeContact>,
    /// Melding (required) and adviesvraag (optional).
    #[serde(default)]
    pub reporter: Option<Reporter>,
    /// A rehearsal (*oefenmodus*): validated like any report, but the server keeps only a count
    /// of training uptake and never forwards it. Left out when `false`, so the canonical JSON
    /// (and the content hash) of a real report is what it was before this field existed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub practice: bool,
}

/// The person the report is about (melding only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub address: Address,
    /// Optional; must pass the elfproef.
    #[serde(default)]
    pub bsn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub street: String,
    pub house_number: String,
    /// Dutch postcode, `1234 AB`.
    pub postcode: String,
    pub city: String,
}

/// Step 1's *kindcheck*: does the client care for minors, are there children in the household?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kindcheck {
    pub status: KindcheckStatus,
    #[serde(default)]
    pub children_count: u8,
    /// One age (0–17) per child.
    #[serde(default)]
    pub children_ages: Vec<u8>,
    #[serde(default)]
    pub pregnant: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KindcheckStatus {
    Done,
    NotApplicable,
}

/// The signal categories a pharmacy can see (KNMP signalling tool).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignalCategory {
    Codeword,
    Physical,
    Psychological,
    Companion,
    Medication,
    Children,
    Statements,
}

impl SignalCategory {
    pub const ALL: [SignalCategory; 7] = [
        SignalCategory::Codeword,
        SignalCategory::Physical,
        SignalCategory::Psychological,
        SignalCategory::Companion,
        SignalCategory::Medication,
        SignalCategory::Children,
        SignalCategory::Statements,
    ];
}

/// Step 1: the signals, with what was seen, what was said and the interpretation kept apart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signals {
    #[serde(default)]
    pub categories: Vec<SignalCategory>,
    #[serde(default)]
    pub observed: String,
    #[serde(default)]
    pub said: String,
    #[serde(default)]
    pub interpretation: String,
}

/// Step 2: collegial consultation, and optionally advice from Veilig Thuis.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consultation {
    /// With whom (roles, never names): empty when nobody was consulted.
    #[serde(default)]
    pub consulted: Vec<Consulted>,
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// The advice received, factually.
    #[serde(default)]
    pub advice: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Consulted {
    Aandachtsfunctionaris,
    Colleague,
    Huisarts,
    VeiligThuis,
}

impl Consulted {
    pub const ALL: [Consulted; 4] = [
        Consulted::Aandachtsfunctionaris,
        Consulted::Colleague,
        Consulted::Huisarts,
        Consulted::VeiligThuis,
    ];
}

/// Step 3: the conversation with the client, and consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub consent: Consent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    Given,
    Refused,
    NotAskedUnsafe,
}

impl Consent {
    pub const ALL: [Consent; 3] = [Consent::Given, Consent::Refused, Consent::NotAskedUnsafe];
}

/// An answer to one question of the afwegingskader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    /// Questions 3–5 after question 2 was "yes": answered together with Veilig Thuis.
    WithVeiligThuis,
    /// Question 5 only.
    NotYetKnown,
}

/// Steps 4 and 5: the afwegingskader's five answers, its recommendation, and an override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Afweging {
    /// The flow's acute-danger answer ("is the client or anyone else in acute danger right
    /// now?"): `true` means acute unsafety, so question 2 is "yes". Left out when `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub acute_danger: bool,
    /// 1. Is there a suspicion of (threatened) domestic violence or child abuse?
    pub suspicion: Answer,
    /// 2. Is there acute and/or structural unsafety?
    #[serde(default)]
    pub unsafe_situation: Option<Answer>,
    /// 3. Can I offer or organise sufficient help myself?
    #[serde(default)]
    pub own_help: Option<Answer>,
    /// 4. Do the people involved accept that help?
    #[serde(default)]
    pub help_accepted: Option<Answer>,
    /// 5. Does the help lead to lasting safety?
    #[serde(default)]
    pub lasting_safety: Option<Answer>,
    /// What the afwegingskader recommends for these answers (checked).
    pub recommendation: Kind,
    /// Required when the chosen kind overrides the recommendation
    /// ([`crate::afweging::is_override`]; an adviesvraag never does).
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// How Veilig Thuis can contact the person without alerting the perpetrator (melding only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SafeContact {
    /// A safe phone number; may be empty only when the pharmacy is the contact point.
    #[serde(default)]
    pub phone: String,
    /// Safe time windows, in the person's words ("werkdagen 10–12 uur").
    pub safe_times: String,
    pub voicemail_ok: bool,
    pub sms_ok: bool,
    /// Does the (suspected) perpetrator live in the same household? `null`: unknown.
    #[serde(default)]
    pub perpetrator_in_household: Option<bool>,
    pub never_at_home: bool,
    /// Language to use, when not Dutch.
    #[serde(default)]
    pub language: Option<String>,
    pub interpreter_needed: bool,
    /// The pharmacy may be used as the alternative contact point.
    pub via_pharmacy: bool,
}

/// The *melder*: who reports and how Veilig Thuis calls them back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reporter {
    pub name: String,
    pub role: ReporterRole,
    pub phone: String,
    pub reachable_until: DateTime<Utc>,
    pub disclosure: Disclosure,
    /// Required when anonymous towards the family.
    #[serde(default)]
    pub anonymous_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReporterRole {
    Pharmacist,
    Assistant,
}

/// *Open melden, tenzij*: open is the default; anonymous towards the family needs a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    Open,
    Anonymous,
}

impl Report {
    /// The canonical JSON of the parsed report: fields in declaration order, as stored.
    pub fn canonical_json(&self) -> String {
        // Serialising a plain struct tree cannot fail; fall back to Debug just in case.
        serde_json::to_string(self).unwrap_or_else(|_| format!("{self:?}"))
    }
}

/// SHA-256 over a report's [`Report::canonical_json`]: "identical" resubmission means an equal
/// `Report`, and this hash outlives the purge of personal data.
pub fn content_hash_of(canonical_json: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(canonical_json.as_bytes()))
}
