//! The server's own accept loop (in place of `axum::serve`), so that a slow or idle client
//! cannot hold a connection, or the process's file descriptors, for ever:
//! - a request's head must arrive within [`Limits::header_timeout`] (this also ends an idle
//!   keep-alive connection: hyper waits for the next head under the same timer);
//! - its body must arrive within [`Limits::body_timeout`] of the head ([`DeadlineBody`], a `408`);
//! - at most [`Limits::max_connections`] connections, at most a quarter of them from one client
//!   address (an IPv6 client by its /64); beyond that a connection is answered `503` and closed
//!   at once, so accepting never stalls and the file limit is never reached;
//! - hyper's own answers (a head too large, a malformed request) carry the security headers.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use ipnet::IpNet;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

pub mod deadline_body;
mod gate;
mod raw_answers;

use deadline_body::DeadlineBody;
use gate::Gate;
use raw_answers::RawAnswers;

/// File descriptors kept back from the connection cap: the database and its WAL, webhook and
/// SMTP connections, the log.
const RESERVED_FILES: u64 = 128;
/// The most connections served at once, whatever the file limit.
const MAX_CONNECTIONS: u64 = 4096;
/// The largest request head (request line and headers) hyper reads; beyond it, `431`.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;
/// How long a stopping server waits for requests under way.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Limits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub max_connections: usize,
    pub max_per_client: usize,
}

impl Limits {
    /// Raise the soft file limit to the hard one, and derive the connection cap from it.
    pub fn for_this_process() -> Limits {
        let files = match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read or raise the file limit; assuming 1024");
                1024
            }
        };
        let limits = Limits::for_file_limit(files);
        tracing::info!(
            file_limit = files,
            max_connections = limits.max_connections,
            max_per_client = limits.max_per_client,
            "connection limits"
        );
        limits
    }

    pub fn for_file_limit(files: u64) -> Limits {
        let max = files.saturating_sub(RESERVED_FILES).clamp(16, MAX_CONNECTIONS) as usize;
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(20),
            max_connections: max,
            max_per_client: (max / 4).max(4),
        }
    }
}

/// What every connection needs: the app, the limits and whether answers carry HSTS.
pub struct Served {
    pub router: Router,
    pub limits: Limits,
    /// Connections from these (reverse proxies) are not held to one client's share.
    pub trusted_proxies: Vec<IpNet>,
    pub hsts: bool,
}

/// Accept and serve connections until `shutdown` completes; then wait a while for requests
/// under way.
pub async fn serve(listener: TcpListener, served: Served, shutdown: impl Future<Output = ()>) {
    let Served {
        router,
        limits,
        trusted_proxies,
        hsts,
    } = served;
    let gate = Gate::new(limits.max_connections, limits.max_per_client, trusted_proxies);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BYTES);
    let graceful = GracefulShutdown::new();
    let mut last_accept_warning: Option<Instant> = None;
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    accept_failed(&e, &mut last_accept_warning).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(ticket) = gate.admit(peer.ip()) else {
            refuse(&stream, hsts);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let body_timeout = limits.body_timeout;
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(|b| Body::new(DeadlineBody::new(b, body_timeout)));
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(RawAnswers::new(TokioIo::new(stream), hsts), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(ticket);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still under way after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
}

/// Without `MASKER19_PUBLIC_URL` the web forms' origin check trusts the `Host` a request names:
/// safe only when no one but this machine can reach the server. Refuse any other address.
pub async fn check_listen_address(listen: &str, has_public_url: bool) -> anyhow::Result<()> {
    if has_public_url {
        return Ok(());
    }
    let addresses = tokio::net::lookup_host(listen)
        .await
        .with_context(|| format!("{listen} is not an address to listen on"))?;
    for address in addresses {
        if !address.ip().is_loopback() {
            bail!(
                "refusing to listen on {address} (beyond this machine) without MASKER19_PUBLIC_URL: \
                 set it to the address people use (e.g. https://masker19.example.nl), or listen on \
                 127.0.0.1 behind a reverse proxy"
            );
        }
    }
    Ok(())
}

/// Too many connections (in all, or from this client): `503`, and the connection is closed.
fn refuse(stream: &TcpStream, hsts: bool) {
    let mut answer =
        b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nretry-after: 1\r\nconnection: close\r\n".to_vec();
    raw_answers::append_security_headers(&mut answer, hsts);
    answer.extend_from_slice(b"\r\n");
    // A new socket's send buffer is empty: this never blocks, and a failure changes nothing.
    let _ = stream.try_write(&answer);
}

/// Out of file descriptors (or another accept error): wait a moment instead of spinning, and
/// say so in the log at most once a minute.
async fn accept_failed(e: &std::io::Error, last_warning: &mut Option<Instant>) {
    if last_warning.is_none_or(|at| at.elapsed() > Duration::from_secs(60)) {
        tracing::warn!(error = %e, "accepting a connection failed");
        *last_warning = Some(Instant::now());
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_files_for_the_store_and_a_share_for_others() {
        let l = Limits::for_file_limit(1024);
        assert_eq!((l.max_connections, l.max_per_client), (896, 224));
        assert_eq!(Limits::for_file_limit(1 << 20).max_connections, 4096);
        assert_eq!(Limits::for_file_limit(100).max_connections, 16);
    }
}
