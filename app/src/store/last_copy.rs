//! The device as the last copy of a report: a report the server no longer has is queued again
//! (the same id, the same stored bytes) or, too old for that, kept as lost until it is deleted
//! behind the PIN; and a report that never settled is wiped when the server's keeping of it ends.

use chrono::{DateTime, Utc};
use meldcode::delivery::DeliveryProblem;
use rusqlite::params;
use uuid::Uuid;

use super::history::add_event;
use super::{Store, StoreError, ts};

/// The states of a report the server accepted and that has not settled: the ones that are polled.
const UNSETTLED: &str = "('received', 'forwarded', 'transferred')";

impl Store {
    /// The server no longer has report `id`: back in the queue, due at `now`, with its stored
    /// report untouched (so the very same bytes go out again). The problem shown meanwhile is
    /// [`DeliveryProblem::Lost`]; until when the server kept it no longer holds. `false` when it
    /// is not an accepted, unsettled report with its personal data.
    pub fn requeue_lost(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.write(|tx| {
            let n = tx.execute(
                &format!(
                    "UPDATE outbox SET state = 'queued', next_attempt_at = ?2, last_error = ?3, http_status = 404,
                         retained_until = NULL, polled_at = NULL
                     WHERE id = ?1 AND state IN {UNSETTLED} AND report IS NOT NULL"
                ),
                params![id.to_string(), ts(now), DeliveryProblem::Lost.code()],
            )?;
            if n == 1 {
                add_event(tx, id, now, "lost", "resent", Some(404))?;
            }
            Ok(n == 1)
        })
    }

    /// The server no longer has report `id` and it is too old to be sent again: it is lost, said
    /// so on screen with the number to call, never sent or polled again, and kept until it is
    /// deleted behind the PIN. `false` when it is not an accepted, unsettled report.
    pub fn mark_lost(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.write(|tx| {
            let n = tx.execute(
                &format!(
                    "UPDATE outbox SET state = 'lost', next_attempt_at = NULL, last_error = NULL, http_status = 404
                     WHERE id = ?1 AND state IN {UNSETTLED}"
                ),
                params![id.to_string()],
            )?;
            if n == 1 {
                add_event(tx, id, now, "lost", "kept", Some(404))?;
            }
            Ok(n == 1)
        })
    }

    /// Wipe the personal data of every accepted report whose `retained_until` has come by `now`
    /// (the same wipe a settled report gets; the line stays, without personal data). A report
    /// that is queued, rejected or lost is not the server's to keep and is left alone. Returns
    /// the reports wiped.
    pub fn wipe_past_retention(&self, now: DateTime<Utc>) -> Result<Vec<Uuid>, StoreError> {
        let ids = self.write(|tx| {
            let mut stmt = tx.prepare(
                "UPDATE outbox SET report = NULL, envelope = NULL, wiped_at = coalesce(wiped_at, ?1)
                 WHERE report IS NOT NULL AND retained_until IS NOT NULL AND retained_until <= ?1
                   AND state NOT IN ('queued', 'rejected', 'lost')
                 RETURNING id",
            )?;
            let rows = stmt.query_map([ts(now)], |r| r.get::<_, String>(0))?;
            let mut ids = Vec::new();
            for row in rows {
                ids.push(Uuid::parse_str(&row?).map_err(|e| StoreError::Damaged(e.to_string()))?);
            }
            Ok(ids)
        })?;
        if !ids.is_empty() {
            self.checkpoint()?;
        }
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use meldcode::{Kind, Status};

    use super::*;
    use crate::store::{HistoryEvent, LocalState};

    fn accepted(store: &Store, now: DateTime<Utc>, kept: Option<DateTime<Utc>>) -> Result<Uuid, StoreError> {
        let report = meldcode::examples::example(Kind::Melding, Uuid::new_v4(), now);
        store.enqueue(&report, now)?;
        store.record_status(report.id, Status::Forwarded, Some("VT01"), kept, now)?;
        Ok(report.id)
    }

    #[test]
    fn a_lost_report_goes_back_in_the_queue_with_its_bytes() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let now = Utc::now();
        let id = accepted(&store, now, Some(now + Duration::days(180)))?;
        let bytes = store.report_json(id)?;
        let later = now + Duration::minutes(5);
        assert!(store.requeue_lost(id, later)?);
        assert_eq!(store.due(later)?, vec![(id, bytes.ok_or("stored")?)]);
        let e = store.outbox_entry(id)?.ok_or("kept")?;
        assert_eq!(e.state, LocalState::Queued);
        assert_eq!(e.last_error.as_deref(), Some(DeliveryProblem::Lost.code()));
        assert!(!store.requeue_lost(id, later)?, "only an accepted report");
        let events: Vec<HistoryEvent> = store.history(id)?.into_iter().map(|i| i.event).collect();
        assert!(events.contains(&HistoryEvent::Lost { resent: true }), "{events:?}");
        // Queued again, it is not the server's to wipe.
        assert!(store.wipe_past_retention(now + Duration::days(365))?.is_empty());
        Ok(())
    }

    #[test]
    fn a_lost_report_too_old_to_send_is_kept_until_deleted() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let now = Utc::now();
        let id = accepted(&store, now, Some(now + Duration::days(180)))?;
        let late = now + Duration::days(31);
        assert!(store.mark_lost(id, late)?);
        let e = store.outbox_entry(id)?.ok_or("kept")?;
        assert_eq!(e.state, LocalState::Lost);
        assert!(store.due(late)?.is_empty() && store.to_poll(late, Duration::zero())?.is_empty());
        assert!(store.wipe_past_retention(now + Duration::days(365))?.is_empty());
        assert!(store.report_json(id)?.is_some(), "kept");
        let events: Vec<HistoryEvent> = store.history(id)?.into_iter().map(|i| i.event).collect();
        assert!(events.contains(&HistoryEvent::Lost { resent: false }), "{events:?}");
        assert!(store.delete_rejected(id)?, "deleted behind the PIN");
        assert_eq!(store.outbox_entry(id)?, None);
        Ok(())
    }

    #[test]
    fn an_unsettled_report_is_wiped_when_the_server_stops_keeping_it() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let now = Utc::now();
        let until = now + Duration::days(180);
        let id = accepted(&store, now, Some(until))?;
        let unknown = accepted(&store, now, None)?;
        // A later status without `retained_until` (an older server) keeps the one known.
        store.record_status(id, Status::Forwarded, Some("VT01"), None, now + Duration::hours(1))?;
        assert!(store.wipe_past_retention(until - Duration::seconds(1))?.is_empty());
        assert_eq!(store.wipe_past_retention(until)?, vec![id]);
        assert_eq!(store.report_json(id)?, None);
        let e = store.outbox_entry(id)?.ok_or("the line stays")?;
        assert!(e.wiped && e.state == LocalState::Server(Status::Forwarded));
        assert!(store.report_json(unknown)?.is_some(), "no date known: kept");
        assert_eq!(
            store.to_poll(until, Duration::zero())?,
            vec![unknown],
            "a wiped one is not polled"
        );
        Ok(())
    }
}
