//! What an operator watches, with no personal data in any of it: Prometheus metrics, recorded
//! only when `MASKER19_METRICS_TOKEN` is set (without a recorder the counters cost nothing).
//! Counters are counted where things happen; the gauges are read from the store at each scrape.

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::store::health::Snapshot;

/// The installed recorder and the token a scraper must send.
pub struct Metrics {
    handle: PrometheusHandle,
    token: String,
}

impl Metrics {
    /// Install the process's recorder when a token is set; `None` (no metrics) otherwise.
    pub fn install(token: Option<&str>) -> anyhow::Result<Option<Metrics>> {
        let Some(token) = token else {
            return Ok(None);
        };
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        metrics::set_global_recorder(recorder).map_err(|e| anyhow::anyhow!("metrics recorder: {e}"))?;
        Ok(Some(Metrics {
            handle,
            token: token.to_owned(),
        }))
    }

    /// Whether `given` is the scraper's token (compared in constant time).
    pub fn allows(&self, given: &str) -> bool {
        crate::auth::same_secret(&self.token, given)
    }

    /// The Prometheus text, with the gauges set from `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        for d in &snapshot.deliveries {
            for (state, n) in [("pending", d.pending), ("failing", d.failing), ("dead", d.dead)] {
                metrics::gauge!("masker19_deliveries", "vt_region" => d.vt_region.clone(), "state" => state)
                    .set(n as f64);
            }
            metrics::gauge!("masker19_oldest_unacknowledged_seconds", "vt_region" => d.vt_region.clone())
                .set(d.oldest_unacknowledged_secs.unwrap_or(0) as f64);
        }
        if let Some(age) = snapshot.last_backup_age_secs {
            metrics::gauge!("masker19_last_backup_age_seconds").set(age as f64);
        }
        self.handle.render()
    }
}

/// A report was accepted (201).
pub fn report_accepted() {
    metrics::counter!("masker19_reports_accepted_total").increment(1);
}

/// A sign-in was refused: `reason` is `credentials`, `throttled` or `busy`.
pub fn sign_in_refused(reason: &'static str) {
    metrics::counter!("masker19_sign_ins_refused_total", "reason" => reason).increment(1);
}
