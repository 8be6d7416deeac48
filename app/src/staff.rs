//! The pharmacy team in the device's encrypted store (`meldcode::staff` has the rules).

use meldcode::staff::StaffMember;

use crate::store::{Store, StoreError, keys};

/// The team saved on this device (none yet: empty).
pub fn load(store: &Store) -> Result<Vec<StaffMember>, StoreError> {
    match store.setting(keys::STAFF)? {
        Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::Damaged(format!("staff: {e}"))),
        None => Ok(Vec::new()),
    }
}

pub fn save(store: &Store, team: &[StaffMember]) -> Result<(), StoreError> {
    let json = serde_json::to_string(team).map_err(|e| StoreError::Damaged(e.to_string()))?;
    store.set_setting(keys::STAFF, &json)
}

#[cfg(test)]
mod tests {
    use meldcode::ReporterRole;
    use meldcode::dates::Reachable;

    use super::*;

    #[test]
    fn the_team_survives_a_restart_in_the_encrypted_store() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let team = vec![StaffMember {
            name: "A. de Apotheker".into(),
            role: ReporterRole::Pharmacist,
            phone: "020-1234567".into(),
            reachable: Reachable::UntilClosing,
        }];
        {
            let store = Store::open_dir(dir.path(), false)?;
            assert!(load(&store)?.is_empty());
            save(&store, &team)?;
        }
        let store = Store::open_dir(dir.path(), false)?;
        assert_eq!(load(&store)?, team);
        Ok(())
    }
}
