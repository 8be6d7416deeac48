//! The server address (https, or http on loopback only) and settings from the environment.

use meldcode::endpoint::{EndpointError, parse_https_or_loopback};
use url::Url;

/// Why a server address is refused (the rule is `meldcode::endpoint`'s).
pub type AddressError = EndpointError;

/// A checked server base address, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl(Url);

impl ServerUrl {
    /// `https://…`, or `http://` to `localhost`, `127.0.0.0/8` or `[::1]`
    /// ([`parse_https_or_loopback`]).
    pub fn parse(text: &str) -> Result<ServerUrl, AddressError> {
        parse_https_or_loopback(text).map(ServerUrl)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// `base` + `path` (`path` starts with `/`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.as_str())
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
    fn the_server_address_follows_the_endpoint_rule() {
        assert_eq!(
            ServerUrl::parse("https://meld.example.nl/").map(|u| u.join("/api/v1/enroll")),
            Ok("https://meld.example.nl/api/v1/enroll".to_owned())
        );
        assert!(ServerUrl::parse("http://127.0.0.1:8080").is_ok());
        assert_eq!(ServerUrl::parse("http://meld.example.nl"), Err(AddressError::PlainHttp));
    }
}
