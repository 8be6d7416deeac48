//! Rotating a region's webhook secret: with `--keep-previous` every delivery of the overlap is
//! signed with the new and the previous secret, so a receiver on either accepts it; without, only
//! the new one signs. The secret comes from a file or standard input, never the command line.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use masker19_e2e::receiver::{Attempt, Behaviour, Receiver, SECRET as OLD};
use masker19_e2e::{TestServer, admin, demo_server, server_bin, set_webhook};

type R = anyhow::Result<()>;
const WAIT: Duration = Duration::from_secs(20);
const NEW: &str = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// Submit a melding and wait for its delivery.
fn deliver_one(server: &TestServer, token: &str, receiver: &Receiver) -> anyhow::Result<Attempt> {
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(token, &report)?;
    let attempts = receiver.wait_until(WAIT, "the delivery", |a| {
        a.iter().any(|a| a.body["data"]["id"] == report["id"])
    })?;
    attempts
        .into_iter()
        .find(|a| a.body["data"]["id"] == report["id"])
        .ok_or(anyhow::anyhow!("not delivered"))
}

#[test]
fn with_keep_previous_a_receiver_on_the_old_secret_and_one_on_the_new_both_verify() -> R {
    let receiver = Receiver::start(Behaviour::Accept)?;
    let (dir, server, token) = demo_server(&[])?;
    set_webhook(&server.db, "VT01", &receiver.url())?;
    let before = deliver_one(&server, &token, &receiver)?;
    assert!(before.verifies_with(OLD) && !before.verifies_with(NEW));

    let secret_file = dir.path().join("vt01.secret");
    std::fs::write(&secret_file, format!("{NEW}\n"))?;
    let file = secret_file.to_string_lossy();
    let args = ["region", "set-webhook", "VT01", "--url", &receiver.url()];
    let out = admin(
        &server.db,
        &[&args[..], &["--secret-file", &file, "--keep-previous", "24"]].concat(),
        "",
    )?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let during = deliver_one(&server, &token, &receiver)?;
    assert_eq!(during.signatures().len(), 2, "{:?}", during.signatures());
    assert!(during.signatures().iter().all(|s| s.starts_with("v1,")));
    assert!(
        during.verifies_with(OLD),
        "a receiver still on the old secret accepts it"
    );
    assert!(during.verifies_with(NEW), "a receiver on the new secret accepts it");
    Ok(())
}

#[test]
fn without_keep_previous_only_the_new_secret_signs_and_it_never_shows_in_ps() -> R {
    let receiver = Receiver::start(Behaviour::Accept)?;
    let (_dir, server, token) = demo_server(&[])?;
    set_webhook(&server.db, "VT01", &receiver.url())?;
    deliver_one(&server, &token, &receiver)?;

    // The secret on standard input: while the command runs, its arguments (what `ps` shows)
    // hold no secret.
    let mut child = Command::new(server_bin())
        .arg("--db")
        .arg(&server.db)
        .args([
            "region",
            "set-webhook",
            "VT01",
            "--url",
            &receiver.url(),
            "--secret-file",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    std::thread::sleep(Duration::from_millis(200));
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id()))?;
    let shown = String::from_utf8_lossy(&cmdline).replace('\0', " ");
    assert!(shown.contains("set-webhook"), "{shown}");
    assert!(!shown.contains("whsec_"), "the secret is not in ps: {shown}");
    child
        .stdin
        .take()
        .ok_or(anyhow::anyhow!("stdin"))?
        .write_all(NEW.as_bytes())?;
    let out = child.wait_with_output()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let after = deliver_one(&server, &token, &receiver)?;
    assert_eq!(after.signatures().len(), 1, "{:?}", after.signatures());
    assert!(after.verifies_with(NEW), "the new secret signs");
    assert!(!after.verifies_with(OLD), "the old secret is gone at once");
    Ok(())
}

#[test]
fn the_secret_is_given_once_and_must_be_a_secret() -> R {
    let (dir, db) = masker19_e2e::temp_db()?;
    let base = ["region", "set-webhook", "VT01", "--url", "https://vt01.example/hook"];
    let file = dir.path().join("s");
    std::fs::write(&file, "geen-geheim")?;
    let file = file.to_string_lossy();
    for extra in [
        vec![],
        vec!["--secret", NEW, "--secret-file", "-"],
        vec!["--secret-file", &file],
        vec!["--secret-file", "-", "--keep-previous", "0"],
    ] {
        let out = admin(&db, &[&base[..], &extra].concat(), NEW)?;
        assert!(!out.status.success(), "{extra:?} is refused");
    }
    let out = admin(&db, &[&base[..], &["--secret-file", "-"]].concat(), &format!("{NEW}\n"))?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Ok(())
}
