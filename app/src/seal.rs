//! Sealing at the counter: a finished melding or adviesvraag of a region in the signed key list
//! is sealed (age, to the region's recipients valid at `created_at` plus its recovery key) and
//! only its envelope leaves the device. The scheme key pinned at enrollment decides which lists
//! are believed; a list is never replaced by a lower version. The rules are `meldcode::sealed`'s
//! and the cryptography `masker19_seal`'s; this module decides, per report, what to send.

use chrono::{DateTime, Utc};
use meldcode::Report;
use meldcode::sealed::{KeyList, SignedList, is_sealable};

use crate::store::{Store, StoreError, keys};

/// What the device knows about sealing.
#[derive(Debug, Clone, PartialEq)]
pub enum Sealing {
    /// No scheme key pinned (enrolled without `--scheme-key`): reports go as report v1; a
    /// region that receives sealed reports only makes them wait (`seal_required`).
    NotPinned,
    /// A list verified with the pinned scheme key.
    Verified(KeyList),
    /// The server has no list and this device never had one: no region is sealed yet.
    NoneYet,
    /// The scheme key is pinned but no valid list is here (not fetched yet, a bad signature):
    /// meldingen and adviesvragen wait.
    Unavailable,
}

/// What to do with a queued melding or adviesvraag not sealed yet.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Send the report itself (its region is not sealed, or it is no melding or adviesvraag).
    Plain,
    /// Sealed: send this envelope (JSON), now and on every retry.
    Sealed(String),
    /// Wait for a valid key list (the reason shown is `DeliveryProblem::SealKeys`).
    Wait,
}

/// Pin the scheme's public key on this device (at enrollment): from now on meldingen and
/// adviesvragen are sent only sealed to a list it signed, or in clear when a verified list (or
/// the server, before it ever had one) says their region is not sealed.
pub fn pin_scheme_key(store: &Store, key: &str) -> Result<(), PinError> {
    masker19_seal::scheme_public_key(key).map_err(|e| PinError::Key(e.to_string()))?;
    store.set_setting(keys::SCHEME_KEY, key.trim())?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("{0}")]
    Key(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The state of sealing from the store.
pub fn sealing(store: &Store) -> Result<Sealing, StoreError> {
    let Some(scheme) = store.setting(keys::SCHEME_KEY)? else {
        return Ok(Sealing::NotPinned);
    };
    if let Some(json) = store.setting(keys::KEY_LIST)? {
        let verified = serde_json::from_str::<SignedList>(&json)
            .ok()
            .and_then(|s| masker19_seal::verify_list(s.list.as_bytes(), &s.signature, &scheme).ok());
        return Ok(verified.map_or(Sealing::Unavailable, Sealing::Verified));
    }
    if store.setting(keys::KEY_LIST_ABSENT)?.as_deref() == Some("1") {
        return Ok(Sealing::NoneYet);
    }
    Ok(Sealing::Unavailable)
}

/// The region a report goes to, as the server would route it: the person's gemeente, else the
/// pharmacy's, in the table of the report's year; else the region the pharmacy enrolled in.
pub fn region_of(report: &Report, pharmacy_gemeente: Option<&str>, enrolled: Option<&str>) -> Option<String> {
    let year = meldcode::amsterdam_year(report.created_at);
    meldcode::regions::route(report.gemeente.as_deref(), pharmacy_gemeente.unwrap_or(""), year)
        .map(|r| r.code.clone())
        .or_else(|| enrolled.map(str::to_owned))
}

/// Decide for one report (pure apart from sealing's randomness). The report's own checks
/// (`meldcode::parse_report`) ran when it was finished; sealing seals exactly the JSON that
/// passed them.
pub fn decide(sealing: &Sealing, report: &Report, region: Option<&str>) -> Decision {
    if !is_sealable(report) {
        return Decision::Plain;
    }
    match sealing {
        Sealing::NotPinned | Sealing::NoneYet => Decision::Plain,
        Sealing::Unavailable => Decision::Wait,
        Sealing::Verified(list) => match region {
            Some(region) if list.seals(region) => match masker19_seal::seal_report(report, region, list) {
                Ok(envelope) => Decision::Sealed(envelope.canonical_json()),
                // No key valid at created_at: wait for a list that has one.
                Err(_) => Decision::Wait,
            },
            _ => Decision::Plain,
        },
    }
}

/// Seal every queued melding and adviesvraag that can be sealed now; the ids that must wait.
/// Called when a report is finished and on every sync.
pub fn seal_pending(store: &Store, _now: DateTime<Utc>) -> Result<Vec<uuid::Uuid>, StoreError> {
    let sealing = sealing(store)?;
    let pharmacy = store.setting(keys::PHARMACY_GEMEENTE)?;
    let enrolled = store.setting(keys::PHARMACY_REGION)?;
    let mut waiting = Vec::new();
    for (id, json) in store.unsealed()? {
        let Ok(report) = serde_json::from_str::<Report>(&json) else {
            continue;
        };
        let region = region_of(&report, pharmacy.as_deref(), enrolled.as_deref());
        match decide(&sealing, &report, region.as_deref()) {
            Decision::Sealed(envelope) => {
                store.set_envelope(id, &envelope)?;
            }
            Decision::Wait => waiting.push(id),
            Decision::Plain => {}
        }
    }
    Ok(waiting)
}

/// A list fetched from the server, checked before it replaces the one held: the signature with
/// the pinned scheme key, its rules, and a version not below the one held (the same version only
/// with the same bytes).
pub fn accept_list(held: Option<&SignedList>, fetched: &SignedList, scheme: &str) -> Result<(), ListRefused> {
    let new = masker19_seal::verify_list(fetched.list.as_bytes(), &fetched.signature, scheme)
        .map_err(|e| ListRefused(e.to_string()))?;
    if let Some(held) = held
        && let Ok(old) = KeyList::parse(held.list.as_bytes())
        && (new.version < old.version || (new.version == old.version && held.list != fetched.list))
    {
        return Err(ListRefused(format!(
            "version {} does not replace version {} held",
            new.version, old.version
        )));
    }
    Ok(())
}

/// Why a fetched list was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ListRefused(pub String);

#[cfg(test)]
mod tests;
