//! Group commit: accepted reports wait a moment for each other and are made durable in one
//! commit, so a burst of pharmacies costs one fsync instead of one each. Every submitter still
//! gets its answer only after that commit.

use chrono::Utc;
use tokio::sync::{mpsc, oneshot};

use crate::db::{StoreError, StoreResult};
use crate::store::Store;
use crate::store::directory::Device;
use crate::store::reports::{self, Incoming, Submission, Submitted};

/// The most reports in one commit.
const MAX_BATCH: usize = 64;

type Reply = oneshot::Sender<StoreResult<Submitted>>;

#[derive(Clone)]
pub struct Committer {
    queue: mpsc::Sender<(Submission, Reply)>,
}

impl Committer {
    /// Start the committing task on `store`.
    pub fn start(store: Store) -> Committer {
        let (queue, mut rx) = mpsc::channel::<(Submission, Reply)>(1024);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (submissions, replies): (Vec<Submission>, Vec<Reply>) = batch.into_iter().unzip();
                let now = Utc::now();
                match store.call(move |c| reports::submit_batch(c, &submissions, now)).await {
                    Ok(results) => {
                        for (reply, result) in replies.into_iter().zip(results) {
                            let _ = reply.send(result);
                        }
                    }
                    Err(e) => {
                        let message = e.to_string();
                        for reply in replies {
                            let _ = reply.send(Err(StoreError::Commit(message.clone())));
                        }
                    }
                }
            }
        });
        Committer { queue }
    }

    /// Store one report durably; returns after the commit that holds it.
    pub async fn submit(&self, device: Device, incoming: Incoming) -> StoreResult<Submitted> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((Submission { device, incoming }, reply))
            .await
            .map_err(|_| StoreError::CommitterStopped)?;
        answer.await.map_err(|_| StoreError::CommitterStopped)?
    }
}
