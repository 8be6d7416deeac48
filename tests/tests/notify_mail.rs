//! Notice of new reports by e-mail, against a real SMTP server (aiosmtpd) on loopback: the
//! region's address gets "Nieuwe melding in Masker 19 — kenmerk …" for a new or transferred
//! report, with nothing of the report's content; an SMTP server that is down never blocks or
//! fails a report, and the notice arrives once it is up, also across a crash of the server.

use std::path::Path;
use std::time::Duration;

use masker19_e2e::smtp::{SmtpReceiver, free_port};
use masker19_e2e::{DEMO_PASSWORD, TestServer, admin, demo_server, eventually, open_store};
use serde_json::{Value, json};

const VT01_INBOX: &str = "intake@vt01.example.nl";
const WAIT: Duration = Duration::from_secs(90);

fn smtp_env(port: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MASKER19_SMTP_HOST", "127.0.0.1".into()),
        ("MASKER19_SMTP_PORT", port.into()),
        ("MASKER19_SMTP_FROM", "Masker 19 <masker19@example.nl>".into()),
        ("MASKER19_SMTP_TLS", "none".into()),
        ("MASKER19_PUBLIC_URL", "https://masker19.example.nl".into()),
    ]
}

fn as_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn set_notify(db: &Path, region: &str, email: &str) -> anyhow::Result<std::process::Output> {
    admin(db, &["region", "set-notify", region, "--email", email], "")
}

/// Every text of the report that says something about someone: names, phones, address,
/// observations (string leaves with a capital, digit or space, so codes such as `balie` and
/// words such as `melding` are left out).
fn content_texts(report: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s)
                if s.chars().count() >= 4 && s.chars().any(|c| c.is_uppercase() || c.is_ascii_digit() || c == ' ') =>
            {
                out.push(s.clone())
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(map) => map.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for block in [
        "person",
        "safe_contact",
        "signals",
        "reporter",
        "kindcheck",
        "consultation",
        "afweging",
    ] {
        walk(&report[block], &mut out);
    }
    out
}

fn assert_notice(mail: &Value, to: &str, report: &Value) -> anyhow::Result<()> {
    let id = report["id"].as_str().unwrap_or_default();
    assert_eq!(mail["rcpt_tos"], json!([to]), "to the region's address");
    assert_eq!(mail["to"], to);
    assert_eq!(
        mail["subject"].as_str().unwrap_or_default(),
        format!("Nieuwe melding in Masker 19 — kenmerk {}", &id[..8])
    );
    let body = mail["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("Open het intake-scherm: https://masker19.example.nl/intake"),
        "where to look: {body}"
    );
    let texts = content_texts(report);
    assert!(texts.len() >= 5, "the check has report content to look for: {texts:?}");
    let raw = mail["raw"].as_str().unwrap_or_default();
    for text in &texts {
        assert!(
            !body.contains(text.as_str()) && !raw.contains(text.as_str()),
            "report content {text:?} is in the e-mail"
        );
    }
    assert!(!raw.contains(id), "only the kenmerk, not the whole id");
    Ok(())
}

#[test]
fn a_new_or_transferred_report_sends_a_notice_without_its_content() -> anyhow::Result<()> {
    let smtp = SmtpReceiver::start(0)?;
    let env = smtp_env(&smtp.port.to_string());
    let (_dir, server, device) = demo_server(&as_refs(&env))?;
    let refused = set_notify(&server.db, "VT01", "geen adres")?;
    assert!(!refused.status.success(), "an address that is none is refused");
    assert!(
        !set_notify(&server.db, "VT99", VT01_INBOX)?.status.success(),
        "no region VT99"
    );
    let set = set_notify(&server.db, "VT01", VT01_INBOX)?;
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));

    let api = server.client();
    let melding = api.example("melding")?;
    api.submit(&device, &melding)?;
    assert_notice(&smtp.next_mail(WAIT)?, VT01_INBOX, &melding)?;

    // A geen melding reaches no inbox: no notice. The next one is the adviesvraag's.
    api.submit(&device, &api.example("geen_melding")?)?;
    let advies = api.example("adviesvraag")?;
    api.submit(&device, &advies)?;
    assert_notice(&smtp.next_mail(WAIT)?, VT01_INBOX, &advies)?;

    // Handed over to VT20: its intake hears of it.
    assert!(
        set_notify(&server.db, "VT20", "intake@vt20.example.nl")?
            .status
            .success()
    );
    let token = api.login("intake-vt01", DEMO_PASSWORD)?;
    let id = melding["id"].as_str().unwrap_or_default();
    let path = format!("/api/v1/intake/reports/{id}/transfer");
    let with_reason = json!({"vt_region": "VT20", "reason": "woont in Zuid-Holland Zuid"});
    let mut moved = api.post_json(&path, Some(&token), &with_reason)?;
    if moved.status == 422 && moved.body["fields"][0]["rule"] == "unknown_field" {
        // A server from before the transfer reason (`{vt_region, reason}`) knows no reason yet.
        moved = api.post_json(&path, Some(&token), &json!({"vt_region": "VT20"}))?;
    }
    assert_eq!(moved.status, 200, "{}", moved.body);
    let mail = smtp.next_mail(WAIT)?;
    assert_notice(&mail, "intake@vt20.example.nl", &melding)?;
    assert!(mail["body"].as_str().unwrap_or_default().contains("overgedragen"));
    Ok(())
}

/// The notice's attempts so far and whether it was sent, straight from the store.
fn notice_state(db: &Path) -> anyhow::Result<Option<(u32, bool)>> {
    let conn = open_store(db)?;
    let row = conn.query_row(
        "SELECT attempts, sent_at IS NOT NULL FROM notice ORDER BY id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    );
    match row {
        Ok(state) => Ok(Some(state)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn failed_at_least_once(db: &Path) -> anyhow::Result<()> {
    eventually(WAIT, "a failed attempt at the notice", || {
        Ok(notice_state(db)?.filter(|(attempts, sent)| *attempts >= 1 && !sent))
    })?;
    Ok(())
}

/// A demo server whose SMTP port has nothing listening, and a melding accepted (201) there
/// whose notice failed at least once: the server, the SMTP settings, the port and the melding.
type DownSetup = (tempfile::TempDir, TestServer, Vec<(&'static str, String)>, u16, Value);

fn report_while_smtp_is_down() -> anyhow::Result<DownSetup> {
    let port = free_port()?;
    let mut env = smtp_env(&port.to_string());
    // The webhook's schedule, a thousand times faster: 5 ms, 0.3 s, 1.8 s, 7.2 s, 18 s, 36 s, 36 s.
    env.push(("MASKER19_TEST_RETRY_SCALE", "0.001".into()));
    let (dir, server, device) = demo_server(&as_refs(&env))?;
    assert!(set_notify(&server.db, "VT01", VT01_INBOX)?.status.success());
    let api = server.client();
    let melding = api.example("melding")?;
    api.submit(&device, &melding)?; // 201 while nothing listens on the SMTP port
    let id = melding["id"].as_str().unwrap_or_default();
    assert_eq!(api.status_of(&device, id)?.status, 200);
    failed_at_least_once(&server.db)?;
    Ok((dir, server, env, port, melding))
}

#[test]
fn a_mail_server_that_is_down_neither_blocks_nor_fails_a_report() -> anyhow::Result<()> {
    let (_dir, _server, _env, port, melding) = report_while_smtp_is_down()?;
    let smtp = SmtpReceiver::start(port)?;
    assert_notice(&smtp.next_mail(WAIT)?, VT01_INBOX, &melding)?;
    Ok(())
}

#[test]
fn a_queued_notice_survives_a_crash_of_the_server() -> anyhow::Result<()> {
    let (_dir, server, env, port, melding) = report_while_smtp_is_down()?;
    let db = server.db.clone();
    server.kill9()?;

    let smtp = SmtpReceiver::start(port)?;
    let _again = TestServer::start_with(&db, true, &as_refs(&env))?;
    assert_notice(&smtp.next_mail(WAIT)?, VT01_INBOX, &melding)?;
    eventually(WAIT, "the notice marked sent", || {
        Ok(notice_state(&db)?.filter(|(_, sent)| *sent))
    })?;
    Ok(())
}
