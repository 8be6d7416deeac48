//! The Windows build under Wine: the installer from `scripts/package-windows` installs silently
//! into a fresh prefix; the installed `Apotheek.exe` (a GUI program with the neutral name and
//! icon) enrolls against the real server, keeping its outbox key in the Windows Credential
//! Manager, and sends a queued report with `--sync`; the key-file fallback does the same, and
//! with the server away `--sync` says why and exits 1; the uninstaller leaves the data unless
//! asked to remove it. The installer installed is signed first as the README tells an organisation
//! to (a throwaway certificate), so the signature is known not to break it.
//!
//! The window is not run: it needs Microsoft's WebView2 runtime, which Wine does not have. The
//! report is queued by the test helper `queue-test-report.exe` (an example of the app crate,
//! never packaged), through the same `app::enqueue` the window calls when a case is finished.

use std::path::Path;
use std::time::Duration;

use masker19_e2e::wine::{Prefix, artifacts, pe_headers, version_string};
use masker19_e2e::{TestServer, add_pharmacy, open_store, temp_db};

type R = anyhow::Result<()>;

const APP: &str = r"C:\Program Files\Apotheek\Apotheek.exe";
const UNINSTALL: &str = r"C:\Program Files\Apotheek\uninstall.exe";
const MINUTE: Duration = Duration::from_secs(60);

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `program args` in the prefix; (exit code, stdout, stderr).
fn run(wine: &Prefix, program: &str, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<(i32, String, String)> {
    let out = wine.run(&[&[program], args].concat(), env, 2 * MINUTE)?;
    Ok((out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr)))
}

fn on_server(server: &TestServer, id: &str) -> anyhow::Result<bool> {
    let n: i64 = open_store(&server.db)?.query_row("SELECT count(*) FROM report WHERE id = ?1", [id], |r| r.get(0))?;
    Ok(n == 1)
}

/// Queue a report with the test helper, send it with `Apotheek.exe --sync`; its id.
fn queue_and_sync(
    wine: &Prefix,
    helper: &str,
    env: &[(&str, &str)],
) -> anyhow::Result<(String, (i32, String, String))> {
    let (code, out, err) = run(wine, helper, &[], env)?;
    anyhow::ensure!(code == 0, "queue-test-report: {code}\n{out}\n{err}");
    let id = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("queued="))
        .ok_or_else(|| anyhow::anyhow!("no queued= line: {out}"))?
        .to_owned();
    Ok((id, run(wine, APP, &["--sync"], env)?))
}

/// Ignored in the workspace run: it needs the Windows build, which `scripts/test` makes beside
/// the other tests and then runs this test with `--ignored`.
#[test]
#[ignore = "needs the Windows build and installer: scripts/test runs it after making them"]
fn installed_under_wine_enrolls_and_sends_a_queued_report() -> R {
    let (unsigned, helper) = artifacts()?;
    let wine = Prefix::new()?;
    let signing = tempfile::tempdir()?;
    let installer = signed_copy(&unsigned, signing.path())?;

    // Install silently: the program under its neutral name, the loader beside it, the Start-menu
    // entry for every user and an entry in the list of installed programs.
    let out = wine.run(&[&installer.to_string_lossy(), "/S"], &[], 2 * MINUTE)?;
    assert!(out.status.success(), "installer: {out:?}");
    wine.wait()?;
    let dir = wine.c_drive().join("Program Files/Apotheek");
    for f in ["Apotheek.exe", "WebView2Loader.dll", "uninstall.exe"] {
        assert!(dir.join(f).is_file(), "{f} installed");
    }
    assert!(
        !dir.join("bcryptprimitives.dll").exists(),
        "the test's stand-in is not installed"
    );
    let start_menu = wine.c_drive().join("ProgramData/Microsoft/Windows/Start Menu/Programs");
    assert!(start_menu.join("Apotheek.lnk").is_file(), "Start-menu entry");
    assert!(wine.registry("system.reg")?.contains(r#""DisplayName"="Apotheek""#));

    // A GUI program (no console window), with the icon and the neutral name in its resources.
    let exe = dir.join("Apotheek.exe");
    let pe = pe_headers(&exe)?;
    assert!(pe.contains("(Windows GUI)"), "GUI subsystem");
    assert!(
        pe.contains("WebView2Loader.dll"),
        "imports the loader installed beside it"
    );
    let bytes = std::fs::read(&exe)?;
    for key in ["ProductName", "FileDescription", "InternalName"] {
        assert_eq!(version_string(&bytes, key).as_deref(), Some("Apotheek"), "{key}");
    }
    assert_eq!(
        version_string(&bytes, "OriginalFilename").as_deref(),
        Some("Apotheek.exe")
    );
    let icon = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/icon/apotheek.ico"))?;
    // The first image of the .ico (its offset is in the first directory entry), as windres copies it.
    let at = u32::from_le_bytes([icon[18], icon[19], icon[20], icon[21]]) as usize;
    let first_image = &icon[at..at + 64];
    assert!(
        bytes.windows(64).any(|w| w == first_image),
        "the neutral icon is in the exe"
    );

    // The command line answers on the console it was started from (here: pipes), never a dialog.
    let (code, out, _) = run(&wine, APP, &["--help"], &[])?;
    assert_eq!(code, 0);
    assert!(out.contains("--sync"), "{out}");

    // A real server; the helper copied into the prefix.
    let (_sdir, db) = temp_db()?;
    let code_1 = add_pharmacy(&db, "Apotheek Kerkstraat", "GM0363")?;
    let code_2 = add_pharmacy(&db, "Apotheek Wijnstraat", "GM0363")?;
    let server = TestServer::start(&db, false)?;
    std::fs::copy(&helper, wine.c_drive().join("queue-test-report.exe"))?;
    let helper = r"C:\queue-test-report.exe";

    // The Windows Credential Manager keeps the outbox key: no key file is written.
    let (code, out, err) = run(&wine, APP, &["--server", &server.url, "--enroll", &code_1], &[])?;
    assert_eq!(code, 0, "enroll: {out}\n{err}");
    assert_eq!(out.trim(), "enrolled=Apotheek Kerkstraat");
    let data = wine.local_app_data()?.join("masker19");
    assert!(data.join("outbox.db").is_file(), "outbox in %LOCALAPPDATA%\\masker19");
    assert!(
        !data.join("outbox.key").exists(),
        "the key is in the Credential Manager"
    );
    assert!(
        wine.registry("user.reg")?.contains("nl.masker19.outbox"),
        "a credential was stored"
    );

    let (id, (code, out, err)) = queue_and_sync(&wine, helper, &[])?;
    assert_eq!(code, 0, "--sync: {out}\n{err}");
    assert_eq!(out.trim(), "sent=1 waiting=0 rejected=0 lost=0");
    assert!(on_server(&server, &id)?, "the report reached the server");

    // The key-file fallback (no keyring): another device, its key in outbox.key beside the outbox.
    let keyfile_env = [("MASKER19_KEYRING", "off"), ("MASKER19_DATA_DIR", r"C:\apotheek-data")];
    let (code, out, err) = run(
        &wine,
        APP,
        &["--server", &server.url, "--enroll", &code_2],
        &keyfile_env,
    )?;
    assert_eq!(code, 0, "enroll with a key file: {out}\n{err}");
    let keyfile_dir = wine.c_drive().join("apotheek-data");
    assert!(keyfile_dir.join("outbox.key").is_file() && keyfile_dir.join("outbox.db").is_file());
    let (id, (code, out, err)) = queue_and_sync(&wine, helper, &keyfile_env)?;
    assert_eq!(code, 0, "--sync with a key file: {out}\n{err}");
    assert!(on_server(&server, &id)?, "the report reached the server");

    // The server away: the report waits, and --sync says why in Dutch and English, exit 1.
    server.kill9()?;
    let (_, (code, out, err)) = queue_and_sync(&wine, helper, &keyfile_env)?;
    assert_eq!(code, 1, "{out}\n{err}");
    assert_eq!(out.trim(), "sent=0 waiting=1 rejected=0 lost=0");
    assert!(
        err.contains("1 melding is nog niet verzonden") && err.contains("1 report is not sent yet"),
        "{err}"
    );

    // Uninstall silently: everything installed goes, the data stays.
    uninstall(&wine, &[])?;
    assert!(!dir.exists(), "Program Files\\Apotheek removed");
    assert!(!start_menu.join("Apotheek.lnk").exists(), "Start-menu entry removed");
    assert!(!wine.registry("system.reg")?.contains(r#""DisplayName"="Apotheek""#));
    assert!(data.join("outbox.db").is_file(), "the encrypted outbox is kept");

    // Installed again and uninstalled with /REMOVEDATA: the data goes too.
    let out = wine.run(&[&installer.to_string_lossy(), "/S"], &[], 2 * MINUTE)?;
    assert!(out.status.success(), "installer: {out:?}");
    wine.wait()?;
    uninstall(&wine, &["/REMOVEDATA"])?;
    assert!(!data.exists(), "%LOCALAPPDATA%\\masker19 removed when asked");
    Ok(())
}

/// The README's signing recipe with a throwaway self-signed certificate: `osslsigncode sign`, then
/// `osslsigncode verify` against that certificate. The signed installer is the one installed.
fn signed_copy(installer: &Path, dir: &Path) -> anyhow::Result<std::path::PathBuf> {
    let sh = |program: &str, args: &[&str]| -> R {
        let out = std::process::Command::new(program)
            .current_dir(dir)
            .args(args)
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        Ok(())
    };
    #[rustfmt::skip]
    sh("openssl", &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Apotheek test",
        "-keyout", "key.pem", "-out", "cert.pem"])?;
    #[rustfmt::skip]
    sh("openssl", &["pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "codesign.p12",
        "-passout", "pass:test-only"])?;
    std::fs::write(dir.join("codesign.pass"), "test-only")?;
    let signed = dir.join("Apotheek-setup-signed.exe");
    let input = installer.to_string_lossy();
    #[rustfmt::skip]
    sh("osslsigncode", &["sign", "-pkcs12", "codesign.p12", "-readpass", "codesign.pass", "-n", "Apotheek",
        "-h", "sha256", "-in", &input, "-out", "Apotheek-setup-signed.exe"])?;
    sh(
        "osslsigncode",
        &["verify", "-CAfile", "cert.pem", "-in", "Apotheek-setup-signed.exe"],
    )?;
    Ok(signed)
}

/// `uninstall.exe /S ARGS`, waiting for the copy of itself it runs from a temporary folder.
fn uninstall(wine: &Prefix, args: &[&str]) -> R {
    let out = wine.run(&[&[UNINSTALL, "/S"], args].concat(), &[], 2 * MINUTE)?;
    assert!(out.status.success(), "uninstall: {out:?}");
    wine.wait()
}
