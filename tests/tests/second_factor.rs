//! A second factor (TOTP, RFC 6238) for intake and evaluator users, against the real server:
//! set up at the first sign-in, one code per time step, recovery codes once, wrong codes
//! throttled like wrong passwords, and `user reset-2fa`.

use masker19_e2e::totp::{self, code_at, current_step};
use masker19_e2e::web::{Page, Web};
use masker19_e2e::{Api, DEMO_PASSWORD, Reply, TestServer, admin, demo_server, temp_db};
use serde_json::json;

type R = anyhow::Result<()>;

const NAME: &str = "Anna de Vries";
const PASSWORD: &str = "lang-genoeg-wachtwoord";

/// A server with one intake user of VT01 who has not signed in yet.
fn server_with_new_user() -> anyhow::Result<(tempfile::TempDir, TestServer)> {
    let (dir, db) = temp_db()?;
    let out = admin(
        &db,
        &["user", "add", "--role", "intake", "--region", "VT01", "--name", NAME],
        &format!("{PASSWORD}\n"),
    )?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Ok((dir, TestServer::start(&db, false)?))
}

fn session(api: &Api, name: &str, password: &str, code: Option<&str>) -> anyhow::Result<Reply> {
    let mut body = json!({"name": name, "password": password});
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    api.post_json("/api/v1/session", None, &body)
}

fn rule(reply: &Reply) -> String {
    assert_eq!(reply.body["fields"][0]["path"], "/code", "{}", reply.body);
    reply.body["fields"][0]["rule"].as_str().unwrap_or_default().to_owned()
}

/// The current time step, at least 3 seconds before it ends (so a request made now arrives in it).
fn a_whole_step() -> u64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let left = totp::STEP_SECS as f64 - secs % totp::STEP_SECS as f64;
    if left < 3.0 {
        std::thread::sleep(std::time::Duration::from_secs_f64(left + 0.2));
    }
    current_step()
}

fn cookie_of(page: &Page, name_part: &str) -> Option<String> {
    page.set_cookies()
        .into_iter()
        .find(|c| c.contains(name_part) && !c.contains("Max-Age=0"))
        .and_then(|c| c.split(';').next().map(str::to_owned))
}

#[test]
fn the_first_sign_in_sets_up_the_second_factor_and_then_the_api_needs_a_code() -> R {
    let (_dir, server) = server_with_new_user()?;
    let api = server.client();
    let before = session(&api, NAME, PASSWORD, None)?;
    assert_eq!(before.status, 403, "{}", before.body);
    assert_eq!(rule(&before), "second_factor_setup_required");

    let web = Web::new(&server.url)?;
    let done = web.post_login(NAME, PASSWORD, "")?;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some("/login/setup"));
    assert!(
        cookie_of(&done, "session=").is_none(),
        "no session before the second factor"
    );
    let setup_cookie = cookie_of(&done, "_setup=").ok_or_else(|| anyhow::anyhow!("a setup cookie"))?;
    let page = web.get("/login/setup", &setup_cookie)?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"nl\"") && page.body.contains("Code uit uw authenticator-app"));
    assert!(
        page.body.contains("src=\"data:image/svg+xml;base64,"),
        "the QR code as SVG"
    );
    assert!(!page.body.contains("<script"), "no JavaScript");
    let secret = totp::element_text(&page.body, "totp-secret").unwrap_or_default();
    assert_eq!(secret.len(), 32, "160 bits in base32: {secret}");
    let csrf = page.csrf().unwrap_or_default();

    let wrong = web.post(
        "/login/setup",
        &setup_cookie,
        Some(&server.url),
        &[("code", "000000"), ("csrf", &csrf)],
    )?;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("klopt niet") && cookie_of(&wrong, "session=").is_none());
    let forged = web.post(
        "/login/setup",
        &setup_cookie,
        Some(&server.url),
        &[("code", &code_at(&secret, a_whole_step())?), ("csrf", "x")],
    )?;
    assert_eq!(forged.status, 403, "the setup form checks its CSRF token");

    let step = a_whole_step();
    let shown = web.post(
        "/login/setup",
        &setup_cookie,
        Some(&server.url),
        &[("code", &code_at(&secret, step)?), ("csrf", &csrf)],
    )?;
    assert_eq!(shown.status, 200, "{}", shown.body);
    let codes = totp::recovery_codes(&shown.body);
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    let cookie = cookie_of(&shown, "session=").ok_or_else(|| anyhow::anyhow!("a page session"))?;
    assert_eq!(web.get("/intake", &cookie)?.status, 200, "signed in");
    assert_eq!(
        web.get("/login/setup", &setup_cookie)?.header("location"),
        Some("/login"),
        "the setup is over"
    );

    let no_code = session(&api, NAME, PASSWORD, None)?;
    assert_eq!((no_code.status, rule(&no_code).as_str()), (401, "required"));
    let empty = session(&api, NAME, PASSWORD, Some(""))?;
    assert_eq!((empty.status, rule(&empty).as_str()), (401, "required"));
    let wrong = session(&api, NAME, PASSWORD, Some("12345x"))?;
    assert_eq!((wrong.status, rule(&wrong).as_str()), (401, "invalid"));
    let wrong_password = session(&api, NAME, "fout-fout-fout", Some(&code_at(&secret, step + 1)?))?;
    assert_eq!(wrong_password.status, 401);
    assert_eq!(wrong_password.body["fields"], json!([]), "nothing said about the code");
    let right = session(&api, NAME, PASSWORD, Some(&code_at(&secret, step + 1)?))?;
    assert_eq!(right.status, 201, "{}", right.body);
    Ok(())
}

#[test]
fn a_recovery_code_works_once() -> R {
    let (_dir, server) = server_with_new_user()?;
    let web = Web::new(&server.url)?;
    let setup = web.setup(NAME, PASSWORD)?;
    assert_eq!(setup.recovery_codes.len(), 10);
    let api = server.client();
    let spare = setup.recovery_codes[0].clone();
    let first = session(&api, NAME, PASSWORD, Some(&spare.to_lowercase()))?;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = session(&api, NAME, PASSWORD, Some(&spare))?;
    assert_eq!((again.status, rule(&again).as_str()), (401, "invalid"), "used up");
    // Another one on the login page.
    let page = web.post_login(NAME, PASSWORD, &setup.recovery_codes[1])?;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.header("location"), Some("/intake"));
    let reused = web.post_login(NAME, PASSWORD, &setup.recovery_codes[1])?;
    assert_eq!(reused.status, 401);
    assert!(reused.body.contains("herstelcode"), "the page says what to do in Dutch");
    Ok(())
}

#[test]
fn a_time_step_is_accepted_once_and_never_an_earlier_one() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    assert_eq!(
        server.info["totp_secret"],
        totp::DEMO_TOTP_SECRET,
        "the demo prints its secret"
    );
    let api = server.client();
    let user = "intake-vt05";
    let step = a_whole_step();
    let code = code_at(totp::DEMO_TOTP_SECRET, step)?;
    assert_eq!(session(&api, user, DEMO_PASSWORD, Some(&code))?.status, 201);
    let replay = session(&api, user, DEMO_PASSWORD, Some(&code))?;
    assert_eq!(
        (replay.status, rule(&replay).as_str()),
        (401, "invalid"),
        "the same step again"
    );
    let earlier = session(
        &api,
        user,
        DEMO_PASSWORD,
        Some(&code_at(totp::DEMO_TOTP_SECRET, step - 1)?),
    )?;
    assert_eq!(
        (earlier.status, rule(&earlier).as_str()),
        (401, "invalid"),
        "an earlier step"
    );
    let web = Web::new(&server.url)?;
    assert_eq!(
        web.post_login(user, DEMO_PASSWORD, &code)?.status,
        401,
        "nor on the page"
    );
    let too_far = session(
        &api,
        user,
        DEMO_PASSWORD,
        Some(&code_at(totp::DEMO_TOTP_SECRET, step + 2)?),
    )?;
    assert_eq!(too_far.status, 401, "two steps ahead is beyond the skew");
    let next = session(
        &api,
        user,
        DEMO_PASSWORD,
        Some(&code_at(totp::DEMO_TOTP_SECRET, step + 1)?),
    )?;
    assert_eq!(
        next.status, 201,
        "the next step, within one step of skew: {}",
        next.body
    );
    Ok(())
}

#[test]
fn wrong_codes_with_the_right_password_are_throttled() -> R {
    // The attacker knows the password and guesses codes.
    let (_dir, server, _device) = demo_server(&[])?;
    let api = server.client();
    let user = "intake-vt07";
    let mut refused = 0;
    let throttled = loop {
        let r = session(&api, user, DEMO_PASSWORD, Some(&format!("{:06}", 100_000 + refused)))?;
        match r.status {
            401 => {
                assert_eq!(rule(&r), "invalid");
                refused += 1;
            }
            429 => break r,
            other => anyhow::bail!("a wrong code answered {other}: {}", r.body),
        }
        anyhow::ensure!(refused <= 20, "20 wrong codes and no 429");
    };
    assert!((1..=6).contains(&refused), "{refused} codes checked before the 429");
    assert!(throttled.retry_after.is_some(), "429 says how long to wait");
    let right = code_at(totp::DEMO_TOTP_SECRET, a_whole_step())?;
    assert_eq!(
        session(&api, user, DEMO_PASSWORD, Some(&right))?.status,
        429,
        "the right code from the same address waits too"
    );
    // The page's code field goes through the same throttle.
    let web = Web::new(&server.url)?;
    assert_eq!(web.post_login(user, DEMO_PASSWORD, &right)?.status, 429);
    Ok(())
}

#[test]
fn reset_2fa_ends_the_sessions_and_the_next_sign_in_sets_up_again() -> R {
    let (_dir, server) = server_with_new_user()?;
    let web = Web::new(&server.url)?;
    let first = web.setup(NAME, PASSWORD)?;
    let api = server.client();
    let token = api.login(NAME, PASSWORD)?;
    assert_eq!(api.get("/api/v1/intake/reports", Some(&token))?.status, 200);
    assert_eq!(web.get("/intake", &first.session.cookie)?.status, 200);

    let out = admin(&server.db, &["user", "reset-2fa", NAME], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let unknown = admin(&server.db, &["user", "reset-2fa", "niemand"], "")?;
    assert_eq!(unknown.status.code(), Some(1));

    assert_eq!(
        api.get("/api/v1/intake/reports", Some(&token))?.status,
        401,
        "API session ended"
    );
    let page = web.get("/intake", &first.session.cookie)?;
    assert_eq!(page.header("location"), Some("/login"), "page session ended");
    let old_code = code_at(&first.secret, a_whole_step() + 1)?;
    let after = session(&api, NAME, PASSWORD, Some(&old_code))?;
    assert_eq!(
        (after.status, rule(&after).as_str()),
        (403, "second_factor_setup_required")
    );
    totp::forget(&server.url, NAME);
    let second = web.setup(NAME, PASSWORD)?;
    assert_ne!(second.secret, first.secret, "a new secret");
    assert_eq!(second.recovery_codes.len(), 10);
    assert!(
        second.recovery_codes.iter().all(|c| !first.recovery_codes.contains(c)),
        "new recovery codes"
    );
    let old_spare = session(&api, NAME, PASSWORD, Some(&first.recovery_codes[0]))?;
    assert_eq!(old_spare.status, 401, "the old recovery codes are gone");
    Ok(())
}

#[test]
fn wrong_codes_on_the_setup_page_are_throttled_too() -> R {
    let (_dir, server) = server_with_new_user()?;
    let web = Web::new(&server.url)?;
    let done = web.post_login(NAME, PASSWORD, "")?;
    let cookie = cookie_of(&done, "_setup=").ok_or_else(|| anyhow::anyhow!("a setup cookie"))?;
    let page = web.get("/login/setup", &cookie)?;
    let csrf = page.csrf().unwrap_or_default();
    let secret = totp::element_text(&page.body, "totp-secret").unwrap_or_default();
    let post = |code: &str| {
        web.post(
            "/login/setup",
            &cookie,
            Some(&server.url),
            &[("code", code), ("csrf", &csrf)],
        )
    };
    let mut refused = 0;
    let throttled = loop {
        let r = post(&format!("{:06}", 200_000 + refused))?;
        match r.status {
            401 => refused += 1,
            429 => break r,
            other => anyhow::bail!("a wrong setup code answered {other}"),
        }
        anyhow::ensure!(refused <= 20, "20 wrong setup codes and no 429");
    };
    assert!((1..=6).contains(&refused), "{refused} codes checked before the 429");
    assert!(throttled.header("retry-after").is_some());
    assert!(throttled.body.contains("Te veel pogingen"), "said in Dutch");
    let right = post(&code_at(&secret, a_whole_step())?)?;
    assert_eq!(right.status, 429, "the right code from the same address waits too");
    assert!(cookie_of(&right, "session=").is_none(), "no session");
    Ok(())
}
