//! Broken rules, named by a JSON Pointer and a stable machine code.

use serde::{Deserialize, Serialize};

/// A stable machine code for a broken rule (docs/contract.md: clients match on these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Required,
    NotAllowedForKind,
    UnknownField,
    InvalidType,
    InvalidValue,
    MaxLength,
    SchemaVersion,
    UuidV4,
    OutOfWindow,
    UnknownGemeente,
    Elfproef,
    Postcode,
    Phone,
    Range,
    /// A statistics period that is not published yet: reports can still arrive for it.
    PeriodNotPublished,
    CountMismatch,
    Inconsistent,
    RecommendationMismatch,
    OverrideReasonRequired,
    /// "Acute danger: yes" with afweging question 2 other than "yes".
    AcuteDangerIsUnsafe,
    /// An accompanied client with a consent other than `not_asked_unsafe`.
    ConsentNotAskedWhenAccompanied,
    /// A control character (a tab, a newline, an escape sequence, a direction override) in a
    /// text that is shown on a terminal or in a list.
    ControlCharacter,
    /// An action that needs the report's content, after the retention purge removed it.
    PersonalDataPurged,
    /// A code (the second factor at sign-in) that is wrong, used before or used up.
    Invalid,
    /// A user who has not set up a second factor yet: the first sign-in on the login page does.
    SecondFactorSetupRequired,
    /// A report v1 melding or adviesvraag for a region that receives sealed reports only.
    SealRequired,
    /// A transfer of a sealed report without the report re-sealed to the target region.
    ResealRequired,
    /// A sealed report whose age file has fewer than two X25519 recipients (region and recovery).
    TooFewRecipients,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::NotAllowedForKind => "not_allowed_for_kind",
            Rule::UnknownField => "unknown_field",
            Rule::InvalidType => "invalid_type",
            Rule::InvalidValue => "invalid_value",
            Rule::MaxLength => "max_length",
            Rule::SchemaVersion => "schema_version",
            Rule::UuidV4 => "uuid_v4",
            Rule::OutOfWindow => "out_of_window",
            Rule::UnknownGemeente => "unknown_gemeente",
            Rule::Elfproef => "elfproef",
            Rule::Postcode => "postcode",
            Rule::Phone => "phone",
            Rule::Range => "range",
            Rule::PeriodNotPublished => "period_not_published",
            Rule::CountMismatch => "count_mismatch",
            Rule::Inconsistent => "inconsistent",
            Rule::RecommendationMismatch => "recommendation_mismatch",
            Rule::OverrideReasonRequired => "override_reason_required",
            Rule::AcuteDangerIsUnsafe => "acute_danger_is_unsafe",
            Rule::ConsentNotAskedWhenAccompanied => "consent_not_asked_when_accompanied",
            Rule::ControlCharacter => "control_character",
            Rule::PersonalDataPurged => "personal_data_purged",
            Rule::Invalid => "invalid",
            Rule::SecondFactorSetupRequired => "second_factor_setup_required",
            Rule::SealRequired => "seal_required",
            Rule::ResealRequired => "reseal_required",
            Rule::TooFewRecipients => "too_few_recipients",
        }
    }
}

/// One broken rule: where (`path`, a JSON Pointer into the report), which rule, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub path: String,
    pub rule: Rule,
    pub message: String,
}

impl FieldError {
    pub fn new(path: impl Into<String>, rule: Rule, message: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            rule,
            message: message.into(),
        }
    }
}

/// Why a body is not an acceptable report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// Not a JSON object at all (HTTP 400).
    #[error("{0}")]
    Malformed(String),
    /// A JSON object that breaks one or more rules (HTTP 422); every broken rule is listed.
    #[error("the report breaks {} rule(s)", .0.len())]
    Invalid(Vec<FieldError>),
}

/// Escape one JSON Pointer reference token (RFC 6901).
pub(crate) fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
