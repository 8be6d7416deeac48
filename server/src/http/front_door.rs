//! What the API says about itself (the NL GOV API Design Rules where they fit): `API-Version`
//! on every `/api/` answer, a contact in the OpenAPI document, and `/.well-known/security.txt`
//! (RFC 9116) with `Contact` and `Expires` from the settings.

use anyhow::{Context, bail};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::AppState;

/// The version of the API (semantic versioning); the path carries its major version.
pub const API_VERSION: &str = "1.0.0";

/// Days ahead of the start that security.txt expires when `MASKER19_SECURITY_TXT_EXPIRES` is
/// not set (RFC 9116 advises less than a year).
const DEFAULT_EXPIRY_DAYS: i64 = 180;

/// The operator's contact and how long it holds.
#[derive(Debug, Clone)]
pub struct FrontDoor {
    /// A `mailto:`, `https:` or `tel:` URI (`MASKER19_SECURITY_CONTACT`).
    pub contact: String,
    /// When security.txt stops holding (`MASKER19_SECURITY_TXT_EXPIRES`).
    pub expires: DateTime<Utc>,
    /// Where security.txt is published (from `MASKER19_PUBLIC_URL`).
    pub canonical: Option<String>,
}

impl FrontDoor {
    /// From the environment; `public_url` gives the default contact and the canonical address.
    pub fn from_env(public_url: Option<&url::Url>, now: DateTime<Utc>) -> anyhow::Result<FrontDoor> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        FrontDoor::new(
            var("MASKER19_SECURITY_CONTACT").as_deref(),
            var("MASKER19_SECURITY_TXT_EXPIRES").as_deref(),
            public_url,
            now,
        )
    }

    pub fn new(
        contact: Option<&str>,
        expires: Option<&str>,
        public_url: Option<&url::Url>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<FrontDoor> {
        let host = public_url.and_then(url::Url::host_str).unwrap_or("localhost");
        let contact = match contact.map(str::trim) {
            None => format!("mailto:security@{host}"),
            Some(c) if c.starts_with("mailto:") || c.starts_with("https://") || c.starts_with("tel:") => c.to_owned(),
            Some(c) if c.contains('@') && !c.contains(':') => format!("mailto:{c}"),
            Some(c) => {
                bail!("MASKER19_SECURITY_CONTACT must be an e-mail address or a mailto:, https: or tel: URI, got {c:?}")
            }
        };
        if contact.chars().any(char::is_control) {
            bail!("MASKER19_SECURITY_CONTACT holds a control character");
        }
        let expires = match expires.map(str::trim) {
            None => (now + chrono::Duration::days(DEFAULT_EXPIRY_DAYS))
                .date_naive()
                .and_hms_opt(0, 0, 0)
                .map_or(now, |t| t.and_utc()),
            Some(e) => DateTime::parse_from_rfc3339(e)
                .map(|t| t.with_timezone(&Utc))
                .or_else(|_| {
                    NaiveDate::parse_from_str(e, "%Y-%m-%d")
                        .map(|d| d.and_hms_opt(0, 0, 0).map_or(now, |t| t.and_utc()))
                })
                .with_context(|| {
                    format!("MASKER19_SECURITY_TXT_EXPIRES must be a date (2027-06-30) or an RFC 3339 time, got {e:?}")
                })?,
        };
        if expires <= now {
            tracing::warn!(%expires, "MASKER19_SECURITY_TXT_EXPIRES has passed: security.txt says it is stale");
        }
        let canonical = public_url
            .and_then(|u| u.join("/.well-known/security.txt").ok())
            .map(String::from);
        Ok(FrontDoor {
            contact,
            expires,
            canonical,
        })
    }

    /// The text of security.txt.
    pub fn security_txt(&self) -> String {
        let mut text = format!(
            "Contact: {}\nExpires: {}\nPreferred-Languages: nl, en\n",
            self.contact,
            self.expires.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        if let Some(c) = &self.canonical {
            text.push_str(&format!("Canonical: {c}\n"));
        }
        text
    }

    /// `info.contact` of the OpenAPI document.
    pub fn api_contact(&self) -> Value {
        match self.contact.strip_prefix("mailto:") {
            Some(email) => json!({ "name": "Masker 19", "email": email }),
            None if self.contact.starts_with("https://") => json!({ "name": "Masker 19", "url": self.contact }),
            None => json!({ "name": format!("Masker 19 ({})", self.contact) }),
        }
    }
}

/// `GET /.well-known/security.txt`.
pub async fn security_txt(State(s): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        s.front_door.security_txt(),
    )
        .into_response()
}

/// `API-Version` on every answer under `/api/`, errors and unknown paths included.
pub async fn api_version(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    if api {
        response.headers_mut().insert(
            HeaderName::from_static("api-version"),
            HeaderValue::from_static(API_VERSION),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_and_expiry_from_settings_or_sensible_defaults() -> anyhow::Result<()> {
        let now = DateTime::parse_from_rfc3339("2026-12-07T21:00:00Z")?.with_timezone(&Utc);
        let public = url::Url::parse("https://masker19.example.nl/")?;
        let d = FrontDoor::new(None, None, Some(&public), now)?;
        assert_eq!(
            d.security_txt(),
            "Contact: mailto:security@masker19.example.nl\nExpires: 2027-06-05T00:00:00Z\nPreferred-Languages: nl, en\nCanonical: https://masker19.example.nl/.well-known/security.txt\n"
        );
        let d = FrontDoor::new(Some("cert@example.nl"), Some("2027-03-01"), None, now)?;
        assert_eq!(d.contact, "mailto:cert@example.nl");
        assert_eq!(d.expires.to_rfc3339(), "2027-03-01T00:00:00+00:00");
        assert_eq!(d.api_contact()["email"], "cert@example.nl");
        assert!(FrontDoor::new(Some("ftp://x"), None, None, now).is_err());
        assert!(FrontDoor::new(None, Some("next year"), None, now).is_err());
        Ok(())
    }
}
