//! The server address (https, or http on loopback only) and settings from the environment.

use std::net::IpAddr;

use url::{Host, Url};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("not a web address")]
    Invalid,
    #[error("plain http is allowed only on this computer (localhost); use https")]
    PlainHttp,
    #[error("only https addresses are allowed")]
    Scheme,
}

/// A checked server base address, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl(Url);

impl ServerUrl {
    /// `https://…`, or `http://` to `localhost`, `127.0.0.0/8` or `[::1]`.
    pub fn parse(text: &str) -> Result<ServerUrl, AddressError> {
        let url = Url::parse(text.trim()).map_err(|_| AddressError::Invalid)?;
        if url.host().is_none() || url.cannot_be_a_base() {
            return Err(AddressError::Invalid);
        }
        match url.scheme() {
            "https" => Ok(ServerUrl(url)),
            "http" if is_loopback(&url) => Ok(ServerUrl(url)),
            "http" => Err(AddressError::PlainHttp),
            _ => Err(AddressError::Scheme),
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// `base` + `path` (`path` starts with `/`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.as_str())
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

/// Settings from `MASKER19_*` variables (all listed in the README).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// A melding not in intake after this long is flagged (`MASKER19_ACK_ALERT_MINUTES`, 240).
    pub ack_alert: chrono::Duration,
    /// How often the status of accepted reports is asked (`MASKER19_POLL_SECONDS`, 60).
    pub poll_interval: chrono::Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            ack_alert: chrono::Duration::hours(4),
            poll_interval: chrono::Duration::seconds(60),
        }
    }
}

impl Settings {
    pub fn from_env() -> Settings {
        let num = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<i64>().ok());
        let d = Settings::default();
        Settings {
            ack_alert: num("MASKER19_ACK_ALERT_MINUTES")
                .filter(|m| *m > 0)
                .map_or(d.ack_alert, chrono::Duration::minutes),
            poll_interval: num("MASKER19_POLL_SECONDS")
                .filter(|s| *s > 0)
                .map_or(d.poll_interval, chrono::Duration::seconds),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(ServerUrl::parse("https://meld.example.nl").is_ok());
        assert_eq!(
            ServerUrl::parse("https://meld.example.nl/").map(|u| u.join("/api/v1/enroll")),
            Ok("https://meld.example.nl/api/v1/enroll".to_owned())
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:9",
            "http://127.8.0.1",
        ] {
            assert!(ServerUrl::parse(ok).is_ok(), "{ok}");
        }
        for (bad, e) in [
            ("http://meld.example.nl", AddressError::PlainHttp),
            ("http://10.0.0.1", AddressError::PlainHttp),
            ("http://localhost.evil.nl", AddressError::PlainHttp),
            ("ftp://x.nl", AddressError::Scheme),
            ("meld.example.nl", AddressError::Invalid),
            ("", AddressError::Invalid),
        ] {
            assert_eq!(ServerUrl::parse(bad), Err(e), "{bad}");
        }
    }
}
