//! The admin CLI's contract and user sessions, against the real binary.

use masker19_e2e::{TestServer, admin, temp_db};
use serde_json::json;

type R = anyhow::Result<()>;

#[test]
fn user_add_rules_and_sessions() -> R {
    let (_dir, db) = temp_db()?;
    let ok = admin(
        &db,
        &[
            "user",
            "add",
            "--role",
            "intake",
            "--region",
            "VT18",
            "--name",
            "rotterdam-1",
        ],
        "lang-genoeg-wachtwoord\n",
    )?;
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let dup = admin(
        &db,
        &["user", "add", "--role", "evaluator", "--name", "rotterdam-1"],
        "lang-genoeg-wachtwoord\n",
    )?;
    assert_eq!(dup.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("exists"));
    let short = admin(&db, &["user", "add", "--role", "evaluator", "--name", "eva"], "kort\n")?;
    assert_eq!(short.status.code(), Some(1), "a password under 12 characters");
    let no_region = admin(
        &db,
        &["user", "add", "--role", "intake", "--name", "x"],
        "lang-genoeg-wachtwoord\n",
    )?;
    assert_eq!(no_region.status.code(), Some(1));
    let bad_gemeente = admin(&db, &["pharmacy", "add", "--name", "X", "--gemeente", "GM0000"], "")?;
    assert_eq!(bad_gemeente.status.code(), Some(1));

    let server = TestServer::start(&db, false)?;
    let api = server.client();
    let password_only = json!({"name": "rotterdam-1", "password": "lang-genoeg-wachtwoord"});
    let login = api.post_json("/api/v1/session", None, &password_only)?;
    assert_eq!(
        login.status, 403,
        "a new user sets up a second factor first: {}",
        login.body
    );
    assert_eq!(login.body["fields"][0]["rule"], "second_factor_setup_required");
    masker19_e2e::web::Web::new(&server.url)?.setup("rotterdam-1", "lang-genoeg-wachtwoord")?;
    let code = masker19_e2e::totp::next_code(&server.url, "rotterdam-1")?;
    let login = api.post_json(
        "/api/v1/session",
        None,
        &json!({"name": "rotterdam-1", "password": "lang-genoeg-wachtwoord", "code": code}),
    )?;
    assert_eq!(login.status, 201, "{}", login.body);
    assert!(login.body["token"].is_string() && login.body["expires_at"].is_string());

    let wrong = json!({"name": "rotterdam-1", "password": "fout-fout-fout"});
    for _ in 0..5 {
        assert_eq!(api.post_json("/api/v1/session", None, &wrong)?.status, 401);
    }
    let limited = api.post_json("/api/v1/session", None, &wrong)?;
    assert_eq!(limited.status, 429);
    assert!(
        limited
            .retry_after
            .as_deref()
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|s| (1..=60).contains(&s))
    );

    let out = admin(&db, &["user", "reset-password", "rotterdam-1"], "nieuw-wachtwoord-19\n")?;
    assert!(out.status.success());
    let out = admin(&db, &["user", "disable", "rotterdam-1"], "")?;
    assert!(out.status.success());
    let after = api.post_json(
        "/api/v1/session",
        None,
        &json!({"name": "rotterdam-1", "password": "nieuw-wachtwoord-19"}),
    )?;
    assert_eq!(after.status, 429, "still limited for this name and address");
    Ok(())
}

#[test]
fn global_db_flag_goes_before_or_after_the_command() -> R {
    let (dir, db) = temp_db()?;
    let out = std::process::Command::new(masker19_e2e::server_bin())
        .args([
            "pharmacy",
            "add",
            "--name",
            "Apotheek Noord",
            "--gemeente",
            "GM0014",
            "--db",
        ])
        .arg(&db)
        .output()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = admin(&db, &["pharmacy", "list"], "")?;
    assert!(String::from_utf8(list.stdout)?.contains("Apotheek Noord\tGM0014\tVT08"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("masker19.db.key"))?
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
    Ok(())
}

#[test]
fn health_openapi_and_unknown_routes() -> R {
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, false)?;
    let api = server.client();
    assert_eq!(api.get("/healthz", None)?.status, 200);
    let doc = api.get("/api/v1/openapi.json", None)?.body;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    let missing = api.get("/nope", None)?;
    assert_eq!(missing.status, 404);
    assert!(missing.body["error"].is_string());
    assert_eq!(api.get("/api/v1/reports", None)?.status, 405);
    Ok(())
}

/// A new database holding one real pharmacy: what `serve --demo` must refuse.
fn db_with_a_real_pharmacy() -> anyhow::Result<(tempfile::TempDir, std::path::PathBuf)> {
    let (dir, db) = temp_db()?;
    masker19_e2e::add_pharmacy(&db, "Apotheek Echt", "GM0363")?;
    Ok((dir, db))
}

#[test]
fn serve_demo_refuses_a_database_with_real_data() -> R {
    let (_dir, db) = db_with_a_real_pharmacy()?;
    let started = TestServer::start(&db, true);
    assert!(
        started.is_err(),
        "serve --demo started on a database with a real pharmacy"
    );
    drop(started);
    let out = admin(&db, &["serve", "--listen", "127.0.0.1:0", "--demo"], "")?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("demo"),
        "a message says why"
    );
    let disable = admin(&db, &["user", "disable", "intake-vt01"], "")?;
    assert_eq!(disable.status.code(), Some(1), "no demo user was seeded");
    let list = String::from_utf8(admin(&db, &["pharmacy", "list"], "")?.stdout)?;
    assert!(!list.contains("Demo-apotheek"), "{list}");
    Ok(())
}

/// A refused start exits with its message and code 1, every time: the store's connection threads
/// are closed before the process exits, so SQLCipher's exit handler never frees what a closing
/// connection still uses (a segfault, 4 in 900 such starts six at a time, before the fix).
#[test]
fn a_refused_start_always_exits_with_code_1_and_never_crashes() -> R {
    let (_dir, db) = db_with_a_real_pharmacy()?;
    let codes = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..6)
            .map(|_| {
                scope.spawn(|| {
                    (0..100)
                        .map(|_| admin(&db, &["serve", "--listen", "127.0.0.1:0", "--demo"], "").map(|o| o.status))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        runs.into_iter()
            .map(|r| r.join().map_err(|_| anyhow::anyhow!("a run panicked"))?)
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let crashed: Vec<_> = codes.iter().flatten().filter(|s| s.code() != Some(1)).collect();
    assert!(
        crashed.is_empty(),
        "{} of 600 refused starts: {crashed:?}",
        crashed.len()
    );
    Ok(())
}

#[test]
fn serve_demo_starts_again_on_its_own_demo_database() -> R {
    let (_dir, db) = temp_db()?;
    let first = TestServer::start(&db, true)?;
    let token = first.client().enroll(&first.info["enrollment_code"])?;
    drop(first);
    let again = TestServer::start(&db, true)?;
    let api = again.client();
    let status = api.get(
        &format!("/api/v1/reports/{}/status", uuid::Uuid::new_v4()),
        Some(&token),
    )?;
    assert_eq!(status.status, 404, "the demo device still works");
    api.enroll(&again.info["enrollment_code"])?;
    Ok(())
}

/// The attack: `serve --demo` once, then the database is taken into real use. Its demo accounts
/// share the published password and its counts are made up, so plain `serve`, `pharmacy add`,
/// `pharmacy code` and `user add` refuse it, and nothing real gets into it.
#[test]
fn a_demo_database_is_never_taken_into_real_use() -> R {
    let (_dir, db) = temp_db()?;
    drop(TestServer::start(&db, true)?);
    let served = TestServer::start(&db, false);
    assert!(served.is_err(), "plain serve started on a demo database");
    drop(served);
    let attempts: [(&[&str], &str); 4] = [
        (
            &["pharmacy", "add", "--name", "Apotheek Echt", "--gemeente", "GM0363"],
            "",
        ),
        (&["pharmacy", "code", "Demo-apotheek"], ""),
        (
            &["user", "add", "--role", "evaluator", "--name", "echte-evaluator"],
            "lang-genoeg-wachtwoord\n",
        ),
        (&["serve", "--listen", "127.0.0.1:0"], ""),
    ];
    for (args, stdin) in attempts {
        let out = admin(&db, args, stdin)?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?} on a demo database: {stderr}");
        assert!(
            stderr.contains("serve --demo"),
            "{args:?}: the message says why: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?} printed no code or url");
    }
    let pharmacies = String::from_utf8(admin(&db, &["pharmacy", "list"], "")?.stdout)?;
    assert!(!pharmacies.contains("Apotheek Echt"), "{pharmacies}");
    let disable = admin(&db, &["user", "disable", "echte-evaluator"], "")?;
    assert_eq!(disable.status.code(), Some(1), "the user was never added");
    assert!(TestServer::start(&db, true).is_ok(), "the demo itself still starts");
    Ok(())
}

/// Enroll a device with a name; its bearer token.
fn enroll_named(api: &masker19_e2e::Api, code: &str, name: &str) -> anyhow::Result<masker19_e2e::Reply> {
    api.post_json("/api/v1/enroll", None, &json!({"code": code, "device_name": name}))
}

/// The attack: a device name that forges a row in `device list` or rewrites the admin's
/// terminal. Enrollment refuses it (422, `control_character`); a name already in the database
/// is printed escaped.
#[test]
fn device_names_never_reach_the_terminal_raw() -> R {
    let (_dir, db) = temp_db()?;
    let code = |db: &std::path::Path| -> anyhow::Result<String> {
        let out = admin(db, &["pharmacy", "code", "Apotheek Zuid"], "")?;
        Ok(String::from_utf8(out.stdout)?.trim().to_owned())
    };
    masker19_e2e::add_pharmacy(&db, "Apotheek Zuid", "GM0363")?;
    let server = TestServer::start(&db, false)?;
    let api = server.client();
    for forged in [
        "Kassa 1\t2026-01-01\n99\tApotheek Noord\tOverval",
        "Kassa \u{1b}]0;pwned\u{7}\u{1b}[2J",
        "Kassa \u{202e}2 assaK",
    ] {
        let refused = enroll_named(&api, &code(&db)?, forged)?;
        assert_eq!(refused.status, 422, "{forged:?}: {}", refused.body);
        assert_eq!(refused.body["fields"][0]["path"], "/device_name");
        assert_eq!(refused.body["fields"][0]["rule"], "control_character");
    }
    let long = enroll_named(&api, &code(&db)?, &"k".repeat(101))?;
    assert_eq!(long.status, 422, "at most 100 characters");
    assert_eq!(enroll_named(&api, &code(&db)?, "Kassa 2 — Één")?.status, 201);
    drop(server);

    // A name that got in before this rule: printed escaped, one row per device.
    let store = masker19_e2e::open_store(&db)?;
    store.execute(
        "UPDATE device SET name = 'Kassa 2' || char(9) || 'x' || char(10) || '9' || char(27) || '[2J'",
        [],
    )?;
    drop(store);
    let listed = admin(&db, &["device", "list"], "")?;
    let text = String::from_utf8(listed.stdout)?;
    assert_eq!(text.lines().count(), 1, "one row: {text:?}");
    assert_eq!(text.matches('\t').count(), 4, "the columns the CLI wrote: {text:?}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("\\u{1b}[2J"), "shown as an escape: {text:?}");
    Ok(())
}

#[test]
fn pharmacy_code_device_list_and_revoke_by_id() -> R {
    let (_dir, db) = temp_db()?;
    let out = admin(
        &db,
        &["pharmacy", "add", "--name", "Apotheek Zuid", "--gemeente", "GM0363"],
        "",
    )?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first_code = String::from_utf8(out.stdout)?;
    let server = TestServer::start(&db, false)?;
    let api = server.client();
    let first = enroll_named(&api, first_code.trim(), "balie-zuid")?;
    assert_eq!(first.status, 201, "{}", first.body);

    let out = admin(&db, &["pharmacy", "code", "Apotheek Zuid"], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let code = String::from_utf8(out.stdout)?;
    assert_eq!(code.lines().count(), 1, "the code alone on standard output: {code}");
    let second = enroll_named(&api, code.trim(), "achter-zuid")?;
    assert_eq!(second.status, 201, "{}", second.body);
    assert_eq!(enroll_named(&api, code.trim(), "nog-een")?.status, 401, "single use");
    let by_id = admin(&db, &["pharmacy", "code", "1"], "")?;
    assert!(by_id.status.success(), "{}", String::from_utf8_lossy(&by_id.stderr));
    assert_ne!(String::from_utf8(by_id.stdout)?.trim(), code.trim(), "a fresh code");
    assert_eq!(
        admin(&db, &["pharmacy", "code", "Onbekend"], "")?.status.code(),
        Some(1)
    );

    let tokens: Vec<String> = [&first, &second]
        .iter()
        .map(|r| r.body["device_token"].as_str().unwrap_or_default().to_owned())
        .collect();
    let path = format!("/api/v1/reports/{}/status", uuid::Uuid::new_v4());
    assert_eq!(api.get(&path, Some(&tokens[0]))?.status, 404, "a known device");

    let out = admin(&db, &["device", "list"], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listing = String::from_utf8(out.stdout)?;
    assert_eq!(listing.lines().count(), 2, "one line per device: {listing}");
    let line_of = |name: &str| -> Vec<String> {
        listing
            .lines()
            .find(|l| l.contains(name))
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let (balie, achter) = (line_of("balie-zuid"), line_of("achter-zuid"));
    assert_eq!(balie.len(), 5, "id, pharmacy, name, enrolled, last seen: {listing}");
    assert_eq!(balie[1], "Apotheek Zuid");
    assert_eq!(balie[2], "balie-zuid");
    assert!(
        balie[0].parse::<i64>().is_ok() && achter[0].parse::<i64>().is_ok(),
        "{listing}"
    );
    assert!(balie[4].starts_with("20"), "last seen after a request: {listing}");
    assert_eq!(
        first.body["device_id"].as_i64().map(|id| id.to_string()).as_deref(),
        Some(balie[0].as_str()),
        "enrollment tells the device its id, as `device list` shows it"
    );
    let prefixes: Vec<String> = masker19_e2e::open_store(&db)?
        .prepare("SELECT token_prefix FROM device")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    assert!(
        prefixes.iter().all(String::is_empty),
        "no part of a token in the clear: {prefixes:?}"
    );
    assert_eq!(achter[4], "-", "never seen: {listing}");

    let out = admin(&db, &["device", "revoke", &balie[0]], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(api.get(&path, Some(&tokens[0]))?.status, 401, "revoked at once");
    assert_eq!(
        api.get(&path, Some(&tokens[1]))?.status,
        404,
        "the other device still works"
    );
    assert_eq!(admin(&db, &["device", "revoke", "9999"], "")?.status.code(), Some(1));

    // The contract's five columns hold for every line: a revoked device leaves the listing,
    // and `--all` shows it with the time of revocation in a sixth column.
    let listing = String::from_utf8(admin(&db, &["device", "list"], "")?.stdout)?;
    assert_eq!(listing.lines().count(), 1, "only the active device: {listing}");
    assert!(listing.lines().all(|l| l.split('\t').count() == 5), "{listing}");
    let all = String::from_utf8(admin(&db, &["device", "list", "--all"], "")?.stdout)?;
    let revoked = all.lines().find(|l| l.contains("balie-zuid")).unwrap_or_default();
    let cols: Vec<&str> = revoked.split('\t').collect();
    assert_eq!(cols.len(), 6, "{all}");
    assert!(cols[5].starts_with("revoked 20"), "{all}");
    Ok(())
}
