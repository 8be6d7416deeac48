//! What an operator runs the server with: `/readyz`, `/metrics` behind its token (404 without),
//! and JSON log lines. None of them carries personal data.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use masker19_e2e::{demo_server, server_bin, temp_db};
use serde_json::{Value, json};

type R = anyhow::Result<()>;
const TOKEN: &str = "metrics-token-0123456789abcdef";
const MARKER: &str = "Metriekmarkering Jansen";

fn scrape(base: &str, token: Option<&str>) -> anyhow::Result<(u16, String)> {
    let mut req = reqwest::blocking::Client::new().get(format!("{base}/metrics"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send()?;
    Ok((resp.status().as_u16(), resp.text()?))
}

#[test]
fn metrics_are_there_only_with_their_token_and_hold_no_personal_data() -> R {
    let (_dir, server, device) = demo_server(&[("MASKER19_METRICS_TOKEN", TOKEN)])?;
    let api = server.client();
    let mut report = api.example("melding")?;
    report["person"]["name"] = json!(MARKER);
    api.submit(&device, &report)?;
    let wrong = api.post_json(
        "/api/v1/session",
        None,
        &json!({"name": "intake-vt01", "password": "fout-fout-fout", "code": "000000"}),
    )?;
    assert_eq!(wrong.status, 401);

    let backup = server.db.with_file_name("backup.db");
    let out = masker19_e2e::admin(&server.db, &["backup", "--to", &backup.to_string_lossy()], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    assert_eq!(scrape(&server.url, None)?.0, 404, "no token: nothing there");
    assert_eq!(scrape(&server.url, Some("wrong-token-0123456789"))?.0, 404);
    let (status, text) = scrape(&server.url, Some(TOKEN))?;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("masker19_reports_accepted_total 1"), "{text}");
    assert!(
        text.contains(r#"masker19_sign_ins_refused_total{reason="credentials"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"vt_region="VT01""#) && text.contains("masker19_deliveries{"),
        "{text}"
    );
    assert!(text.contains("masker19_oldest_unacknowledged_seconds{"), "{text}");
    assert!(text.contains("masker19_last_backup_age_seconds "), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        assert!(line.starts_with("masker19_"), "every metric is masker19_: {line}");
    }
    assert!(!text.contains(MARKER) && !text.contains(report["id"].as_str().unwrap_or("-")));
    Ok(())
}

#[test]
fn without_a_metrics_token_there_are_no_metrics_and_readyz_answers() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    assert_eq!(scrape(&server.url, None)?.0, 404);
    assert_eq!(scrape(&server.url, Some(TOKEN))?.0, 404);
    let ready = server.client().get("/readyz", None)?;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(ready.body, json!({"database": "ok", "forwarder": "ok"}));
    Ok(())
}

#[test]
fn json_logs_are_one_object_per_line() -> R {
    let (_dir, db) = temp_db()?;
    let mut child = Command::new(server_bin())
        .env("MASKER19_LOG_FORMAT", "json")
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().ok_or_else(|| anyhow::anyhow!("stderr"))?;
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    let parsed: Value = serde_json::from_str(&first).map_err(|e| anyhow::anyhow!("{first:?}: {e}"))?;
    assert!(
        parsed["level"].is_string() && parsed["timestamp"].is_string(),
        "{parsed}"
    );
    Ok(())
}

/// The start-up lines are for whoever started the server; a reader that is gone (a pipe closed
/// by `| head -1`, a supervisor that stopped reading) must not stop a server that runs. Here the
/// pipe is closed before the server writes a line: it still answers.
#[test]
fn a_closed_standard_output_does_not_stop_the_server() -> R {
    let (_dir, db) = temp_db()?;
    let port = masker19_e2e::smtp::free_port()?;
    let mut child = Command::new(server_bin())
        .arg("--db")
        .arg(&db)
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .env("MASKER19_ALLOW_TEST_SETTINGS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    drop(child.stdout.take());
    let url = format!("http://127.0.0.1:{port}/healthz");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let answered = loop {
        if let Ok(r) = reqwest::blocking::get(&url) {
            break r.status().as_u16();
        }
        if let Some(status) = child.try_wait()? {
            let _ = child.kill();
            anyhow::bail!("the server stopped when its standard output was gone: {status}");
        }
        anyhow::ensure!(std::time::Instant::now() < deadline, "no answer on {url}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    child.kill()?;
    child.wait()?;
    assert_eq!(answered, 200);
    Ok(())
}
