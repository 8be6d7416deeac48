//! What an answer to a submit means for the report, and when to try again: pure functions, so
//! the rules of the contract (retry, reject, `Retry-After`, backoff) are tested without a network.

use std::time::Duration;

use chrono::{DateTime, Utc};
use meldcode::api::{ErrorBody, StatusBody};
use meldcode::delivery::DeliveryProblem;

/// What an answer to `POST /api/v1/reports` means for the report.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// 201, or 200 for an identical resubmission: accepted.
    Accepted(StatusBody),
    /// Network error, 401, 408, 429 or 5xx: try again later (`Retry-After` when given); the
    /// reason is a [`DeliveryProblem`] code.
    Retry {
        reason: String,
        status: Option<u16>,
        retry_after: Option<Duration>,
    },
    /// Any other 4xx: shown with the server's reason; never retried blindly, never deleted.
    Rejected { status: u16, body: ErrorBody },
}

/// `Retry-After`: seconds, or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// Classify an HTTP answer to a submit.
pub fn classify(status: u16, retry_after: Option<Duration>, body: &[u8]) -> SendOutcome {
    let retry = || SendOutcome::Retry {
        reason: DeliveryProblem::from_http(Some(status)).code().to_owned(),
        status: Some(status),
        retry_after,
    };
    match status {
        // An acceptance the app cannot read is not yet an acceptance: send again (idempotent).
        200 | 201 => serde_json::from_slice(body).map_or_else(|_| retry(), SendOutcome::Accepted),
        401 | 408 | 429 => retry(),
        // The region receives sealed reports only: the report waits for a key list to seal it
        // with (it is never rejected for what the device can still do).
        422 if seal_required(body) => SendOutcome::Retry {
            reason: DeliveryProblem::SealKeys.code().to_owned(),
            status: Some(status),
            retry_after,
        },
        400..=499 => SendOutcome::Rejected {
            status,
            body: serde_json::from_slice(body)
                .unwrap_or_else(|_| ErrorBody::new(status, "", format!("HTTP {status}"), Vec::new())),
        },
        // 5xx, a redirect (never followed), 1xx and anything odd: not the report's fault.
        _ => retry(),
    }
}

/// Whether a refusal's only broken rule is `seal_required`.
fn seal_required(body: &[u8]) -> bool {
    serde_json::from_slice::<ErrorBody>(body)
        .is_ok_and(|b| !b.fields.is_empty() && b.fields.iter().all(|f| f.rule == meldcode::Rule::SealRequired))
}

/// What an answer to `GET /api/v1/reports/{id}/status` means for an accepted report.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusAnswer {
    /// 200 with a body the app can read: the server's status.
    Status(StatusBody),
    /// 404 with the server's JSON error: the server does not have the report (it was put back
    /// from an older copy). A 404 that is not the server's own error body (a proxy's page) says
    /// nothing about the report and counts as [`StatusAnswer::Later`].
    Lost,
    /// Anything else (no answer, 401, 5xx, a redirect, an unreadable 200): ask again later.
    Later(DeliveryProblem),
}

/// Classify an answer to a status poll (`None`: no answer at all).
pub fn classify_status(status: Option<u16>, body: &[u8]) -> StatusAnswer {
    let later = || StatusAnswer::Later(DeliveryProblem::from_http(status));
    match status {
        Some(200) => serde_json::from_slice(body).map_or_else(|_| later(), StatusAnswer::Status),
        Some(404) if serde_json::from_slice::<ErrorBody>(body).is_ok() => StatusAnswer::Lost,
        _ => later(),
    }
}

/// The first retry waits this long; every next one twice as long.
pub const BACKOFF_BASE: Duration = Duration::from_secs(5);
/// Never wait longer than this between attempts (the pharmacist sees the report is waiting).
pub const BACKOFF_MAX: Duration = Duration::from_secs(15 * 60);
/// A `Retry-After` longer than this is capped.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(60 * 60);

/// The wait before the next attempt after `failed` failed attempts (1 = the first failure):
/// 5 s, 10 s, 20 s, … capped at 15 min; a `Retry-After` replaces it (capped at 1 h).
pub fn backoff(failed: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(ra) = retry_after {
        return ra.min(RETRY_AFTER_MAX);
    }
    let exp = failed.saturating_sub(1).min(20);
    BACKOFF_BASE.saturating_mul(1u32 << exp).min(BACKOFF_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_its_cap_and_obeys_retry_after() {
        let secs: Vec<u64> = (1..=10).map(|n| backoff(n, None).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
        assert_eq!(backoff(1, Some(Duration::from_secs(120))), Duration::from_secs(120));
        assert_eq!(backoff(3, Some(Duration::from_secs(99_999))), RETRY_AFTER_MAX);
        assert_eq!(backoff(u32::MAX, None), BACKOFF_MAX);
    }

    /// A sealed region refuses report v1 with `seal_required`: the report waits for keys (it is
    /// not rejected, so it is never left for the pharmacist to delete); any other 422 rejects.
    #[test]
    fn seal_required_keeps_the_report_waiting_for_keys() {
        let body = |rule: &str| {
            serde_json::json!({"error": "x", "fields": [{"path": "/schema_version", "rule": rule, "message": "m"}]})
                .to_string()
        };
        match classify(422, None, body("seal_required").as_bytes()) {
            SendOutcome::Retry { reason, .. } => assert_eq!(reason, DeliveryProblem::SealKeys.code()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(422, None, body("schema_version").as_bytes()),
            SendOutcome::Rejected { .. }
        ));
    }

    #[test]
    fn answers_are_classified_by_the_contract() {
        let retry = |s: u16| matches!(classify(s, None, b"{}"), SendOutcome::Retry { .. });
        for s in [401, 408, 429, 500, 502, 503] {
            assert!(retry(s), "{s} is retried");
        }
        let body = br#"{"error":"invalid report","fields":[{"path":"/person/bsn","rule":"elfproef","message":"x"}]}"#;
        match classify(422, None, body) {
            SendOutcome::Rejected { status: 422, body } => assert_eq!(body.fields.len(), 1),
            other => panic!("422 must be rejected: {other:?}"),
        }
        // The server's RFC 9457 problem details: the same `error` and `fields`, more members.
        let problem = br#"{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"invalid report","error":"invalid report","fields":[{"path":"/person/bsn","rule":"elfproef","message":"x"}]}"#;
        match classify(422, None, problem) {
            SendOutcome::Rejected { status: 422, body } => {
                assert_eq!(
                    (body.error.as_str(), body.fields.len(), body.status),
                    ("invalid report", 1, 422)
                )
            }
            other => panic!("a problem body must be read: {other:?}"),
        }
        assert!(matches!(
            classify(409, None, b"not json"),
            SendOutcome::Rejected { status: 409, .. }
        ));
        assert!(matches!(classify(201, None, b"garbage"), SendOutcome::Retry { .. }));
    }

    /// Only the server saying it does not have the report makes it lost: a 503 (or no answer,
    /// or a proxy's 404 page) is a reason to ask again later, never to give up or resend.
    #[test]
    fn status_answers_are_classified_by_the_contract() -> Result<(), serde_json::Error> {
        let id = uuid::Uuid::new_v4();
        let body = serde_json::to_vec(&serde_json::json!({
            "id": id, "kind": "melding", "status": "forwarded", "vt_region": "VT01",
            "history": [{"status": "received", "at": "2026-12-01T09:00:00Z"}],
            "retained_until": "2027-05-30T09:00:00Z"
        }))?;
        match classify_status(Some(200), &body) {
            StatusAnswer::Status(b) => {
                assert_eq!((b.id, b.status), (id, meldcode::Status::Forwarded));
                assert_eq!(
                    b.retained_until.map(|t| t.to_rfc3339()).as_deref(),
                    Some("2027-05-30T09:00:00+00:00")
                );
            }
            other => panic!("a 200 is a status: {other:?}"),
        }
        let not_found = br#"{"error":"not found","fields":[]}"#;
        assert_eq!(classify_status(Some(404), not_found), StatusAnswer::Lost);
        let later = |s: Option<u16>, b: &[u8]| match classify_status(s, b) {
            StatusAnswer::Later(p) => Some(p),
            _ => None,
        };
        assert_eq!(later(Some(503), not_found), Some(DeliveryProblem::ServerBusy));
        assert_eq!(later(None, b""), Some(DeliveryProblem::Unreachable));
        assert_eq!(later(Some(401), not_found), Some(DeliveryProblem::NotLinked));
        assert_eq!(later(Some(302), b""), Some(DeliveryProblem::Redirected));
        assert_eq!(later(Some(200), b"garbage"), Some(DeliveryProblem::Unreadable));
        assert_eq!(
            later(Some(404), b"<html>Not Found</html>"),
            Some(DeliveryProblem::ServerBusy)
        );
        Ok(())
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = Utc::now();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        let later = (now + chrono::Duration::seconds(30)).to_rfc2822();
        let d = parse_retry_after(&later, now).map(|d| d.as_secs());
        assert!(matches!(d, Some(29..=30)), "{d:?}");
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
