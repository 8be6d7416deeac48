//! The server's two connections to the store, each on its own thread.

use rusqlite::Connection;

use crate::db::{DbConfig, StoreError, StoreResult};

/// The server's connections, each on its own thread: one for everything that writes (SQLite
/// has one writer anyway), and one for the hot read-only look-ups (a device's token, a report's
/// status), which WAL lets run beside the writer.
#[derive(Clone)]
pub struct Store {
    conn: tokio_rusqlite::Connection,
    reader: tokio_rusqlite::Connection,
}

impl Store {
    pub async fn open(cfg: &DbConfig) -> StoreResult<Store> {
        let (writer, reading) = (cfg.clone(), cfg.clone());
        let conn = tokio::task::spawn_blocking(move || writer.open())
            .await
            .map_err(|_| StoreError::TaskPanicked)??;
        let reader = tokio::task::spawn_blocking(move || {
            let conn = reading.open()?;
            // The reading connection cannot write, whatever a caller of `read` tries.
            conn.pragma_update(None, "query_only", "ON")?;
            Ok::<_, StoreError>(conn)
        })
        .await
        .map_err(|_| StoreError::TaskPanicked)??;
        let (conn, reader) = (conn.into(), reader.into());
        Ok(Store { conn, reader })
    }

    /// A query on the reading connection, which is read-only (`PRAGMA query_only`): a write
    /// through it fails.
    pub async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        Ok(self.reader.call(move |c| f(c)).await?)
    }

    /// Close both connections and wait until their threads have closed the file; every clone's
    /// next call fails. The process must not exit while a connection thread is still closing.
    pub async fn close(self) {
        for conn in [self.conn, self.reader] {
            if let Err(e) = conn.close().await {
                tracing::warn!(error = %e, "closing the store");
            }
        }
    }

    pub async fn call<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<R> + Send + 'static,
    {
        Ok(self.conn.call(f).await?)
    }
}

#[cfg(test)]
mod tests {
    use cipherdb::{DbKey, Protection};

    use super::*;

    #[tokio::test]
    async fn a_write_through_read_fails_and_through_call_succeeds() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("m19-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let config = DbConfig {
            path: dir.join("r.db"),
            protection: Protection::Key(DbKey::raw(&"c".repeat(64))?),
        };
        config.open()?;
        let store = Store::open(&config).await?;
        let insert = |c: &Connection| Ok(c.execute("INSERT INTO meta VALUES ('lezer', 'x')", [])?);
        assert!(store.read(insert).await.is_err(), "the reading connection is read-only");
        assert_eq!(store.call(move |c| insert(c)).await?, 1);
        let n: i64 = store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM meta WHERE key = 'lezer'", [], |r| r.get(0))?))
            .await?;
        assert_eq!(n, 1, "only the write through call is there");
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
