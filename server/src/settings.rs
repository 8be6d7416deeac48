//! Settings beyond the CLI, from `MASKER19_*` environment variables (all listed in README.md, "Settings").

use std::net::IpAddr;

use chrono::Duration;
use ipnet::IpNet;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Days after `closed` before personal data is purged.
    pub retention_closed_days: i64,
    /// Days after receipt before personal data is purged, whatever the state.
    pub retention_max_days: i64,
    /// Test only: multiply the forwarder's retry waits (e.g. 0.00001 walks all seven in a second).
    pub retry_scale: f64,
    /// Test only: store in plain SQLite, so a test can search the raw file for purged data.
    pub plaintext_db: bool,
    /// Test only: the statistics' today lies this many days after the real one
    /// (`MASKER19_TEST_STATS_DAYS_AHEAD`), so a test can watch later periods get published.
    pub stats_days_ahead: i64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`MASKER19_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpNet>,
    /// The address people use, e.g. `https://masker19.example.nl` (`MASKER19_PUBLIC_URL`): the
    /// only origin the web forms accept, and with https the server sends HSTS.
    pub public_url: Option<url::Url>,
    /// The SMTP server for notices of new reports (`MASKER19_SMTP_*`); `None`: notices wait.
    pub smtp: Option<SmtpSettings>,
    /// The bearer token of `GET /metrics` (`MASKER19_METRICS_TOKEN`); `None`: no metrics at all.
    pub metrics_token: Option<String>,
}

/// How the SMTP connection is protected (`MASKER19_SMTP_TLS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP: only to a server on this machine (loopback).
    None,
    /// STARTTLS required (default; port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// `MASKER19_SMTP_HOST`, `_PORT`, `_FROM`, `_USERNAME`, `_PASSWORD`, `_TLS`.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub from: String,
    /// `(username, password)`.
    pub credentials: Option<(String, String)>,
    pub tls: SmtpTls,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.credentials.as_ref().map(|(u, _)| u))
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl SmtpSettings {
    /// From the environment; `None` when `MASKER19_SMTP_HOST` is not set.
    pub fn from_env() -> anyhow::Result<Option<SmtpSettings>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let Some(host) = var("MASKER19_SMTP_HOST") else {
            return Ok(None);
        };
        let tls = match var("MASKER19_SMTP_TLS").as_deref().map(str::trim) {
            None | Some("starttls") => SmtpTls::StartTls,
            Some("tls") => SmtpTls::Tls,
            Some("none") => SmtpTls::None,
            Some(other) => anyhow::bail!("MASKER19_SMTP_TLS must be none, starttls or tls, got {other:?}"),
        };
        SmtpSettings::new(
            host.trim(),
            var("MASKER19_SMTP_PORT").as_deref(),
            var("MASKER19_SMTP_FROM"),
            (var("MASKER19_SMTP_USERNAME"), var("MASKER19_SMTP_PASSWORD")),
            tls,
        )
        .map(Some)
    }

    fn new(
        host: &str,
        port: Option<&str>,
        from: Option<String>,
        (username, password): (Option<String>, Option<String>),
        tls: SmtpTls,
    ) -> anyhow::Result<SmtpSettings> {
        if tls == SmtpTls::None && !is_loopback(host) {
            anyhow::bail!(
                "MASKER19_SMTP_TLS=none sends mail unprotected: allowed only to this machine (localhost, 127.0.0.0/8, ::1), not {host}"
            );
        }
        let port = match port {
            Some(p) => p
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| anyhow::anyhow!("MASKER19_SMTP_PORT must be a port number, got {p:?}"))?,
            None => match tls {
                SmtpTls::None => 25,
                SmtpTls::StartTls => 587,
                SmtpTls::Tls => 465,
            },
        };
        let Some(from) = from else {
            anyhow::bail!(
                "MASKER19_SMTP_FROM (the sender, e.g. masker19@example.nl) is needed with MASKER19_SMTP_HOST"
            );
        };
        if let Err(e) = from.trim().parse::<lettre::message::Mailbox>() {
            anyhow::bail!("MASKER19_SMTP_FROM {from:?} is not an e-mail address: {e}");
        }
        let credentials = match (username, password) {
            (Some(u), Some(p)) => Some((u, p)),
            (None, None) => None,
            _ => anyhow::bail!("MASKER19_SMTP_USERNAME and MASKER19_SMTP_PASSWORD go together"),
        };
        Ok(SmtpSettings {
            host: host.to_owned(),
            port,
            from: from.trim().to_owned(),
            credentials,
            tls,
        })
    }
}

/// `localhost`, or an IP address on loopback.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Settings {
    /// The retention periods, as the status bodies announce them.
    pub fn retention(&self) -> meldcode::api::Retention {
        meldcode::api::Retention {
            after_closed: chrono::Duration::days(self.retention_closed_days),
            at_most: chrono::Duration::days(self.retention_max_days),
        }
    }

    pub fn from_env() -> anyhow::Result<Settings> {
        let test_settings_allowed = cfg!(debug_assertions) || env_flag("MASKER19_ALLOW_TEST_SETTINGS");
        let retry_scale = match std::env::var("MASKER19_TEST_RETRY_SCALE") {
            Ok(v) if !test_settings_allowed => {
                anyhow::bail!(
                    "MASKER19_TEST_RETRY_SCALE={v} is test-only: a release build needs MASKER19_ALLOW_TEST_SETTINGS=1"
                )
            }
            Ok(v) => v
                .parse::<f64>()
                .ok()
                .filter(|s| (0.0..=1.0).contains(s))
                .ok_or_else(|| anyhow::anyhow!("MASKER19_TEST_RETRY_SCALE must be a number from 0 to 1"))?,
            Err(_) => 1.0,
        };
        let plaintext_db = env_flag("MASKER19_TEST_PLAINTEXT_DB");
        if plaintext_db && !test_settings_allowed {
            anyhow::bail!(
                "MASKER19_TEST_PLAINTEXT_DB is test-only: a release build needs MASKER19_ALLOW_TEST_SETTINGS=1"
            );
        }
        let stats_days_ahead = match std::env::var("MASKER19_TEST_STATS_DAYS_AHEAD") {
            Ok(v) if !test_settings_allowed => anyhow::bail!(
                "MASKER19_TEST_STATS_DAYS_AHEAD={v} is test-only: a release build needs MASKER19_ALLOW_TEST_SETTINGS=1"
            ),
            Ok(v) => v
                .parse::<i64>()
                .ok()
                .filter(|d| (0..=3660).contains(d))
                .ok_or_else(|| {
                    anyhow::anyhow!("MASKER19_TEST_STATS_DAYS_AHEAD must be a number of days from 0 to 3660")
                })?,
            Err(_) => 0,
        };
        Ok(Settings {
            plaintext_db,
            stats_days_ahead,
            retention_closed_days: env_days("MASKER19_RETENTION_CLOSED_DAYS", 30)?,
            retention_max_days: env_days("MASKER19_RETENTION_MAX_DAYS", 180)?,
            retry_scale,
            trusted_proxies: match std::env::var("MASKER19_TRUSTED_PROXIES") {
                Ok(v) => parse_trusted_proxies(&v)?,
                Err(_) => Vec::new(),
            },
            public_url: match std::env::var("MASKER19_PUBLIC_URL") {
                Ok(v) if !v.trim().is_empty() => Some(parse_public_url(&v)?),
                _ => None,
            },
            smtp: SmtpSettings::from_env()?,
            metrics_token: match std::env::var("MASKER19_METRICS_TOKEN") {
                Ok(v) if v.trim().chars().count() >= 16 => Some(v.trim().to_owned()),
                Ok(v) if !v.trim().is_empty() => {
                    anyhow::bail!("MASKER19_METRICS_TOKEN needs at least 16 characters (a random token)")
                }
                _ => None,
            },
        })
    }

    /// The public URL's origin (`https://host[:port]`), when one is set.
    pub fn public_origin(&self) -> Option<String> {
        self.public_url.as_ref().map(|u| u.origin().ascii_serialization())
    }

    /// HSTS only makes sense where people reach the server over https.
    pub fn https(&self) -> bool {
        self.public_url.as_ref().is_some_and(|u| u.scheme() == "https")
    }

    pub fn scale_retry(&self, wait: Duration) -> Duration {
        if self.retry_scale >= 1.0 {
            return wait;
        }
        Duration::milliseconds((wait.num_milliseconds() as f64 * self.retry_scale) as i64)
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            retention_closed_days: 30,
            retention_max_days: 180,
            retry_scale: 1.0,
            plaintext_db: false,
            stats_days_ahead: 0,
            trusted_proxies: Vec::new(),
            public_url: None,
            smtp: None,
            metrics_token: None,
        }
    }
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn env_days(name: &str, default: i64) -> anyhow::Result<i64> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d))
            .ok_or_else(|| anyhow::anyhow!("{name} must be a whole number of days from 0 to 3650, got {v:?}")),
        Err(_) => Ok(default),
    }
}

/// `127.0.0.1, 10.0.0.0/8, ::1`: addresses or CIDR blocks, comma-separated.
pub fn parse_trusted_proxies(value: &str) -> anyhow::Result<Vec<IpNet>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| anyhow::anyhow!("MASKER19_TRUSTED_PROXIES: {s:?} is not an IP address or CIDR block"))
        })
        .collect()
}

fn parse_public_url(value: &str) -> anyhow::Result<url::Url> {
    let url = url::Url::parse(value.trim())
        .map_err(|e| anyhow::anyhow!("MASKER19_PUBLIC_URL: {value:?} is not a URL: {e}"))?;
    match url.scheme() {
        "https" | "http" if url.host().is_some() => Ok(url),
        _ => anyhow::bail!("MASKER19_PUBLIC_URL must be an http(s) URL such as https://masker19.example.nl"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_take_addresses_and_blocks() -> anyhow::Result<()> {
        let nets = parse_trusted_proxies(" 127.0.0.1, 10.0.0.0/8,::1 ,")?;
        assert_eq!(nets.len(), 3);
        assert!(nets[0].contains(&"127.0.0.1".parse::<IpAddr>()?));
        assert!(!nets[0].contains(&"127.0.0.2".parse::<IpAddr>()?));
        assert!(nets[1].contains(&"10.1.2.3".parse::<IpAddr>()?));
        assert!(parse_trusted_proxies("nginx").is_err());
        Ok(())
    }

    #[test]
    fn public_url_gives_origin_and_https() -> anyhow::Result<()> {
        let settings = Settings {
            public_url: Some(parse_public_url("https://masker19.example.nl/")?),
            ..Settings::default()
        };
        assert_eq!(settings.public_origin().as_deref(), Some("https://masker19.example.nl"));
        assert!(settings.https());
        assert!(!Settings::default().https());
        assert!(parse_public_url("ftp://x").is_err());
        Ok(())
    }

    #[test]
    fn plain_smtp_only_to_loopback_and_ports_follow_the_tls_mode() -> anyhow::Result<()> {
        let from = || Some("masker19@example.nl".to_owned());
        let none = (None, None);
        assert!(SmtpSettings::new("smtp.example.nl", None, from(), none.clone(), SmtpTls::None).is_err());
        assert_eq!(
            SmtpSettings::new("127.0.0.1", None, from(), none.clone(), SmtpTls::None)?.port,
            25
        );
        assert!(SmtpSettings::new("[::1]", Some("2525"), from(), none.clone(), SmtpTls::None).is_ok());
        assert!(SmtpSettings::new("localhost", None, from(), none.clone(), SmtpTls::None).is_ok());
        assert_eq!(
            SmtpSettings::new("smtp.example.nl", None, from(), none.clone(), SmtpTls::StartTls)?.port,
            587
        );
        assert_eq!(
            SmtpSettings::new("smtp.example.nl", None, from(), none.clone(), SmtpTls::Tls)?.port,
            465
        );
        assert!(SmtpSettings::new("smtp.example.nl", None, None, none.clone(), SmtpTls::Tls).is_err());
        let bad_from = Some("niet een adres".to_owned());
        assert!(SmtpSettings::new("smtp.example.nl", None, bad_from, none.clone(), SmtpTls::Tls).is_err());
        assert!(SmtpSettings::new("smtp.example.nl", Some("x"), from(), none, SmtpTls::Tls).is_err());
        let half = (Some("user".to_owned()), None);
        assert!(SmtpSettings::new("smtp.example.nl", None, from(), half, SmtpTls::Tls).is_err());
        let both = (Some("user".to_owned()), Some("geheim-wachtwoord".to_owned()));
        let s = SmtpSettings::new("smtp.example.nl", None, from(), both, SmtpTls::Tls)?;
        assert!(!format!("{s:?}").contains("geheim"), "Debug never shows the password");
        Ok(())
    }
}
