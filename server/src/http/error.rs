//! Every API error is an RFC 9457 problem (`application/problem+json`): `type`, `title`,
//! `status`, `detail`, and `{"error": ..., "fields": [...]}` as before, with the contract's status.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use meldcode::api::ErrorBody;
use meldcode::{FieldError, Rejection, Rule};

use crate::db::StoreError;
use crate::store::intake::Refusal;

/// The media type of every API error.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Seconds a client should wait after a fault of the server itself.
pub const RETRY_AFTER_UNAVAILABLE: u64 = 5;
/// Seconds a client should wait when every password check slot is taken.
pub const RETRY_AFTER_BUSY: u64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("missing, unknown or revoked credentials")]
    Unauthorized,
    /// The right password of a user with a second factor, without its code (`401`, `/code`).
    #[error("the code of the second factor is required")]
    CodeRequired,
    /// The right password with a wrong, replayed or used-up code (`401`, `/code`).
    #[error("the code of the second factor is wrong or was used before")]
    CodeInvalid,
    /// The right password of a user who has not set up a second factor (`403`): the first sign-in
    /// on the login page sets it up.
    #[error("set up a second factor first: sign in once on the login page")]
    SecondFactorSetupRequired,
    #[error("this role may not do that")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("the body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("the body did not arrive within {0} seconds")]
    RequestTimeout(u64),
    #[error("the body must be sent as Content-Type: application/json")]
    UnsupportedMediaType,
    /// A body that is not JSON but must be sent as the media type named (`415`).
    #[error("the body must be sent as Content-Type: {0}")]
    MediaTypeRequired(&'static str),
    #[error("{0}")]
    BadRequest(String),
    #[error("the request breaks {} rule(s)", .0.len())]
    Invalid(Vec<FieldError>),
    /// A path or query parameter that cannot be what it names (`400`, with the field).
    #[error("a path or query parameter is malformed")]
    BadParameter(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again later")]
    TooManyRequests { retry_after: u64 },
    #[error("the server cannot store this right now; nothing was lost, try again")]
    Unavailable(#[from] StoreError),
    #[error("too many password checks at once; try again in a moment")]
    PasswordChecksBusy,
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> ApiError {
        let field = |path: &str, rule| ApiError::Invalid(vec![FieldError::new(path, rule, r.to_string())]);
        match &r {
            Refusal::NotFound => ApiError::NotFound,
            Refusal::NotAllowed(..) => ApiError::Conflict(r.to_string()),
            Refusal::Invalid(problems) => {
                ApiError::Invalid(meldcode::intake::field_errors(problems, meldcode::Lang::En))
            }
            Refusal::Purged => field("", Rule::PersonalDataPurged),
            Refusal::ResealRequired => field("/sealed", Rule::ResealRequired),
            Refusal::NotSealed => field("/sealed", Rule::InvalidValue),
            Refusal::Sealed(fields) => ApiError::Invalid(fields.clone()),
        }
    }
}

impl From<Rejection> for ApiError {
    fn from(r: Rejection) -> ApiError {
        match r {
            Rejection::Malformed(msg) => ApiError::BadRequest(msg),
            Rejection::Invalid(fields) => ApiError::Invalid(fields),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::Unauthorized | ApiError::CodeRequired | ApiError::CodeInvalid => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::SecondFactorSetupRequired => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType | ApiError::MediaTypeRequired(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::BadRequest(_) | ApiError::BadParameter(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::PasswordChecksBusy => StatusCode::SERVICE_UNAVAILABLE,
        };
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after } => Some(*retry_after),
            ApiError::Unavailable(e) => {
                // The cause goes to the log, never to the client; the log holds no report content.
                tracing::error!(error = %e, "store fault, answering 503");
                Some(RETRY_AFTER_UNAVAILABLE)
            }
            ApiError::PasswordChecksBusy => Some(RETRY_AFTER_BUSY),
            _ => None,
        };
        let error = self.to_string();
        let fields = match self {
            ApiError::Invalid(fields) | ApiError::BadParameter(fields) => fields,
            ApiError::CodeRequired => vec![FieldError::new("/code", Rule::Required, error.clone())],
            ApiError::CodeInvalid => vec![FieldError::new("/code", Rule::Invalid, error.clone())],
            ApiError::SecondFactorSetupRequired => {
                vec![FieldError::new("/code", Rule::SecondFactorSetupRequired, error.clone())]
            }
            _ => Vec::new(),
        };
        let title = status.canonical_reason().unwrap_or("Error");
        let body = ErrorBody::new(status.as_u16(), title, error, fields);
        let mut response = (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
            Json(body),
        )
            .into_response();
        if matches!(status, StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT) {
            // The rest of the body is not read: the connection cannot be reused.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
