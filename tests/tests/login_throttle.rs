//! Failed logins slow down per (name, client address), never lock a user out for everyone
//! (docs/contract.md, "Sign-in"): behind a trusted reverse proxy the client address is the last
//! `X-Forwarded-For` hop; from anyone else that header is ignored.

use masker19_e2e::web::Web;
use masker19_e2e::{Reply, TestServer, admin, temp_db};
use serde_json::json;

const NAME: &str = "utrecht-1";
const PASSWORD: &str = "lang-genoeg-wachtwoord";

fn server_with_user(env: &[(&str, &str)]) -> anyhow::Result<(tempfile::TempDir, TestServer)> {
    let (dir, db) = temp_db()?;
    let out = admin(
        &db,
        &["user", "add", "--role", "intake", "--region", "VT01", "--name", NAME],
        &format!("{PASSWORD}\n"),
    )?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = TestServer::start_with(&db, false, env)?;
    Web::new(&server.url)?.setup(NAME, PASSWORD)?;
    Ok((dir, server))
}

/// `POST /api/v1/session` with an `X-Forwarded-For` header (and with the right password a fresh
/// second-factor code).
fn login_from(server: &TestServer, forwarded_for: &str, password: &str) -> anyhow::Result<Reply> {
    let taken = if password == PASSWORD {
        Some(masker19_e2e::totp::next(&server.url, NAME)?)
    } else {
        None
    };
    let code = taken.as_ref().map_or("000000", |t| t.code.as_str());
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/session", server.url))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"name": NAME, "password": password, "code": code}))
        .send()?;
    let reply = Reply::read(resp)?;
    if let Some(taken) = taken.filter(|_| reply.status == 429) {
        // Refused before anything was checked: the code's time step is still unused.
        masker19_e2e::totp::give_back(&server.url, NAME, &taken);
    }
    Ok(reply)
}

/// Wrong passwords until the server answers 429; that answer.
fn fail_until_throttled(server: &TestServer, forwarded_for: &str) -> anyhow::Result<Reply> {
    for _ in 0..20 {
        let r = login_from(server, forwarded_for, "fout-fout-fout")?;
        match r.status {
            401 => continue,
            429 => return Ok(r),
            other => anyhow::bail!("a wrong password answered {other}: {}", r.body),
        }
    }
    anyhow::bail!("20 wrong passwords and still no 429")
}

#[test]
fn behind_a_trusted_proxy_one_address_cannot_lock_out_another() -> anyhow::Result<()> {
    let (_dir, server) = server_with_user(&[("MASKER19_TRUSTED_PROXIES", "127.0.0.1")])?;
    // Someone at 192.0.2.10 guesses; the proxy appends the address it saw as the last hop.
    let throttled = fail_until_throttled(&server, "203.0.113.1, 192.0.2.10")?;
    let wait: u64 = throttled.retry_after.as_deref().unwrap_or_default().parse()?;
    assert!(wait >= 1, "429 says how long to wait");
    assert!(throttled.body["error"].is_string(), "a JSON error body");
    assert_eq!(
        login_from(&server, "192.0.2.10", PASSWORD)?.status,
        429,
        "the guesser's address waits, even with the right password"
    );
    // The user herself, at another address behind the same proxy, gets in.
    let own = login_from(&server, "198.51.100.20", PASSWORD)?;
    assert_eq!(own.status, 201, "{}", own.body);
    // So does the login page.
    let web = Web::new(&server.url)?;
    let page = web.get("/login", "")?;
    let cookie = page
        .set_cookies()
        .first()
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let csrf = page.csrf().unwrap_or_default();
    let code = masker19_e2e::totp::next_code(&server.url, NAME)?;
    let resp = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(format!("{}/login", server.url))
        .header("cookie", cookie)
        .header("x-forwarded-for", "198.51.100.21")
        .form(&[
            ("name", NAME),
            ("password", PASSWORD),
            ("code", code.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()?;
    assert_eq!(resp.status().as_u16(), 303, "the login form from another address");
    Ok(())
}

#[test]
fn without_trusted_proxies_the_forwarded_header_is_ignored() -> anyhow::Result<()> {
    let (_dir, server) = server_with_user(&[])?;
    // A guesser who names a fresh address on every try is still one address: the socket's.
    let mut throttled = None;
    for i in 0..20 {
        let r = login_from(&server, &format!("192.0.2.{i}"), "fout-fout-fout")?;
        if r.status == 429 {
            throttled = Some(r);
            break;
        }
        assert_eq!(r.status, 401);
    }
    let throttled = throttled.ok_or_else(|| anyhow::anyhow!("no 429: the header was believed"))?;
    assert!(throttled.retry_after.is_some());
    assert_eq!(login_from(&server, "198.51.100.20", PASSWORD)?.status, 429);
    Ok(())
}

/// The attack: 60 wrong passwords at once for one name from one address, every 503 retried at
/// once. Each attempt is reserved before its check, so only the free attempts and the one that
/// starts the wait are checked (before: 10–12, then 14, then a 900 s wait for the owner).
#[test]
fn a_burst_of_guesses_gets_only_the_free_attempts() -> anyhow::Result<()> {
    let (_dir, server) = server_with_user(&[])?;
    let url = format!("{}/api/v1/session", server.url);
    let rt = tokio::runtime::Runtime::new()?;
    let (checked, throttled) = rt.block_on(async {
        let http = reqwest::Client::new();
        let (mut checked, mut throttled, mut pending) = (0, 0, 60);
        while pending > 0 {
            let burst: Vec<_> = (0..pending)
                .map(|_| {
                    let (http, url) = (http.clone(), url.clone());
                    tokio::spawn(async move {
                        let body = json!({"name": NAME, "password": "fout-fout-fout"});
                        http.post(url).json(&body).send().await.map(|r| r.status().as_u16())
                    })
                })
                .collect();
            pending = 0;
            for answer in burst {
                match answer.await?? {
                    401 => checked += 1,
                    429 => throttled += 1,
                    503 => pending += 1,
                    other => anyhow::bail!("a wrong password answered {other}"),
                }
            }
        }
        anyhow::Ok((checked, throttled))
    })?;
    assert_eq!(checked, 5, "checked guesses ({throttled} throttled)");
    let own = login_from(&server, "ignored", PASSWORD)?;
    assert_eq!(own.status, 429, "the guesser's address waits");
    let wait: u64 = own.retry_after.as_deref().unwrap_or_default().parse()?;
    assert!(wait <= 30, "the first wait, not {wait} s");
    let code = masker19_e2e::totp::next_code(&server.url, NAME)?;
    let elsewhere = reqwest::blocking::Client::builder()
        .local_address(Some("127.0.0.2".parse()?))
        .build()?
        .post(format!("{}/api/v1/session", server.url))
        .json(&json!({"name": NAME, "password": PASSWORD, "code": code}))
        .send()?;
    assert_eq!(elsewhere.status().as_u16(), 201, "the owner at another address gets in");
    Ok(())
}

/// The attack: guessing enrollment codes (before: 50,000 guesses in 28 s, each on the writer).
/// Wrong codes slow down per client address like wrong passwords; a pharmacy elsewhere still
/// enrolls with its code.
#[test]
fn enrollment_guesses_slow_down_per_address() -> anyhow::Result<()> {
    let (_dir, server) = server_with_user(&[])?;
    let code = masker19_e2e::add_pharmacy(&server.db, "Apotheek West", "GM0363")?;
    let enroll = |http: &reqwest::blocking::Client, code: &str| -> anyhow::Result<Reply> {
        let resp = http
            .post(format!("{}/api/v1/enroll", server.url))
            .json(&json!({"code": code, "device_name": "Kassa 1"}))
            .send()?;
        Reply::read(resp)
    };
    let guesser = reqwest::blocking::Client::new();
    let mut answers = Vec::new();
    for i in 0..50 {
        answers.push(enroll(&guesser, &format!("AAAA-BBBB-CCCC-{i:04}"))?.status);
    }
    let checked = answers.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, 5, "{answers:?}");
    assert!(answers[5..].iter().all(|s| *s == 429), "{answers:?}");
    let throttled = enroll(&guesser, &code)?;
    assert_eq!(
        throttled.status, 429,
        "the guesser's address waits, even with a right code"
    );
    assert!(throttled.retry_after.is_some());
    let pharmacy = reqwest::blocking::Client::builder()
        .local_address(Some("127.0.0.2".parse()?))
        .build()?;
    assert_eq!(enroll(&pharmacy, &code)?.status, 201, "the pharmacy elsewhere enrolls");
    Ok(())
}
