//! The front door's edges: malformed parameters of the pages are Dutch pages that name the
//! parameter and its rule (the API keeps its JSON error), hyper's own answers carry the
//! security headers, and `serve` will not trust `Host` beyond loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use masker19_e2e::web::Web;
use masker19_e2e::{DEMO_PASSWORD, TestServer, demo_server, server_bin, temp_db};
use serde_json::Value;

type R = anyhow::Result<()>;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[test]
fn malformed_inbox_parameters_get_a_dutch_page_naming_the_parameter_and_its_rule() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let web = Web::new(&server.url)?;
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    let long = "a".repeat(201);
    for (query, named, rule) in [
        ("status=foo", "(status)", "moet een van deze zijn: open, acknowledged"),
        ("page=0", "(page)", "geheel getal van 1 tot en met"),
        ("page=abc", "(page)", "geheel getal van 1 tot en met"),
        (&format!("q={long}"), "(q)", "ten hoogste 200 tekens"),
    ] {
        let page = web.get(&format!("/intake?{query}"), &session.cookie)?;
        assert_eq!(page.status, 400, "{query}");
        assert!(page.body.contains("<html lang=\"nl\">"), "{query}");
        assert!(
            page.body.contains(named) && page.body.contains(rule),
            "{query}: {}",
            page.body
        );
        assert!(!page.body.contains("malformed"), "{query}: English on a Dutch page");
    }
    Ok(())
}

#[test]
fn a_malformed_path_of_a_page_is_a_dutch_page_for_a_browser_and_the_json_error_otherwise() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let web = Web::new(&server.url)?;
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    let http = reqwest::blocking::Client::new();
    for (method, path) in [
        ("POST", "/intake/reports/%FF/acknowledge"),
        ("GET", "/intake/reports/%FF"),
        ("GET", "/intake/reports/%C3%28/print"),
    ] {
        let send = |accept: Option<&str>| {
            let mut req = http
                .request(method.parse()?, format!("{}{path}", server.url))
                .header("cookie", &session.cookie)
                .header("origin", &server.url);
            if let Some(a) = accept {
                req = req.header("accept", a);
            }
            let r = req.send()?;
            let ct = r
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            anyhow::Ok((r.status().as_u16(), ct, r.text()?))
        };
        let (status, ct, body) = send(Some(BROWSER))?;
        assert_eq!(status, 400, "{path}");
        assert!(ct.starts_with("text/html"), "{path}: {ct} {body}");
        assert!(
            body.contains("<html lang=\"nl\">") && body.contains("(id)"),
            "{path}: {body}"
        );
        let (status, ct, body) = send(None)?;
        assert_eq!(
            (status, ct.as_str()),
            (400, "application/problem+json"),
            "{path}: {body}"
        );
        let problem: Value = serde_json::from_str(&body)?;
        assert_eq!(problem["fields"][0]["path"], "id", "{path}: {problem}");
    }
    Ok(())
}

/// The raw answer to `request`, up to the server closing or 5 s.
fn raw(url: &str, request: &[u8]) -> anyhow::Result<String> {
    let mut stream = TcpStream::connect(url.trim_start_matches("http://"))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    // The server may answer and close before it has read everything.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[test]
fn answers_hyper_gives_itself_carry_the_security_headers() -> R {
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, false)?;
    let huge = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(500_000)
    );
    let many: String = (0..150).map(|i| format!("X-{i}: a\r\n")).collect();
    let many = format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    for (what, request) in [
        ("150 headers", many),
        ("a 500 KB header", huge),
        ("a malformed request line", "GET /\x01 HTTP/1.1\r\n\r\n".to_owned()),
    ] {
        let answer = raw(&server.url, request.as_bytes())?;
        let head = answer.to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 4"), "{what}: {answer}");
        for header in [
            "x-content-type-options: nosniff",
            "content-security-policy: default-src 'none'",
            "x-frame-options: deny",
            "referrer-policy: same-origin",
            "cache-control: no-store",
        ] {
            assert!(head.contains(header), "{what}: no {header} in {answer}");
        }
    }
    Ok(())
}

#[test]
fn serve_refuses_to_listen_beyond_loopback_without_a_public_url() -> R {
    let (_dir, db) = temp_db()?;
    let mut child = Command::new(server_bin())
        .env_remove("MASKER19_PUBLIC_URL")
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "0.0.0.0:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr)?;
    }
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(1),
        "serve on 0.0.0.0 without MASKER19_PUBLIC_URL: {stderr}"
    );
    assert!(stderr.contains("MASKER19_PUBLIC_URL"), "{stderr}");

    // With the public URL, the origin check has its own origin: any address will do.
    let server = TestServer::start_at(
        &db,
        "0.0.0.0:0",
        false,
        &[("MASKER19_PUBLIC_URL", "https://masker19.example.nl")],
    )?;
    assert!(server.url.starts_with("http://0.0.0.0:"), "{}", server.url);
    Ok(())
}
