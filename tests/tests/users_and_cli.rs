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
    let login = api.post_json(
        "/api/v1/session",
        None,
        &json!({"name": "rotterdam-1", "password": "lang-genoeg-wachtwoord"}),
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
