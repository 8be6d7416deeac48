//! The region key list: per Veilig Thuis region the age recipients a report is sealed to, each
//! valid for a period, and the region's recovery key. The scheme signs each version (minisign);
//! the signature is checked by the `masker19-seal` crate, the rules here.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `{"version", "issued_at", "regions": {"VT20": {"recipients": [...], "recovery": "age1…"}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    pub version: u64,
    pub issued_at: DateTime<Utc>,
    pub regions: BTreeMap<String, RegionKeys>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionKeys {
    pub recipients: Vec<Recipient>,
    /// The key the region keeps offline: every report is sealed to it too, so a lost working key
    /// loses nothing. Optional in the JSON only so that its absence is named, not a parse error.
    #[serde(default)]
    pub recovery: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The key's name, e.g. `vt20-2026a`.
    pub id: String,
    /// The age X25519 recipient, `age1…`.
    pub age: String,
    pub valid_from: DateTime<Utc>,
    /// Open-ended when absent.
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
}

/// Why a key list is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListProblem {
    #[error("the list is not valid JSON of the key list's shape: {0}")]
    Malformed(String),
    #[error("version must be 1 or more")]
    Version,
    #[error("{0} is not a Veilig Thuis region")]
    UnknownRegion(String),
    #[error("region {0} has no recovery key")]
    NoRecovery(String),
    #[error("region {0} has no recipients")]
    NoRecipients(String),
    #[error("region {region}: recipient {id:?} is not an age X25519 recipient (age1…)")]
    MalformedRecipient { region: String, id: String },
    #[error("region {region}: recipient {id:?} is valid until before it is valid from")]
    Period { region: String, id: String },
    #[error("region {region}: the key id {id:?} appears twice")]
    DuplicateId { region: String, id: String },
    #[error("version {got} is not above the version held, {held}")]
    NotNewer { got: u64, held: u64 },
}

/// Whether `s` has the shape of an age X25519 recipient: `age1` and 58 lowercase bech32
/// characters. The `masker19-seal` crate parses it fully.
pub fn looks_like_recipient(s: &str) -> bool {
    const BECH32: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    s.len() == 62 && s.starts_with("age1") && s[4..].chars().all(|c| BECH32.contains(c))
}

/// Why no recipients can be chosen for a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRecipients {
    #[error("region {0} is not in the key list")]
    RegionNotListed(String),
    #[error("region {0} has no key valid at the report's created_at")]
    NoneValid(String),
}

impl KeyList {
    /// Parse a list's bytes and check its rules (not its signature).
    pub fn parse(bytes: &[u8]) -> Result<KeyList, ListProblem> {
        let list: KeyList = serde_json::from_slice(bytes).map_err(|e| ListProblem::Malformed(e.to_string()))?;
        list.check()?;
        Ok(list)
    }

    /// The rules of a list: known regions, each with a recovery key and at least one recipient,
    /// every key of the right shape, periods in order, key ids unique per region.
    pub fn check(&self) -> Result<(), ListProblem> {
        if self.version == 0 {
            return Err(ListProblem::Version);
        }
        for (code, keys) in &self.regions {
            if crate::regions::latest().region(code).is_none() {
                return Err(ListProblem::UnknownRegion(code.clone()));
            }
            let recovery = keys
                .recovery
                .as_deref()
                .ok_or_else(|| ListProblem::NoRecovery(code.clone()))?;
            if !looks_like_recipient(recovery) {
                return Err(ListProblem::MalformedRecipient {
                    region: code.clone(),
                    id: "recovery".into(),
                });
            }
            if keys.recipients.is_empty() {
                return Err(ListProblem::NoRecipients(code.clone()));
            }
            let mut seen = std::collections::BTreeSet::new();
            for r in &keys.recipients {
                let named = || (code.clone(), r.id.clone());
                if !looks_like_recipient(&r.age) {
                    let (region, id) = named();
                    return Err(ListProblem::MalformedRecipient { region, id });
                }
                if r.valid_until.is_some_and(|until| until <= r.valid_from) {
                    let (region, id) = named();
                    return Err(ListProblem::Period { region, id });
                }
                if !seen.insert(r.id.as_str()) {
                    let (region, id) = named();
                    return Err(ListProblem::DuplicateId { region, id });
                }
            }
        }
        Ok(())
    }

    /// A list may replace the one held only with a higher version (never a downgrade or a replay).
    pub fn may_replace(&self, held: Option<u64>) -> Result<(), ListProblem> {
        match held {
            Some(held) if self.version <= held => Err(ListProblem::NotNewer {
                got: self.version,
                held,
            }),
            _ => Ok(()),
        }
    }

    /// Whether reports of `region` are sealed.
    pub fn seals(&self, region: &str) -> bool {
        self.regions.contains_key(region)
    }

    /// The age recipients a report of `region` created at `at` is sealed to: every recipient
    /// valid then (`valid_from <= at < valid_until`) and the region's recovery key, last.
    pub fn recipients_for(&self, region: &str, at: DateTime<Utc>) -> Result<Vec<&str>, NoRecipients> {
        let keys = self
            .regions
            .get(region)
            .ok_or_else(|| NoRecipients::RegionNotListed(region.to_owned()))?;
        let mut chosen: Vec<&str> = keys
            .recipients
            .iter()
            .filter(|r| r.valid_from <= at && r.valid_until.is_none_or(|until| at < until))
            .map(|r| r.age.as_str())
            .collect();
        let recovery = keys.recovery.as_deref();
        if chosen.is_empty() || recovery.is_none() {
            return Err(NoRecipients::NoneValid(region.to_owned()));
        }
        chosen.extend(recovery);
        Ok(chosen)
    }
}
