//! The intake inbox and its API: transitions, the audit log, the pharmacy's status, the whole
//! access matrix of roles × regions × endpoints, and the retention purge on disk.

use std::time::Duration;

use masker19_e2e::{Api, DEMO_PASSWORD, TestServer, admin, admin_with, demo_server, temp_db};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

fn post(api: &Api, path: &str, token: &str, body: Value) -> anyhow::Result<(u16, Value)> {
    let r = api.post_json(path, Some(token), &body)?;
    Ok((r.status, r.body))
}

#[test]
fn acknowledge_then_close_and_the_pharmacy_sees_it() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;

    let list = api.get("/api/v1/intake/reports", Some(&intake))?;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["reports"][0]["id"], report["id"]);
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?;
    assert_eq!(
        shown.body["report"]["person"], report["person"],
        "everything the pharmacy sent"
    );

    let (s, b) = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/acknowledge"),
        &intake,
        json!({}),
    )?;
    assert_eq!((s, b["status"].as_str()), (200, Some("acknowledged")));
    let (s, _) = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/acknowledge"),
        &intake,
        json!({}),
    )?;
    assert_eq!(s, 409, "acknowledged twice");
    let pharmacy = api.status_of(&device, id)?.body;
    assert_eq!(pharmacy["status"], "acknowledged");
    let (s, b) = post(&api, &format!("/api/v1/intake/reports/{id}/close"), &intake, json!({}))?;
    assert_eq!(
        (s, b["status"].as_str()),
        (200, Some("closed")),
        "no reason needed after acknowledging"
    );
    let history: Vec<String> = api.status_of(&device, id)?.body["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(|e| e["status"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(history, ["received", "acknowledged", "closed"]);

    let audit = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?.body["audit"].clone();
    let actions: Vec<(&str, &str)> = audit
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["actor"].as_str().unwrap_or(""), e["action"].as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    let want = [
        ("intake-vt01", "api_view"),
        ("intake-vt01", "acknowledge"),
        ("intake-vt01", "close"),
        ("intake-vt01", "api_view"),
    ];
    assert_eq!(actions, want, "every view and action, this view included");
    Ok(())
}

#[test]
fn closing_unacknowledged_needs_a_reason() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("adviesvraag")?;
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default();
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let (s, b) = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/close"),
        &intake,
        json!({"reason": "  "}),
    )?;
    assert_eq!(s, 422);
    assert_eq!(b["fields"][0]["path"], "/reason");
    let (s, _) = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/close"),
        &intake,
        json!({"reason": "Dubbele melding"}),
    )?;
    assert_eq!(s, 200);
    let (s, _) = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/transfer"),
        &intake,
        json!({"vt_region": "VT18", "reason": "Woont in Utrecht"}),
    )?;
    assert_eq!(s, 409, "a closed report is not transferred");
    let (s, b) = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/transfer"),
        &intake,
        json!({"vt_region": "VT99", "reason": "Woont elders"}),
    )?;
    assert!(
        s == 409 || (s == 422 && b["fields"][0]["path"] == "/vt_region"),
        "{s} {b}"
    );
    Ok(())
}

/// Every role against every endpoint, for a report of region VT01.
#[test]
fn the_access_matrix_holds() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let recorded = api.example("geen_melding")?;
    api.submit(&device, &recorded)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    let counted = recorded["id"].as_str().unwrap_or_default().to_owned();

    let own = api.login("intake-vt01", DEMO_PASSWORD)?;
    let other = api.login("intake-vt18", DEMO_PASSWORD)?;
    let evaluator = api.login("evaluator", DEMO_PASSWORD)?;
    // A second VT01 user, disabled after signing in. A demo database takes no `user add`, so it
    // is written into the store with the demo password's hash.
    masker19_e2e::open_store(&server.db)?.execute(
        "INSERT INTO user (name, role, vt_region, password_hash, created_at)
         SELECT 'weg', role, vt_region, password_hash, created_at FROM user WHERE name = 'intake-vt01'",
        [],
    )?;
    let disabled = api.login("weg", DEMO_PASSWORD)?;
    assert!(admin(&server.db, &["user", "disable", "weg"], "")?.status.success());

    let who: [(&str, Option<&str>); 6] = [
        ("intake VT01", Some(&own)),
        ("intake VT18", Some(&other)),
        ("evaluator", Some(&evaluator)),
        ("pharmacy device", Some(&device)),
        ("disabled user", Some(&disabled)),
        ("nobody", None),
    ];
    let endpoints: Vec<(&str, String)> = vec![
        ("GET", "/api/v1/intake/reports".into()),
        ("GET", format!("/api/v1/intake/reports/{id}")),
        ("GET", format!("/api/v1/intake/reports/{counted}")),
        ("POST", format!("/api/v1/intake/reports/{id}/acknowledge")),
        ("POST", format!("/api/v1/intake/reports/{id}/transfer")),
        ("POST", format!("/api/v1/intake/reports/{id}/close")),
        ("GET", format!("/api/v1/reports/{id}/status")),
    ];
    for (role, token) in who {
        for (method, path) in &endpoints {
            // Requests that would change something carry an invalid body, so a hole in the
            // checks shows as 422 or 409 instead of silently moving the report.
            let body = if *method == "POST" {
                br#"{"vt_region": "VT01"}"#.to_vec()
            } else {
                Vec::new()
            };
            let got = api.send(method, path, token, Some("application/json"), body)?.status;
            let is_status = path.starts_with("/api/v1/reports/");
            let want: &[u16] = match (role, is_status) {
                ("pharmacy device", true) => &[200],
                (_, true) => &[401, 404],
                ("intake VT01", false) if path.contains(&counted) => &[404],
                ("intake VT01", false) if path.ends_with("/transfer") => &[422],
                ("intake VT01", false) if path.ends_with("/close") => &[422],
                ("intake VT01", false) => &[200],
                ("intake VT18", false) if path == "/api/v1/intake/reports" => &[200],
                ("intake VT18", false) => &[404],
                ("evaluator", false) => &[403],
                _ => &[401],
            };
            assert!(want.contains(&got), "{role} {method} {path}: {got}, want {want:?}");
        }
    }
    let theirs = api.get("/api/v1/intake/reports", Some(&other))?.body;
    assert_eq!(
        theirs["reports"].as_array().map(Vec::len),
        Some(0),
        "VT18 sees no VT01 report"
    );
    Ok(())
}

fn file_contains(path: &std::path::Path, needle: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
}

/// The stored text of every report body, decrypted with the store's own key file.
fn decrypted_bodies(db: &std::path::Path) -> anyhow::Result<String> {
    let conn = masker19_e2e::open_store(db)?;
    let mut stmt = conn.prepare("SELECT coalesce(body, '') FROM report")?;
    let bodies: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(bodies.join("\n"))
}

#[test]
fn the_purge_removes_personal_data_from_the_file_and_its_wal() -> R {
    const MARKER: &str = "MARKER-7f3a9c-persoonsgegevens";
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    let mut report = api.example("melding")?;
    report["signals"]["observed"] = Value::from(MARKER);
    report["person"]["name"] = Value::from(format!("{MARKER} naam"));
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();

    assert!(
        decrypted_bodies(&db)?.contains(MARKER),
        "the marker is in the store before the purge"
    );
    let wal = db.with_extension("db-wal");
    for file in [&db, &wal] {
        assert!(
            !file_contains(file, MARKER.as_bytes()),
            "{} holds no plaintext (SQLCipher)",
            file.display()
        );
    }
    server.kill9()?;

    // Nothing is due yet: a fresh report within both retention periods stays.
    let out = admin(&db, &["purge"], "")?;
    assert!(String::from_utf8(out.stdout)?.contains(" 0 report"));
    assert!(decrypted_bodies(&db)?.contains(MARKER));
    // Past the maximum retention, whatever the state.
    let out = admin_with(&db, &["purge"], "", &[("MASKER19_RETENTION_MAX_DAYS", "0")])?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout)?.contains(" 1 report"));
    assert!(!decrypted_bodies(&db)?.contains(MARKER), "gone from the store");

    let restarted = TestServer::start(&db, true)?;
    let api = restarted.client();
    let status = api.status_of(&device, &id)?;
    assert_eq!(status.status, 200, "the counting record and its status stay");
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?;
    assert!(shown.body["report"].is_null(), "no personal data left to show");
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}

/// The same on a plain (unencrypted, test-only) store, where the raw bytes can be searched:
/// `secure_delete` and the WAL checkpoint leave the marker nowhere on disk.
#[test]
fn the_purge_leaves_no_trace_in_the_raw_file_or_wal() -> R {
    const MARKER: &str = "RAWMARKER-91c2-persoonsgegevens";
    let plain: &[(&str, &str)] = &[("MASKER19_TEST_PLAINTEXT_DB", "1")];
    let (_dir, db) = temp_db()?;
    let server = TestServer::start_with(&db, true, plain)?;
    let api = server.client();
    let device = api.enroll(&server.info["enrollment_code"])?;
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let mut report = api.example("melding")?;
    report["signals"]["said"] = Value::from(MARKER);
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    let (s, _) = post(
        &api,
        &format!("/api/v1/intake/reports/{id}/close"),
        &intake,
        json!({"reason": MARKER}),
    )?;
    assert_eq!(s, 200);
    let wal = db.with_extension("db-wal");
    assert!(
        file_contains(&db, MARKER.as_bytes()) || file_contains(&wal, MARKER.as_bytes()),
        "planted on disk"
    );
    server.kill9()?;
    // Closed today; a 0-day retention after closing makes it due.
    let out = admin_with(
        &db,
        &["purge"],
        "",
        &[("MASKER19_RETENTION_CLOSED_DAYS", "0"), plain[0]],
    )?;
    assert!(
        String::from_utf8(out.stdout)?.contains(" 1 report"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [&db, &wal] {
        assert!(
            !file_contains(file, MARKER.as_bytes()),
            "{} still holds the marker",
            file.display()
        );
    }
    Ok(())
}
