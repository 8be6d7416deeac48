//! The key ceremony of sealed reports with the standard tools only, as an operator follows it:
//! `age-keygen` per region (and a recovery key), `minisign -G` once, `minisign -S` per list
//! version; and `age -d -i` to open what was sealed. Debian's `age` and `minisign` packages.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, ensure};
use serde_json::{Value, json};

/// One region's keys: identity files and their recipients.
#[derive(Debug, Clone)]
pub struct RegionKeys {
    pub region: String,
    pub identity: PathBuf,
    pub recipient: String,
    pub recovery_identity: PathBuf,
    pub recovery: String,
}

/// A scheme key and the regions' keys in one folder.
pub struct Ceremony {
    pub dir: PathBuf,
    /// The scheme's public key, `RW…` (what `MASKER19_SCHEME_KEY` and `--scheme-key` take).
    pub scheme_key: String,
    pub regions: Vec<RegionKeys>,
}

fn run(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd
        .output()
        .with_context(|| format!("{cmd:?} (Debian packages age, minisign)"))?;
    ensure!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

/// `age-keygen -o FILE`: the recipient of the new identity.
pub fn age_keygen(file: &Path) -> anyhow::Result<String> {
    run(Command::new("age-keygen").arg("-o").arg(file))?;
    let text = std::fs::read_to_string(file)?;
    text.lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .map(str::to_owned)
        .context("age-keygen wrote no public key line")
}

impl Ceremony {
    /// `minisign -G` and, per region, `age-keygen` twice (the working key and the recovery key).
    pub fn new(dir: &Path, regions: &[&str]) -> anyhow::Result<Ceremony> {
        std::fs::create_dir_all(dir)?;
        run(Command::new("minisign")
            .args(["-G", "-W", "-p", "scheme.pub", "-s", "scheme.key"])
            .current_dir(dir))?;
        let public = std::fs::read_to_string(dir.join("scheme.pub"))?;
        let scheme_key = public
            .lines()
            .nth(1)
            .context("scheme.pub has its key on line 2")?
            .to_owned();
        let regions = regions
            .iter()
            .map(|r| {
                let identity = dir.join(format!("{r}.key"));
                let recovery_identity = dir.join(format!("{r}-recovery.key"));
                Ok(RegionKeys {
                    region: (*r).to_owned(),
                    recipient: age_keygen(&identity)?,
                    recovery: age_keygen(&recovery_identity)?,
                    identity,
                    recovery_identity,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Ceremony {
            dir: dir.to_path_buf(),
            scheme_key,
            regions,
        })
    }

    pub fn region(&self, code: &str) -> anyhow::Result<&RegionKeys> {
        self.regions
            .iter()
            .find(|r| r.region == code)
            .context("no such region in the ceremony")
    }

    /// The list JSON of `version` with every region's key (valid from 2020) and recovery key.
    pub fn list(&self, version: u64) -> Value {
        let regions: serde_json::Map<String, Value> = self
            .regions
            .iter()
            .map(|r| {
                (
                    r.region.clone(),
                    json!({
                        "recipients": [{"id": format!("{}-a", r.region.to_lowercase()), "age": r.recipient, "valid_from": "2020-01-01T00:00:00Z"}],
                        "recovery": r.recovery,
                    }),
                )
            })
            .collect();
        json!({"version": version, "issued_at": "2026-12-01T10:00:00Z", "regions": regions})
    }

    /// Write `list` as `NAME` and sign it with `minisign -S`: the list's and signature's paths.
    pub fn sign(&self, name: &str, list: &Value) -> anyhow::Result<(PathBuf, PathBuf)> {
        let path = self.dir.join(name);
        std::fs::write(&path, serde_json::to_vec_pretty(list)?)?;
        run(Command::new("minisign")
            .args(["-S", "-s", "scheme.key", "-m"])
            .arg(&path)
            .current_dir(&self.dir))?;
        let sig = self.dir.join(format!("{name}.minisig"));
        Ok((path, sig))
    }
}

/// `age -d -i IDENTITY` on an armored file's text: the plaintext.
pub fn age_decrypt(sealed: &str, identity: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let mut child = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("age (Debian package age)")?;
    child.stdin.take().context("stdin")?.write_all(sealed.as_bytes())?;
    let out = child.wait_with_output()?;
    ensure!(out.status.success(), "age -d: {}", String::from_utf8_lossy(&out.stderr));
    Ok(out.stdout)
}

/// `age -a -r R1 -r R2 …`: `plaintext` sealed with the age tool.
pub fn age_encrypt(plaintext: &[u8], recipients: &[&str]) -> anyhow::Result<String> {
    use std::io::Write;
    let mut cmd = Command::new("age");
    cmd.arg("-a");
    for r in recipients {
        cmd.arg("-r").arg(r);
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("age (Debian package age)")?;
    child.stdin.take().context("stdin")?.write_all(plaintext)?;
    let out = child.wait_with_output()?;
    ensure!(out.status.success(), "age -e: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8(out.stdout)?)
}

/// `region-keys set --list LIST --sig SIG` with `MASKER19_SCHEME_KEY=scheme_key`.
pub fn set_list(db: &Path, scheme_key: &str, list: &Path, sig: &Path) -> anyhow::Result<std::process::Output> {
    let (list, sig) = (list.to_string_lossy(), sig.to_string_lossy());
    crate::admin_with(
        db,
        &["region-keys", "set", "--list", &list, "--sig", &sig],
        "",
        &[("MASKER19_SCHEME_KEY", scheme_key)],
    )
}
