//! `serve --demo` prints every region's intake user and the one the demo pharmacy's reports go
//! to (before, only `intake_user=intake-vt01`, while the demo's reports route elsewhere), and
//! each of them signs in with the demo password.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use masker19_e2e::{DEMO_PASSWORD, TestServer, server_bin, temp_db};

#[test]
fn the_demo_prints_every_regions_intake_user_and_the_one_its_reports_go_to() -> anyhow::Result<()> {
    let (_dir, db) = temp_db()?;
    // Its own run, read to the end of what it prints.
    let mut child = Command::new(server_bin())
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .env("MASKER19_ALLOW_TEST_SETTINGS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    // Everything it prints at the start (it then serves, silent).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut printed = Vec::new();
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
        let last = line.starts_with("home_intake_user=");
        printed.push(line);
        if last {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let value = |key: &str| {
        printed
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_default()
            .to_owned()
    };
    let all = value("intake_users");
    let home = value("home_intake_user");
    println!("intake_users={all}\nhome_intake_user={home}");
    let users: Vec<&str> = all
        .split(',')
        .filter_map(|p| p.split_once(':').map(|(_, u)| u))
        .collect();
    assert_eq!(
        users.len(),
        meldcode::regions::latest().regions().count(),
        "{printed:?}"
    );
    let home_region = meldcode::regions::latest()
        .region_of("GM0363")
        .map(|r| r.code.to_lowercase())
        .unwrap_or_default();
    assert_eq!(home, format!("intake-{home_region}"), "{printed:?}");

    // The printed users sign in (the home one and another).
    let (_sdir, db2) = temp_db()?;
    let server = TestServer::start(&db2, true)?;
    let api = server.client();
    for user in [home.as_str(), users[users.len() - 1]] {
        api.login(user, DEMO_PASSWORD)?;
    }
    Ok(())
}
