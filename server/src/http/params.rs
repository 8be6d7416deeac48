//! Path and query parameters that answer the contract's JSON error (`400` with the field and
//! its rule), not axum's plain-text rejection.

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use meldcode::{FieldError, Rule};
use serde::de::DeserializeOwned;

use super::ApiError;

/// [`Path`], with its rejection as an [`ApiError::BadParameter`].
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(ApiError::BadParameter(vec![path_field(&rejection)])),
        }
    }
}

fn path_field(rejection: &PathRejection) -> FieldError {
    use axum::extract::path::ErrorKind;
    let (key, rule) = match rejection {
        PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
            ErrorKind::InvalidUtf8InPathParam { key } => (key.clone(), Rule::InvalidValue),
            ErrorKind::ParseErrorAtKey { key, .. } | ErrorKind::DeserializeError { key, .. } => {
                (key.clone(), Rule::InvalidType)
            }
            _ => ("path".to_owned(), Rule::InvalidValue),
        },
        _ => ("path".to_owned(), Rule::InvalidValue),
    };
    FieldError::new(key, rule, rejection.body_text())
}

/// The query string's `name=value` pairs, decoded (bad UTF-8 becomes U+FFFD, so a value
/// never fails to decode; each handler checks the values it knows).
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .take(MAX_QUERY_PAIRS)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Query pairs read at most (a longer query string is cut, never an error or a large map).
const MAX_QUERY_PAIRS: usize = 32;

/// A `400` for query parameter `name`.
pub fn bad_query(name: &str, rule: Rule, message: impl Into<String>) -> ApiError {
    ApiError::BadParameter(vec![FieldError::new(name, rule, message)])
}
