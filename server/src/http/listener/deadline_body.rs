//! A request body that must arrive in full by a deadline: a client sending a byte now and then
//! cannot keep a handler (and its connection) waiting.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};

/// The body did not arrive in time (the error a body reader sees; the API answers `408`).
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0} seconds")]
pub struct BodyTimedOut(pub u64);

pub struct DeadlineBody {
    inner: Incoming,
    deadline: Instant,
    limit: Duration,
    /// Started at the first read that has to wait.
    timer: Option<Pin<Box<Sleep>>>,
}

impl DeadlineBody {
    /// `inner`, to be read in full within `limit` from now.
    pub fn new(inner: Incoming, limit: Duration) -> DeadlineBody {
        DeadlineBody {
            inner,
            deadline: Instant::now() + limit,
            limit,
            timer: None,
        }
    }
}

impl Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let deadline = this.deadline;
        let timer = this
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut(this.limit.as_secs()))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Whether `error`, or an error it wraps, is a [`BodyTimedOut`].
pub fn timed_out(error: &(dyn std::error::Error + 'static)) -> Option<u64> {
    let mut e = Some(error);
    while let Some(current) = e {
        if let Some(t) = current.downcast_ref::<BodyTimedOut>() {
            return Some(t.0);
        }
        e = current.source();
    }
    None
}
