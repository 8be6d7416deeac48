//! The API's edges: malformed path and query parameters answer the JSON `400` naming the
//! parameter and its rule (docs/contract.md, "Errors"), the intake inbox pages instead of
//! stopping at a fixed count, and a close body sent chunked is read like any other.

use std::io::Read;

use masker19_e2e::{DEMO_PASSWORD, demo_server, with_fresh_id};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

fn field(body: &Value) -> (Option<&str>, Option<&str>) {
    (body["fields"][0]["path"].as_str(), body["fields"][0]["rule"].as_str())
}

#[test]
fn a_malformed_path_parameter_gets_the_json_error_with_its_field() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    let api = server.client();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    for (path, who) in [
        ("/api/v1/reports/%FF/status", &token),
        ("/api/v1/intake/reports/%FF", &intake),
        ("/api/v1/intake/reports/%C3%28/acknowledge", &intake),
    ] {
        let method = if path.ends_with("acknowledge") { "POST" } else { "GET" };
        let r = api.send(method, path, Some(who), None, Vec::new())?;
        assert_eq!(r.status, 400, "{path}");
        assert!(r.body["error"].is_string(), "{path}: {:?}", r.body);
        assert_eq!(field(&r.body), (Some("id"), Some("invalid_value")), "{path}");
    }
    Ok(())
}

#[test]
fn the_inbox_pages_with_a_total_and_refuses_a_bad_page() -> R {
    const REPORTS: usize = 105;
    let (_dir, server, token) = demo_server(&[])?;
    let api = server.client();
    let template = api.example("melding")?;
    for _ in 0..REPORTS {
        api.submit(&token, &with_fresh_id(&template))?;
    }
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let first = api.get("/api/v1/intake/reports", Some(&intake))?.body;
    assert_eq!(first["reports"].as_array().map(Vec::len), Some(100), "the first page");
    assert_eq!(
        (&first["page"], &first["page_size"], &first["total"], &first["has_more"]),
        (&json!(1), &json!(100), &json!(REPORTS), &json!(true))
    );
    let second = api.get("/api/v1/intake/reports?page=2", Some(&intake))?.body;
    assert_eq!(second["reports"].as_array().map(Vec::len), Some(REPORTS - 100));
    assert_eq!(second["has_more"], false);
    let mut ids: Vec<&Value> = first["reports"]
        .as_array()
        .into_iter()
        .chain(second["reports"].as_array())
        .flatten()
        .map(|r| &r["id"])
        .collect();
    ids.sort_by_key(|v| v.to_string());
    ids.dedup();
    assert_eq!(ids.len(), REPORTS, "every report on exactly one page");
    for bad in ["0", "abc", "-1", "4294967296"] {
        let r = api.get(&format!("/api/v1/intake/reports?page={bad}"), Some(&intake))?;
        assert_eq!(r.status, 400, "page={bad}");
        assert_eq!(field(&r.body), (Some("page"), Some("range")), "page={bad}");
    }
    Ok(())
}

/// A body of unknown length: reqwest sends it with `Transfer-Encoding: chunked`.
fn chunked(bytes: Vec<u8>) -> reqwest::blocking::Body {
    reqwest::blocking::Body::new(std::io::Cursor::new(bytes).take(u64::MAX))
}

#[test]
fn a_chunked_close_body_is_read_under_the_same_limits() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&token, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let close = |body: Vec<u8>| {
        api.http
            .post(format!("{}/api/v1/intake/reports/{id}/close", api.base))
            .bearer_auth(&intake)
            .header("content-type", "application/json")
            .body(chunked(body))
            .send()
    };
    let too_large = close(vec![b' '; 70 * 1024])?;
    assert_eq!(too_large.status().as_u16(), 413);
    // Unacknowledged: closing needs a reason, and the chunked body carries it.
    let closed = close(json!({"reason": "telefonisch afgehandeld"}).to_string().into_bytes())?;
    let status = closed.status().as_u16();
    assert_eq!(status, 200, "{}", closed.text()?);
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?.body;
    assert_eq!(shown["close_reason"], "telefonisch afgehandeld");
    Ok(())
}
