//! Where reports and webhooks may be sent: https anywhere, plain http only on this machine.
//! The one rule for the app's server address and the server's webhook URLs.

use std::net::IpAddr;

use url::{Host, Url};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("not a web address")]
    Invalid,
    #[error("plain http is allowed only on this computer (localhost); use https")]
    PlainHttp,
    #[error("only https addresses are allowed")]
    Scheme,
}

/// Parse `text` as an endpoint: `https://…`, or `http://` to `localhost`, `127.0.0.0/8` or
/// `[::1]`.
pub fn parse_https_or_loopback(text: &str) -> Result<Url, EndpointError> {
    let url = Url::parse(text.trim()).map_err(|_| EndpointError::Invalid)?;
    if url.host().is_none() || url.cannot_be_a_base() {
        return Err(EndpointError::Invalid);
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(EndpointError::PlainHttp),
        _ => Err(EndpointError::Scheme),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(parse_https_or_loopback("https://meld.example.nl").is_ok());
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://LOCALHOST:3000",
            "http://[::1]:9",
            "http://127.8.0.1",
        ] {
            assert!(parse_https_or_loopback(ok).is_ok(), "{ok}");
        }
        for (bad, e) in [
            ("http://meld.example.nl", EndpointError::PlainHttp),
            ("http://10.0.0.1", EndpointError::PlainHttp),
            ("http://localhost.evil.nl", EndpointError::PlainHttp),
            ("ftp://x.nl", EndpointError::Scheme),
            ("meld.example.nl", EndpointError::Invalid),
            ("mailto:a@b.nl", EndpointError::Invalid),
            ("", EndpointError::Invalid),
        ] {
            assert_eq!(parse_https_or_loopback(bad), Err(e), "{bad}");
        }
    }
}
