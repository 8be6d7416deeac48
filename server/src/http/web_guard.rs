//! The web forms accept only their own origin: a POST to a page (not the bearer-token API)
//! whose `Origin` is another site — or `null`, which any site can make a browser send — gets a
//! Dutch 403 page, before the CSRF token is even looked at. The own origin is
//! `MASKER19_PUBLIC_URL`'s; without it, the `Host` the request was sent to. A request without
//! `Origin` (no browser sends a cross-site form without one) is left to the CSRF token.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::pages::message;

pub async fn same_origin_forms(State(s): State<AppState>, request: Request, next: Next) -> Response {
    let is_form_post = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && !request.uri().path().starts_with("/api/");
    if is_form_post && !same_origin(request.headers(), s.access.public_origin.as_deref()) {
        tracing::warn!(path = request.uri().path(), "a form from another origin was refused");
        return message(
            StatusCode::FORBIDDEN,
            None,
            "Geen toegang",
            "Dit formulier kwam niet van deze website. Open Masker 19 zelf en probeer het opnieuw.",
        );
    }
    next.run(request).await
}

/// Whether the request's `Origin` (if any) is the server's own.
pub fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let Ok(origin) = url::Url::parse(origin) else {
        return false; // `null`, or garbage
    };
    let origin = origin.origin();
    if let Some(public) = public_origin {
        return origin.ascii_serialization().eq_ignore_ascii_case(public);
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let scheme = match &origin {
        url::Origin::Tuple(scheme, ..) => scheme.clone(),
        url::Origin::Opaque(_) => return false,
    };
    url::Url::parse(&format!("{scheme}://{host}")).is_ok_and(|own| own.origin() == origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&'static str>, host: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static(host));
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_static(o));
        }
        h
    }

    #[test]
    fn own_origin_by_host() {
        assert!(same_origin(
            &headers(Some("http://127.0.0.1:8019"), "127.0.0.1:8019"),
            None
        ));
        assert!(same_origin(
            &headers(Some("https://m19.example.nl"), "m19.example.nl"),
            None
        ));
        assert!(same_origin(
            &headers(Some("https://m19.example.nl"), "m19.example.nl:443"),
            None
        ));
        assert!(
            same_origin(&headers(None, "127.0.0.1:8019"), None),
            "no Origin: the CSRF token decides"
        );
        assert!(!same_origin(
            &headers(Some("https://evil.example"), "m19.example.nl"),
            None
        ));
        assert!(!same_origin(
            &headers(Some("http://127.0.0.1:9999"), "127.0.0.1:8019"),
            None
        ));
        assert!(!same_origin(&headers(Some("null"), "127.0.0.1:8019"), None));
    }

    #[test]
    fn own_origin_by_public_url() {
        let public = Some("https://m19.example.nl");
        assert!(same_origin(
            &headers(Some("https://m19.example.nl"), "127.0.0.1:8019"),
            public
        ));
        assert!(!same_origin(
            &headers(Some("http://127.0.0.1:8019"), "127.0.0.1:8019"),
            public
        ));
        assert!(!same_origin(
            &headers(Some("https://m19.example.nl.evil.example"), "m19.example.nl"),
            public
        ));
    }
}
