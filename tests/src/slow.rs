//! Slow clients (slowloris): many connections that send a request a byte at a time, for the
//! tests and the benchmark of the server's connection guards.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use anyhow::Context;

/// The start of a request whose head never ends: the server waits for the rest of a header.
pub const SLOW_HEAD: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

struct Slow {
    stream: TcpStream,
    /// When the server closed it (from the start of the whole run).
    closed_after: Option<Duration>,
    /// What the server answered before closing, if anything.
    answer: Vec<u8>,
}

/// Connections that each sent `head` and then send one more byte on each [`SlowClients::trickle`].
pub struct SlowClients {
    conns: Vec<Slow>,
    start: Instant,
}

/// Raise this process's soft file limit to its hard one (the attacker needs a descriptor per
/// connection too).
pub fn raise_own_file_limit() -> u64 {
    rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024)
}

/// The `host:port` of a server url `http://host:port`.
pub fn socket_addr(url: &str) -> anyhow::Result<SocketAddr> {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .with_context(|| format!("{url} is not http://ip:port"))
}

impl SlowClients {
    /// Open `n` connections to `addr` and send `head` on each.
    pub fn open(addr: SocketAddr, n: usize, head: &[u8]) -> anyhow::Result<SlowClients> {
        let start = Instant::now();
        let mut conns = Vec::with_capacity(n);
        for i in 0..n {
            let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
                .with_context(|| format!("connection {i} of {n}"))?;
            // The server may already have answered 503 and closed: that counts as closed.
            let _ = stream.write_all(head);
            stream.set_nonblocking(true)?;
            conns.push(Slow {
                stream,
                closed_after: None,
                answer: Vec::new(),
            });
        }
        let mut clients = SlowClients { conns, start };
        clients.poll();
        Ok(clients)
    }

    /// One more byte (`byte`) on every connection still open; then note which were closed.
    pub fn trickle(&mut self, byte: u8) {
        for c in self.conns.iter_mut().filter(|c| c.closed_after.is_none()) {
            match c.stream.write(&[byte]) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => c.closed_after = Some(self.start.elapsed()),
            }
        }
        self.poll();
    }

    /// Read what the server sent; a connection it closed (end of stream or reset) is noted.
    pub fn poll(&mut self) {
        let mut buf = [0u8; 4096];
        for c in self.conns.iter_mut().filter(|c| c.closed_after.is_none()) {
            loop {
                match c.stream.read(&mut buf) {
                    Ok(0) => {
                        c.closed_after = Some(self.start.elapsed());
                        break;
                    }
                    Ok(n) => c.answer.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(_) => {
                        c.closed_after = Some(self.start.elapsed());
                        break;
                    }
                }
            }
        }
    }

    /// Connections the server has not closed.
    pub fn still_open(&self) -> usize {
        self.conns.iter().filter(|c| c.closed_after.is_none()).count()
    }

    /// When the last one was closed (from the start of the run), if all were.
    pub fn all_closed_after(&self) -> Option<Duration> {
        self.conns
            .iter()
            .map(|c| c.closed_after)
            .try_fold(Duration::ZERO, |m, c| Some(m.max(c?)))
    }

    /// Connections answered with `status` (e.g. `"503"`) before they were closed.
    pub fn answered(&self, status: &str) -> usize {
        let prefix = format!("HTTP/1.1 {status} ");
        self.conns
            .iter()
            .filter(|c| c.answer.starts_with(prefix.as_bytes()))
            .count()
    }

    /// The first answer received on connection `i`, as text.
    pub fn answer(&self, i: usize) -> String {
        self.conns
            .get(i)
            .map(|c| String::from_utf8_lossy(&c.answer).into_owned())
            .unwrap_or_default()
    }

    /// Trickle a byte every `every` until all are closed or `limit` has passed since the start.
    pub fn trickle_until_closed(&mut self, every: Duration, limit: Duration) -> Option<Duration> {
        while self.start.elapsed() < limit {
            let wait = Instant::now();
            while wait.elapsed() < every && self.all_closed_after().is_none() {
                std::thread::sleep(Duration::from_millis(100));
                self.poll();
            }
            if let Some(after) = self.all_closed_after() {
                return Some(after);
            }
            self.trickle(b'a');
        }
        self.all_closed_after()
    }
}

/// `GET /healthz` from the local address `from` (another client than the slow ones), with a
/// timeout: the status and how long it took, or the error.
pub fn healthz_from(url: &str, from: IpAddr, timeout: Duration) -> anyhow::Result<(u16, Duration)> {
    let client = reqwest::blocking::Client::builder()
        .local_address(from)
        .timeout(timeout)
        .build()?;
    let start = Instant::now();
    let status = client.get(format!("{url}/healthz")).send()?.status().as_u16();
    Ok((status, start.elapsed()))
}
