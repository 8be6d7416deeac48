//! Settings beyond the CLI, from `MASKER19_*` environment variables (all listed in the README).

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
    /// Reverse proxies whose `X-Forwarded-For` names the client (`MASKER19_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpNet>,
    /// The address people use, e.g. `https://masker19.example.nl` (`MASKER19_PUBLIC_URL`): the
    /// only origin the web forms accept, and with https the server sends HSTS.
    pub public_url: Option<url::Url>,
}

impl Settings {
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
        Ok(Settings {
            plaintext_db,
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
            trusted_proxies: Vec::new(),
            public_url: None,
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
}
