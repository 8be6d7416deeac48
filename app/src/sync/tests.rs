//! `sync_once` against real HTTP listeners on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::store::{LocalState, keys};

/// Read one HTTP request (headers and a `Content-Length` body) from `stream`.
fn read_request(stream: &std::net::TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)
}

/// Answer every request on `listener` with `answer`, counting the connections.
fn serve(listener: TcpListener, answer: String, count: Arc<AtomicUsize>) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            if read_request(&stream).is_ok() {
                let _ = stream.write_all(answer.as_bytes());
            }
        }
    });
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_report_stays_queued() -> Result<(), Box<dyn std::error::Error>> {
    let elsewhere = TcpListener::bind("127.0.0.1:0")?;
    let elsewhere_url = format!("http://{}/api/v1/reports", elsewhere.local_addr()?);
    let reached_elsewhere = Arc::new(AtomicUsize::new(0));
    serve(
        elsewhere,
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            .to_owned(),
        reached_elsewhere.clone(),
    );
    let server = TcpListener::bind("127.0.0.1:0")?;
    let server_url = format!("http://{}", server.local_addr()?);
    let reached_server = Arc::new(AtomicUsize::new(0));
    serve(
        server,
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: {elsewhere_url}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        reached_server.clone(),
    );

    let dir = tempfile::tempdir()?;
    let store = Store::open_dir(dir.path(), false)?;
    store.set_setting(keys::SERVER_URL, &server_url)?;
    store.set_setting(keys::DEVICE_TOKEN, "token")?;
    let now = Utc::now();
    let report = meldcode::examples::example(meldcode::Kind::Melding, Uuid::new_v4(), now);
    store.enqueue(&report, now)?;
    let client = client_for(&store)?.ok_or("enrolled")?;

    let sum = sync_once(&store, &client, now, chrono::Duration::seconds(60)).await?;
    assert_eq!(reached_server.load(Ordering::SeqCst), 1);
    assert_eq!(
        reached_elsewhere.load(Ordering::SeqCst),
        0,
        "the report went nowhere else"
    );
    assert_eq!(sum.retrying, vec![report.id]);
    let entry = store.outbox_entry(report.id)?.ok_or("kept")?;
    assert_eq!(entry.state, LocalState::Queued, "kept queued, visible on screen");
    assert_eq!(entry.http_status, Some(307));
    assert!(entry.last_error.is_some_and(|e| e.contains("redirect")));
    Ok(())
}

/// An accepted report polled against `answer`; what one pass made of it.
async fn poll_answered(answer: &str) -> Result<(SyncSummary, LocalState), Box<dyn std::error::Error>> {
    let server = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", server.local_addr()?);
    serve(server, answer.to_owned(), Arc::new(AtomicUsize::new(0)));
    let dir = tempfile::tempdir()?;
    let store = Store::open_dir(dir.path(), false)?;
    store.set_setting(keys::SERVER_URL, &url)?;
    store.set_setting(keys::DEVICE_TOKEN, "token")?;
    let now = Utc::now();
    let report = meldcode::examples::example(meldcode::Kind::Melding, Uuid::new_v4(), now);
    store.enqueue(&report, now)?;
    store.record_status(report.id, meldcode::Status::Forwarded, Some("VT01"), None, now)?;
    let client = client_for(&store)?.ok_or("enrolled")?;
    let later = now + chrono::Duration::minutes(2);
    let sum = sync_once(&store, &client, later, chrono::Duration::seconds(60)).await?;
    let state = store.outbox_entry(report.id)?.ok_or("kept")?.state;
    Ok((sum, state))
}

/// A server that is busy is asked again later; only the server saying it does not have the
/// report puts it back in the queue.
#[tokio::test]
async fn only_the_servers_404_puts_a_polled_report_back_in_the_queue() -> Result<(), Box<dyn std::error::Error>> {
    let busy = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 28\r\nConnection: close\r\n\r\n{\"error\":\"busy\",\"fields\":[]}";
    let (sum, state) = poll_answered(busy).await?;
    assert!(sum.resent.is_empty() && sum.lost.is_empty(), "{sum:?}");
    assert_eq!(state, LocalState::Server(meldcode::Status::Forwarded));
    assert_eq!(sum.problem.as_deref(), Some("server_busy"));

    let gone = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 33\r\nConnection: close\r\n\r\n{\"error\":\"not found\",\"fields\":[]}";
    let (sum, state) = poll_answered(gone).await?;
    assert_eq!(sum.resent.len(), 1, "{sum:?}");
    assert_eq!(state, LocalState::Queued);
    Ok(())
}
