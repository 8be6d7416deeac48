//! Faults of the server itself: the disk fills up, the file system turns read-only. The server
//! answers 503 with Retry-After, loses nothing it accepted, and recovers when the fault ends.
//! Real faults: for a full disk the store lives on a small tmpfs that the test mounts, fills and
//! grows; for a read-only file system on an ext4 image (a loop device) that the kernel turns
//! read-only under the running server, as it does after an I/O error (`errors=remount-ro`,
//! triggered through ext4's own `trigger_fs_error`). Where the sandbox forbids mounting, the test
//! says "not run" and why.

use std::path::Path;
use std::process::Command;

use masker19_e2e::{TestServer, admin};
use serde_json::Value;

type R = anyhow::Result<()>;

fn mount(dir: &Path, options: &str) -> Result<(), String> {
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", options, "tmpfs"])
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

fn remount(dir: &Path, options: &str) -> anyhow::Result<()> {
    let out = Command::new("mount")
        .args(["-o", &format!("remount,{options}")])
        .arg(dir)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "remount {options}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

struct Unmount<'a>(&'a Path);
impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0).status();
    }
}

/// A pharmacy in the store at `db`, the server started on it, a device enrolled; and the
/// example melding to send.
fn enrolled_pharmacy(db: &Path, name: &str) -> anyhow::Result<(TestServer, String, Value)> {
    let out = admin(db, &["pharmacy", "add", "--name", name, "--gemeente", "GM0363"], "")?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = TestServer::start(db, false)?;
    let api = server.client();
    let token = api.enroll(String::from_utf8(out.stdout)?.trim())?;
    let template = api.example("melding")?;
    Ok((server, token, template))
}

/// The example with a new id: a report not sent before.
fn fresh_report(template: &Value) -> Value {
    let mut r = template.clone();
    r["id"] = Value::from(uuid::Uuid::new_v4().to_string());
    r
}

#[test]
fn disk_full_answers_503_loses_nothing_and_recovers() -> R {
    let dir = tempfile::tempdir()?;
    if let Err(reason) = mount(dir.path(), "size=1536k") {
        println!("not run: cannot mount a small tmpfs here ({reason})");
        return Ok(());
    }
    let _unmount = Unmount(dir.path());
    let db = dir.path().join("masker19.db");
    let (server, token, template) = enrolled_pharmacy(&db, "Apotheek Vol")?;
    let api = server.client();
    let fresh = || fresh_report(&template);

    // Fill the disk.
    let mut accepted = Vec::new();
    let full = loop {
        let report = fresh();
        let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
        match r.status {
            201 => accepted.push(report["id"].as_str().unwrap_or_default().to_owned()),
            _ => break r,
        }
        anyhow::ensure!(accepted.len() < 5000, "the disk never filled up");
    };
    assert_eq!(full.status, 503, "{}", full.body);
    assert!(
        full.retry_after
            .as_deref()
            .and_then(|s| s.parse::<u64>().ok())
            .is_some(),
        "Retry-After"
    );
    assert!(full.body["error"].is_string());
    assert!(
        accepted.len() > 10,
        "only {} accepted before the disk was full",
        accepted.len()
    );
    // Reading still works, and everything accepted is there.
    for id in &accepted {
        assert_eq!(api.status_of(&token, id)?.status, 200, "{id}");
    }
    // A probe sees it: the store takes no write.
    let ready = api.get("/readyz", None)?;
    assert_eq!(ready.status, 503, "/readyz while the disk is full: {}", ready.body);
    assert_eq!(ready.body["database"], "fault");

    // The fault ends: more room. The same server accepts again, without a restart.
    remount(dir.path(), "size=64m")?;
    assert_eq!(api.get("/readyz", None)?.status, 200, "ready again");
    let again = fresh();
    let r = api.post_json("/api/v1/reports", Some(&token), &again)?;
    assert_eq!(r.status, 201, "recovered by itself: {}", r.body);
    accepted.push(again["id"].as_str().unwrap_or_default().to_owned());

    // And across a crash: every accepted report is there exactly once.
    server.kill9()?;
    let restarted = TestServer::start(&db, false)?;
    let api = restarted.client();
    for id in &accepted {
        assert_eq!(api.status_of(&token, id)?.status, 200, "{id}");
    }
    println!(
        "disk full: 503 with Retry-After, recovered without a restart; {} accepted, none lost",
        accepted.len()
    );
    Ok(())
}

/// A shell command's stdout, or why it failed.
fn run(cmd: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("{cmd}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!("{cmd}: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// An ext4 file system on a loop device, mounted with `errors=remount-ro`; detached when dropped.
struct Ext4Image {
    dir: tempfile::TempDir,
    device: String,
}

impl Ext4Image {
    fn mount(image: &Path) -> Result<Ext4Image, String> {
        std::fs::File::create(image)
            .and_then(|f| f.set_len(64 << 20))
            .map_err(|e| e.to_string())?;
        run("mkfs.ext4", &["-q", "-F", &image.to_string_lossy()])?;
        let device = run("losetup", &["-f", "--show", &image.to_string_lossy()])?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mounted = Ext4Image { dir, device };
        run("blockdev", &["--setrw", &mounted.device])?;
        let target = mounted.dir.path().to_string_lossy().into_owned();
        run("mount", &["-o", "errors=remount-ro", &mounted.device, &target])?;
        Ok(mounted)
    }

    /// What the kernel does after an I/O error: the file system turns read-only, with the
    /// server's files still open for writing.
    fn fail(&self) -> anyhow::Result<()> {
        let name = self.device.trim_start_matches("/dev/");
        std::fs::write(format!("/sys/fs/ext4/{name}/trigger_fs_error"), "masker19 test")?;
        Ok(())
    }

    /// The operator's repair: unmount, check, mount again.
    fn repair(&self) -> anyhow::Result<()> {
        let target = self.dir.path().to_string_lossy().into_owned();
        run("umount", &[&target]).map_err(anyhow::Error::msg)?;
        // e2fsck exits 1 when it corrected something: that is the repair.
        let _ = Command::new("e2fsck").args(["-fy", &self.device]).output()?;
        run("mount", &["-o", "errors=remount-ro", &self.device, &target]).map_err(anyhow::Error::msg)?;
        Ok(())
    }
}

impl Drop for Ext4Image {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
        let _ = Command::new("losetup").args(["-d", &self.device]).status();
    }
}

#[test]
fn read_only_file_system_answers_503_loses_nothing_and_recovers_after_repair() -> R {
    let images = tempfile::tempdir()?;
    let fs = match Ext4Image::mount(&images.path().join("store.ext4")) {
        Ok(fs) => fs,
        Err(reason) => {
            println!("not run: cannot mount an ext4 image on a loop device here ({reason})");
            return Ok(());
        }
    };
    let db = fs.dir.path().join("masker19.db");
    let (server, token, template) = enrolled_pharmacy(&db, "Apotheek Alleen-lezen")?;
    let api = server.client();
    let fresh = || fresh_report(&template);
    let mut accepted = Vec::new();
    for _ in 0..5 {
        let report = fresh();
        let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
        assert_eq!(r.status, 201, "{}", r.body);
        accepted.push(report["id"].as_str().unwrap_or_default().to_owned());
    }

    // The file system turns read-only under the running server.
    fs.fail()?;
    let refused = fresh();
    for _ in 0..3 {
        let r = api.post_json("/api/v1/reports", Some(&token), &refused)?;
        assert_eq!(r.status, 503, "read-only: {}", r.body);
        assert!(
            r.retry_after.as_deref().and_then(|s| s.parse::<u64>().ok()).is_some(),
            "Retry-After on {}",
            r.body
        );
        assert!(r.body["error"].is_string(), "a JSON error: {}", r.body);
    }
    // Nothing else answers a 5xx other than 503 meanwhile, and the process stays up.
    let health = api.get("/healthz", None)?;
    assert!(
        health.status == 200 || health.status == 503,
        "healthz while read-only: {} {}",
        health.status,
        health.body
    );

    // The operator stops the server, repairs the file system and starts it again: every
    // accepted report is there, the refused one is not, and the app's resend is accepted.
    server.kill9()?;
    fs.repair()?;
    let restarted = TestServer::start(&db, false)?;
    let api = restarted.client();
    for id in &accepted {
        assert_eq!(api.status_of(&token, id)?.status, 200, "{id}");
    }
    let refused_id = refused["id"].as_str().unwrap_or_default();
    assert_eq!(api.status_of(&token, refused_id)?.status, 404, "not half-written");
    let r = api.post_json("/api/v1/reports", Some(&token), &refused)?;
    assert_eq!(r.status, 201, "the resend after the repair: {}", r.body);
    println!(
        "read-only file system: 503 with Retry-After; {} accepted before, none lost; resend accepted after repair",
        accepted.len()
    );
    Ok(())
}
