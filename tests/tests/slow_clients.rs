//! Slow clients cannot hold the server: a request head that never ends, or a body sent a byte
//! at a time, is cut off within 30 s, and a flood of such connections beyond the file limit
//! leaves `/healthz` answering another client.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::time::{Duration, Instant};

use masker19_e2e::slow::{SLOW_HEAD, SlowClients, healthz_from, raise_own_file_limit, socket_addr};
use masker19_e2e::{TestServer, demo_server, temp_db};

type R = anyhow::Result<()>;

/// Another loopback address than the slow clients' `127.0.0.1`: another client.
const OTHER_CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

#[test]
fn five_hundred_slow_request_heads_are_all_closed_within_30_s() -> R {
    raise_own_file_limit();
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, false)?;
    let mut slow = SlowClients::open(socket_addr(&server.url)?, 500, SLOW_HEAD)?;
    let closed = slow.trickle_until_closed(Duration::from_secs(3), Duration::from_secs(30));
    assert!(
        closed.is_some(),
        "{} of 500 slow connections still open after 30 s",
        slow.still_open()
    );
    // The server still serves.
    let (status, _) = healthz_from(&server.url, OTHER_CLIENT, Duration::from_secs(5))?;
    assert_eq!(status, 200);
    Ok(())
}

#[test]
fn an_idle_keep_alive_connection_is_closed() -> R {
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, false)?;
    let mut stream = TcpStream::connect(socket_addr(&server.url)?)?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let start = Instant::now();
    let mut answer = Vec::new();
    // Read the answer, then wait without sending anything: the server ends the connection.
    let _ = stream.read_to_end(&mut answer);
    let idle = start.elapsed();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200 "));
    assert!(
        idle < Duration::from_secs(15),
        "an idle connection stayed open {idle:?}"
    );
    Ok(())
}

/// Send `head` and then one byte of the promised body every 2 s; the answer and when it came.
fn slow_body(url: &str, head: &str) -> anyhow::Result<(String, Duration)> {
    let mut stream = TcpStream::connect(socket_addr(url)?)?;
    stream.write_all(head.as_bytes())?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let start = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < Duration::from_secs(35) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                if stream.write_all(b" ").is_err() {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Ok((String::from_utf8_lossy(&answer).into_owned(), start.elapsed()))
}

#[test]
fn a_body_sent_a_byte_every_2_s_is_answered_408_and_closed() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    let head = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{{"
    );
    let (answer, took) = slow_body(&server.url, &head)?;
    assert!(took < Duration::from_secs(30), "still open after {took:?}: {answer}");
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        answer.contains("\"error\":\"the body did not arrive within 20 seconds\""),
        "{answer}"
    );
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");

    // A web form (no JSON reader of its own) is cut off the same way.
    let head = "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000\r\n\r\nname=";
    let (answer, took) = slow_body(&server.url, head)?;
    assert!(
        took < Duration::from_secs(30),
        "the login form still open after {took:?}: {answer}"
    );
    Ok(())
}

#[test]
fn healthz_answers_another_client_during_1100_slow_connections_under_a_1024_file_limit() -> R {
    raise_own_file_limit();
    let (_dir, db) = temp_db()?;
    let server = TestServer::start_with_file_limit(&db, false, 1024)?;
    let mut slow = SlowClients::open(socket_addr(&server.url)?, 1100, SLOW_HEAD)?;
    slow.trickle(b'a');
    let mut answered = Vec::new();
    for _ in 0..10 {
        answered.push(healthz_from(&server.url, OTHER_CLIENT, Duration::from_secs(2)).map_err(|e| e.to_string()));
        slow.trickle(b'a');
        std::thread::sleep(Duration::from_millis(300));
    }
    let held = slow.still_open();
    assert!(held >= 100, "the attack did not hold connections ({held} open)");
    for a in &answered {
        assert!(
            matches!(a, Ok((200, _))),
            "healthz during {held} slow connections: {answered:?}"
        );
    }
    // Beyond one client's share the server answered 503 and closed, rather than run out of files.
    assert!(
        slow.answered("503") > 0,
        "no connection was refused: {}",
        slow.answer(1099)
    );
    Ok(())
}
