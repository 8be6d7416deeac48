//! Malformed path and query parameters of the web pages: a Dutch page that names the parameter
//! and its rule for a browser, the API's JSON error for any other client.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use meldcode::FieldError;
use serde::de::DeserializeOwned;

use super::pages::{Who, error_page, message, wants_page};
use super::params::ApiPath;
use crate::store::inbox::{MAX_INBOX_PAGE, MAX_QUERY_CHARS};

/// [`axum::extract::Path`] for a page: a malformed value (e.g. `%FF`) is the Dutch page.
#[derive(Debug)]
pub struct PagePath<T>(pub T);

impl<T, S> FromRequestParts<S> for PagePath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match ApiPath::<T>::from_request_parts(parts, state).await {
            Ok(ApiPath(value)) => Ok(PagePath(value)),
            Err(e) if wants_page(&parts.uri, &parts.headers) => Err(error_page(e, None)),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The page for a malformed parameter: which one, and what it must be.
pub fn bad_parameter(fields: &[FieldError], who: Option<Who>) -> Response {
    let text = fields.iter().map(in_dutch).collect::<Vec<_>>().join(" ");
    message(StatusCode::BAD_REQUEST, who, "Dit adres klopt niet", &text)
}

/// One parameter's rule, in Dutch, naming the parameter as it is in the address.
fn in_dutch(field: &FieldError) -> String {
    match field.path.as_str() {
        "page" => format!("Het paginanummer (page) moet een geheel getal van 1 tot en met {MAX_INBOX_PAGE} zijn."),
        "status" => "De status (status) moet een van deze zijn: open, acknowledged (in behandeling), \
                     transferred (overgedragen), closed (gesloten) of all (alle)."
            .to_owned(),
        "q" => format!("De zoektekst (q) mag ten hoogste {MAX_QUERY_CHARS} tekens lang zijn."),
        "id" => "Het kenmerk van de melding in het adres (id) is geen geldig kenmerk.".to_owned(),
        other => {
            let rule = serde_json::to_value(field.rule)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("De waarde van {other} in het adres is ongeldig (regel: {rule}).")
        }
    }
}

#[cfg(test)]
mod tests {
    use meldcode::Rule;

    use super::*;

    #[test]
    fn each_parameter_is_named_with_its_rule_in_dutch() {
        let text = in_dutch(&FieldError::new("page", Rule::Range, "a page number from 1 to 100000"));
        assert_eq!(
            text,
            "Het paginanummer (page) moet een geheel getal van 1 tot en met 100000 zijn."
        );
        assert!(in_dutch(&FieldError::new("q", Rule::MaxLength, "x")).contains("200 tekens"));
        assert!(in_dutch(&FieldError::new("action", Rule::InvalidValue, "x")).contains("action"));
    }
}
