//! Rejected reports: which can be sent again (the only broken rule was the device's clock, and
//! the clock is now right), sending one again under its own id, and deleting one (or one the
//! server lost).

use chrono::{DateTime, Utc};
use meldcode::Rule;
use rusqlite::params;
use uuid::Uuid;

use super::{LocalState, OutboxEntry, Store, StoreError, ts};

impl OutboxEntry {
    /// A rejected report whose only broken rule is the `created_at` window (a device clock that
    /// was wrong) and whose `created_at` lies in the window by this device's clock at `now`: the
    /// clock has been put right, so sending it again can succeed.
    pub fn can_resend(&self, now: DateTime<Utc>) -> bool {
        self.state == LocalState::Rejected
            && !self.wiped
            && self.rejection.as_ref().is_some_and(|body| {
                !body.fields.is_empty()
                    && body
                        .fields
                        .iter()
                        .all(|f| f.path == "/created_at" && f.rule == Rule::OutOfWindow)
            })
            && meldcode::validate::created_at_in_window(self.created_at, now)
    }
}

impl Store {
    /// Put a rejected report back in the queue, under the same id, due at `now`; `false` when it
    /// is not (or no longer) a rejected report with its personal data.
    pub fn resend_rejected(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = self.lock().execute(
            "UPDATE outbox SET state = 'queued', rejection = NULL, http_status = NULL, rejected_at = NULL,
                 next_attempt_at = ?2, last_error = NULL
             WHERE id = ?1 AND state = 'rejected' AND report IS NOT NULL",
            params![id.to_string(), ts(now)],
        )?;
        Ok(n == 1)
    }

    /// Delete a rejected report, or one the server lost, from this device (the pharmacist made it
    /// by phone); its pages are overwritten (`secure_delete`) and the WAL checkpointed. `false`
    /// when `id` is neither.
    pub fn delete_rejected(&self, id: Uuid) -> Result<bool, StoreError> {
        let n = self.lock().execute(
            "DELETE FROM outbox WHERE id = ?1 AND state IN ('rejected', 'lost')",
            [id.to_string()],
        )?;
        if n > 0 {
            self.checkpoint()?;
        }
        Ok(n == 1)
    }
}

#[cfg(test)]
mod tests {
    use meldcode::api::ErrorBody;
    use meldcode::{FieldError, Kind};

    use super::*;

    fn reason(fields: Vec<FieldError>) -> ErrorBody {
        ErrorBody::new(422, "Unprocessable Entity", "the report breaks a rule".into(), fields)
    }

    fn clock_rejected(store: &Store, ahead: chrono::Duration) -> Result<Uuid, StoreError> {
        let now = Utc::now();
        // Written on a device whose clock ran `ahead`.
        let report = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), now + ahead);
        store.enqueue(&report, now)?;
        let body = reason(vec![FieldError::new("/created_at", Rule::OutOfWindow, "in the future")]);
        store.record_rejected(report.id, 422, &body, now)?;
        Ok(report.id)
    }

    #[test]
    fn a_report_rejected_for_a_fast_clock_is_resent_under_its_id() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let id = clock_rejected(&store, chrono::Duration::minutes(10))?;
        let now = Utc::now();
        let entry = store.outbox_entry(id)?.ok_or("stored")?;
        assert!(!entry.can_resend(now), "the clock is still 10 minutes fast");
        let later = now + chrono::Duration::minutes(6);
        assert!(entry.can_resend(later), "by a right clock it is in the window again");

        assert!(store.resend_rejected(id, later)?);
        let entry = store.outbox_entry(id)?.ok_or("still stored")?;
        assert_eq!((entry.state, entry.rejection), (LocalState::Queued, None));
        let due = store.due(later)?;
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].0, id, "the same id: the server dedups a resend");
        assert!(!store.resend_rejected(id, later)?, "only a rejected report");
        Ok(())
    }

    #[test]
    fn a_report_rejected_for_other_rules_cannot_be_resent() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let now = Utc::now();
        let report = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), now);
        store.enqueue(&report, now)?;
        let body = reason(vec![
            FieldError::new("/created_at", Rule::OutOfWindow, "x"),
            FieldError::new("/person/bsn", Rule::Elfproef, "x"),
        ]);
        store.record_rejected(report.id, 422, &body, now)?;
        let entry = store.outbox_entry(report.id)?.ok_or("stored")?;
        assert!(!entry.can_resend(now), "the BSN is still wrong");
        Ok(())
    }

    #[test]
    fn a_rejected_report_can_be_deleted_and_leaves_no_trace() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let id = clock_rejected(&store, chrono::Duration::minutes(10))?;
        let queued = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), Utc::now());
        store.enqueue(&queued, Utc::now())?;
        assert!(!store.delete_rejected(queued.id)?, "a queued report is never deleted");
        assert!(store.delete_rejected(id)?);
        assert_eq!(store.outbox_entry(id)?, None);
        assert_eq!(store.report_json(id)?, None);
        assert!(store.outbox_entry(queued.id)?.is_some());
        Ok(())
    }
}
