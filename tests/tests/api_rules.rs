//! The NL GOV API Design Rules the API follows: errors as RFC 9457 problem details (keeping
//! `error` and `fields`), `API-Version` on every `/api/` answer, a contact in the OpenAPI
//! document, and `/.well-known/security.txt` (RFC 9116) from the settings.

use masker19_e2e::{TestServer, demo_server, temp_db};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

/// Status, `Content-Type`, `API-Version` and body of a request.
fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> anyhow::Result<(u16, String, Option<String>, String)> {
    let http = reqwest::blocking::Client::new();
    let mut req = http.request(method.parse()?, format!("{}{path}", server.url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send()?;
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (status, ct, version) = (
        r.status().as_u16(),
        header("content-type").unwrap_or_default(),
        header("api-version"),
    );
    Ok((status, ct, version, r.text()?))
}

#[test]
fn api_errors_are_problem_details_that_keep_error_and_fields() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    let mut report = server.client().example("melding")?;
    report["reporter"]["name"] = json!("");
    for (method, path, token, body, status) in [
        ("POST", "/api/v1/reports", Some(token.as_str()), Some(report), 422),
        ("GET", "/api/v1/reports/x/status", None, None, 401),
        ("GET", "/api/v1/bestaat-niet", None, None, 404),
        ("DELETE", "/api/v1/reports", None, None, 405),
        ("GET", "/api/v1/reports/%FF/status", Some(token.as_str()), None, 400),
    ] {
        let (got, ct, _, text) = call(&server, method, path, token, body)?;
        assert_eq!(got, status, "{path}: {text}");
        assert_eq!(ct, "application/problem+json", "{path}");
        let problem: Value = serde_json::from_str(&text)?;
        assert_eq!(problem["type"], "about:blank", "{path}");
        assert_eq!(problem["status"], status, "{path}");
        assert!(
            problem["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{path}: {problem}"
        );
        assert!(
            problem["detail"].is_string() && problem["detail"] == problem["error"],
            "{path}: {problem}"
        );
        assert!(problem["fields"].is_array(), "{path}: {problem}");
        if status == 422 {
            assert!(!problem["fields"].as_array().is_none_or(Vec::is_empty), "{problem}");
        }
    }
    Ok(())
}

#[test]
fn every_api_answer_carries_the_api_version_and_nothing_else_does() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    for (method, path, token) in [
        ("GET", "/api/v1/openapi.json", None),
        (
            "GET",
            "/api/v1/reports/00000000-0000-4000-8000-000000000000/status",
            Some(token.as_str()),
        ),
        ("GET", "/api/v1/reports/x/status", None),
        ("GET", "/api/v1/bestaat-niet", None),
        ("PUT", "/api/v1/session", None),
    ] {
        let (status, _, version, _) = call(&server, method, path, token, None)?;
        assert_eq!(version.as_deref(), Some("1.0.0"), "{method} {path} ({status})");
    }
    let (_, _, version, _) = call(&server, "GET", "/healthz", None, None)?;
    assert_eq!(version, None, "only the API carries API-Version");
    let (_, _, _, doc) = call(&server, "GET", "/api/v1/openapi.json", None, None)?;
    let doc: Value = serde_json::from_str(&doc)?;
    assert_eq!(doc["info"]["version"], "1.0.0");
    assert_eq!(doc["info"]["contact"]["email"], "security@localhost", "{}", doc["info"]);
    Ok(())
}

#[test]
fn security_txt_gives_the_contact_and_expiry_from_the_settings() -> R {
    let (_dir, db) = temp_db()?;
    let env = [
        ("MASKER19_SECURITY_CONTACT", "mailto:cert@veiligthuis.example.nl"),
        ("MASKER19_SECURITY_TXT_EXPIRES", "2027-06-30"),
    ];
    let server = TestServer::start_with(&db, false, &env)?;
    let r = reqwest::blocking::get(format!("{}/.well-known/security.txt", server.url))?;
    assert_eq!(r.status().as_u16(), 200);
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(ct, "text/plain; charset=utf-8");
    let text = r.text()?;
    assert!(text.contains("Contact: mailto:cert@veiligthuis.example.nl\n"), "{text}");
    assert!(text.contains("Expires: 2027-06-30T00:00:00Z\n"), "{text}");
    let doc: Value = server.client().get("/api/v1/openapi.json", None)?.body;
    assert_eq!(doc["info"]["contact"]["email"], "cert@veiligthuis.example.nl");
    drop(server);

    // Without the settings: a default contact and an expiry within a year.
    let server = TestServer::start(&db, false)?;
    let text = reqwest::blocking::get(format!("{}/.well-known/security.txt", server.url))?.text()?;
    let expires = text
        .lines()
        .find_map(|l| l.strip_prefix("Expires: "))
        .and_then(|e| chrono::DateTime::parse_from_rfc3339(e).ok());
    let now = chrono::Utc::now();
    assert!(
        expires.is_some_and(|e| e > now && e < now + chrono::Duration::days(366)),
        "{text}"
    );
    assert!(text.contains("Contact: mailto:security@localhost\n"), "{text}");

    // A malformed setting stops the start with a message (with the database free: one server
    // per database).
    drop(server);
    let out = masker19_e2e::admin_with(&db, &["serve"], "", &[("MASKER19_SECURITY_CONTACT", "ftp://x")])?;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("MASKER19_SECURITY_CONTACT"));
    Ok(())
}
