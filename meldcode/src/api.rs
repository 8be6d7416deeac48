//! The HTTP API's bodies (v1; docs/contract.md), shared by the server that writes them and the
//! app that reads them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{FieldError, Rule};
use crate::report::Kind;
use crate::status::Status;

/// `POST /api/v1/enroll`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollRequest {
    /// The one-time code, e.g. `K7QM-3XPA-9TRD-W2HF`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub code: String,
    /// Printable text (no control characters), at most 100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub device_name: String,
}

/// The longest device name, in characters.
pub const MAX_DEVICE_NAME_CHARS: usize = 100;

impl EnrollRequest {
    /// The device name's rules: 1 to 100 printable characters. The name is printed on the
    /// administrator's terminal by `device list`, where a tab or newline would forge a row and an
    /// escape sequence would change the terminal.
    pub fn device_name_error(&self) -> Option<FieldError> {
        let name = &self.device_name;
        let rule = if name.trim().is_empty() {
            Rule::Required
        } else if name.chars().count() > MAX_DEVICE_NAME_CHARS {
            Rule::MaxLength
        } else if !crate::validate::is_printable(name) {
            Rule::ControlCharacter
        } else {
            return None;
        };
        Some(FieldError::new(
            "/device_name",
            rule,
            "1 to 100 printable characters, without tabs, new lines or control characters",
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollResponse {
    pub device_token: String,
    /// The device's id as `device list` and `device revoke` on the server show it, so that an
    /// administrator can revoke exactly this device when it is lost. Absent from servers before
    /// it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<i64>,
    pub pharmacy: PharmacyInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PharmacyInfo {
    pub name: String,
    pub gemeente: String,
    pub vt_region: String,
}

/// `POST /api/v1/reports` (201 and 200) and `GET /api/v1/reports/{id}/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusBody {
    pub id: Uuid,
    pub kind: Kind,
    pub status: Status,
    /// The region holding the report now; `null` for counting kinds.
    pub vt_region: Option<String>,
    pub history: Vec<HistoryEntry>,
    /// A practice report (oefenmodus): counted as training uptake only. Left out when `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub practice: bool,
    /// When the server purges the report's personal data at the latest: a device that still
    /// holds the report (it never settled) wipes its own copy then. Absent from older servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained_until: Option<DateTime<Utc>>,
}

/// How long the server keeps a report's personal data: `after_closed` once it is closed, and
/// `at_most` after receipt whatever its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub after_closed: chrono::Duration,
    pub at_most: chrono::Duration,
}

impl Retention {
    /// The latest moment the personal data of a report with this history is kept; `None`
    /// without a history.
    pub fn retained_until(&self, history: &[HistoryEntry]) -> Option<DateTime<Utc>> {
        let received = history.first()?.at + self.at_most;
        let closed = history
            .iter()
            .find(|e| e.status == Status::Closed)
            .map(|e| e.at + self.after_closed);
        Some(closed.map_or(received, |c| c.min(received)))
    }
}

impl StatusBody {
    /// This body with `retained_until` set by `retention`.
    pub fn retained(mut self, retention: Retention) -> StatusBody {
        self.retained_until = retention.retained_until(&self.history);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub status: Status,
    pub at: DateTime<Utc>,
}

/// `POST /api/v1/session`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub password: String,
    /// The second factor: the 6-digit code of the user's authenticator app (RFC 6238), or one of
    /// their unused recovery codes. Required for every user who has set up a second factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 64, example = "492039"))]
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Every API error, as RFC 9457 problem details (sent as `application/problem+json`): `type`,
/// `title`, `status` and `detail`; the sentence again in `error`, and for a broken rule every
/// field that breaks one in `fields`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A URI naming the kind of problem; `about:blank`: the status and `title` say it all.
    #[serde(rename = "type", default = "about_blank")]
    pub problem_type: String,
    /// The name of the HTTP status, e.g. "Unprocessable Entity".
    #[serde(default)]
    pub title: String,
    /// The HTTP status code.
    #[serde(default)]
    pub status: u16,
    /// What went wrong, in a sentence (the same as `error`).
    #[serde(default)]
    pub detail: String,
    pub error: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

impl ErrorBody {
    /// A problem of `status` (named `title`), described by `error`.
    pub fn new(status: u16, title: &str, error: String, fields: Vec<FieldError>) -> ErrorBody {
        ErrorBody {
            problem_type: about_blank(),
            title: title.to_owned(),
            status,
            detail: error.clone(),
            error,
            fields,
        }
    }
}
