//! The practice history on the device (oefenmodus): one line per finished run, without
//! personal data.

use chrono::{DateTime, Utc};
use meldcode::practice::ScenarioId;
use rusqlite::params;

use super::{Store, StoreError, parse_ts, ts};

/// One finished practice run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeRecord {
    pub scenario: ScenarioId,
    pub finished_at: DateTime<Utc>,
    pub seconds_taken: i64,
    pub right: u32,
    pub differed: u32,
    /// The staff profile's name ("Wie oefent?"); `None`: no profile picked.
    pub staff: Option<String>,
}

impl Store {
    pub fn add_practice_run(&self, r: &PracticeRecord) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO practice_runs (scenario, finished_at, seconds_taken, right_count, differed_count, staff)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                r.scenario.code(),
                ts(r.finished_at),
                r.seconds_taken.max(0),
                r.right,
                r.differed,
                r.staff
            ],
        )?;
        Ok(())
    }

    /// The history, newest first.
    pub fn practice_runs(&self) -> Result<Vec<PracticeRecord>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT scenario, finished_at, seconds_taken, right_count, differed_count, staff
             FROM practice_runs ORDER BY finished_at DESC, id DESC",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let code: String = row.get(0)?;
            out.push(PracticeRecord {
                scenario: ScenarioId::from_code(&code)
                    .ok_or_else(|| StoreError::Damaged(format!("practice scenario {code}")))?,
                finished_at: parse_ts(&row.get::<_, String>(1)?)?,
                seconds_taken: row.get(2)?,
                right: row.get(3)?,
                differed: row.get(4)?,
                staff: row.get(5)?,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn the_history_survives_a_reopen_and_holds_no_case_data() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let now = Utc::now();
        let first = PracticeRecord {
            scenario: ScenarioId::Accompanied,
            finished_at: now - Duration::hours(1),
            seconds_taken: 245,
            right: 5,
            differed: 2,
            staff: Some("A. de Apotheker".into()),
        };
        let second = PracticeRecord {
            scenario: ScenarioId::NotConfirmed,
            finished_at: now,
            seconds_taken: 61,
            right: 4,
            differed: 0,
            staff: None,
        };
        {
            let store = Store::open_dir(dir.path(), false)?;
            assert!(store.practice_runs()?.is_empty());
            store.add_practice_run(&first)?;
            store.add_practice_run(&second)?;
        }
        let store = Store::open_dir(dir.path(), false)?;
        let back = store.practice_runs()?;
        assert_eq!(back.len(), 2);
        // Stored with millisecond precision: compare what the screen shows.
        assert_eq!(
            (back[0].scenario, back[0].seconds_taken, back[0].staff.clone()),
            (ScenarioId::NotConfirmed, 61, None)
        );
        assert_eq!((back[1].right, back[1].differed), (5, 2));
        let columns: Vec<String> = store
            .lock()
            .prepare("SELECT name FROM pragma_table_info('practice_runs')")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        assert_eq!(
            columns,
            [
                "id",
                "scenario",
                "finished_at",
                "seconds_taken",
                "right_count",
                "differed_count",
                "staff"
            ],
            "nothing of a (fictional) case"
        );
        Ok(())
    }

    /// Enqueueing removes the draft (a finished case is no longer a draft), but a practice run
    /// is not that draft: the real case kept while practising must survive it.
    #[test]
    fn a_practice_report_in_the_outbox_leaves_the_real_draft_alone() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_dir(dir.path(), false)?;
        let now = Utc::now();
        let mut real = meldcode::Flow::new(uuid::Uuid::new_v4(), now);
        real.draft.observed = "echte casus".into();
        store.save_draft(&real, now)?;

        let scenario = ScenarioId::NotConfirmed.scenario();
        let (report, _) = meldcode::practice::rehearse(scenario, &scenario.model(), uuid::Uuid::new_v4(), now, now)
            .map_err(|e| format!("{e:?}"))?;
        assert!(report.practice);
        store.enqueue(&report, now)?;
        assert_eq!(store.load_draft()?, Some(real), "the real draft is untouched");
        let line = store.outbox_entry(report.id)?.ok_or("queued")?;
        assert!(line.practice, "marked as practice in the outbox");
        assert!(
            !line.needs_call(now + Duration::days(2), Duration::hours(1)),
            "a practice run never asks to call Veilig Thuis"
        );

        let real_report = meldcode::examples::example(meldcode::Kind::Melding, uuid::Uuid::new_v4(), now);
        store.enqueue(&real_report, now)?;
        assert_eq!(store.load_draft()?, None, "a real report still takes its draft");
        assert!(store.outbox_entry(real_report.id)?.is_some_and(|e| !e.practice));
        Ok(())
    }

    /// A device that has reports from before the oefenmodus opens with them as real reports.
    #[test]
    fn an_outbox_from_before_migration_003_keeps_its_reports_as_real() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(super::super::DB_FILE);
        let key = crate::platform::load_or_create_key(dir.path(), false, false)?;
        {
            let mut conn =
                cipherdb::open(&path, &cipherdb::Protection::Key(key.clone())).map_err(|e| format!("{e:?}"))?;
            rusqlite_migration::Migrations::from_slice(&super::super::MIGRATION_LIST[..2]).to_latest(&mut conn)?;
            conn.execute(
                "INSERT INTO outbox (id, kind, created_at, queued_at, state, report, next_attempt_at)
                 VALUES (?1, 'melding', ?2, ?2, 'queued', '{}', ?2)",
                params![uuid::Uuid::new_v4().to_string(), ts(Utc::now())],
            )?;
        }
        let store = Store::open(&path, &key)?;
        let lines = store.outbox()?;
        assert_eq!(lines.len(), 1);
        assert!(!lines[0].practice, "an old report is a real one");
        assert!(store.practice_runs()?.is_empty());
        Ok(())
    }
}
