//! Settings beyond the CLI, from `MASKER19_*` environment variables (all listed in the README).

use chrono::Duration;

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
        })
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
