//! The web pages' edges, against the real server: `__Host-` cookies, sessions
//! without a CSRF token, logout, the `Origin` of form posts, HSTS and `Clear-Site-Data`.

use masker19_e2e::web::{Web, WebSession};
use masker19_e2e::{DEMO_PASSWORD, TestServer, demo_server, open_store};

type R = anyhow::Result<()>;

/// A demo server with one melding in VT01, and intake-vt01 signed in through the login form.
fn signed_in() -> anyhow::Result<(tempfile::TempDir, TestServer, String, String, Web, WebSession)> {
    let (dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    let web = Web::new(&server.url)?;
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    Ok((dir, server, device, id, web, session))
}

fn status_of(server: &TestServer, device: &str, id: &str) -> anyhow::Result<String> {
    let body = server.client().status_of(device, id)?.body;
    Ok(body["status"].as_str().unwrap_or_default().to_owned())
}

#[test]
fn cookies_carry_the_host_prefix() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let web = Web::new(&server.url)?;
    let form = web.get("/login", "")?;
    let login = form.set_cookies().first().cloned().unwrap_or_default();
    assert!(login.starts_with("__Host-"), "{login}");
    assert!(login.contains("; Path=/;") && login.contains("Secure"), "{login}");
    assert!(!login.to_ascii_lowercase().contains("domain="), "{login}");
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    let line = &session.set_cookie;
    assert!(
        line.starts_with("__Host-") && line.contains("; Path=/;") && line.contains("Secure"),
        "{line}"
    );
    assert!(!line.to_ascii_lowercase().contains("domain="), "{line}");
    Ok(())
}

#[test]
fn a_session_without_a_csrf_token_is_refused() -> R {
    let (_dir, server, device, id, web, session) = signed_in()?;
    // Sessions opened before migration 002 have no CSRF token.
    open_store(&server.db)?.execute("UPDATE session SET csrf = NULL", [])?;
    let inbox = web.get("/intake", &session.cookie)?;
    assert_eq!(inbox.status, 303, "to the login page, not the inbox");
    assert_eq!(inbox.header("location"), Some("/login"));
    let act = web.post(
        &format!("/intake/reports/{id}/acknowledge"),
        &session.cookie,
        Some(&server.url),
        &[("csrf", "")],
    )?;
    assert_eq!(act.header("location"), Some("/login"), "an empty token takes no action");
    assert_eq!(status_of(&server, &device, &id)?, "received");
    Ok(())
}

#[test]
fn a_logout_without_its_token_is_refused_in_dutch_and_keeps_the_session() -> R {
    let (_dir, server, _device, _id, web, session) = signed_in()?;
    for form in [vec![], vec![("csrf", "verkeerd")]] {
        let out = web.post("/logout", &session.cookie, Some(&server.url), &form)?;
        assert_eq!(out.status, 403, "{}", out.body);
        assert!(out.body.contains("Uitloggen lukte niet"), "{}", out.body);
        assert!(out.body.contains("<html lang=\"nl\""));
        assert!(out.body.contains(&session.csrf), "the page offers a logout that works");
        assert_eq!(web.get("/intake", &session.cookie)?.status, 200, "still signed in");
    }
    Ok(())
}

#[test]
fn a_logout_ends_the_session_and_clears_the_site_data() -> R {
    let (_dir, server, _device, _id, web, session) = signed_in()?;
    let out = web.post(
        "/logout",
        &session.cookie,
        Some(&server.url),
        &[("csrf", &session.csrf)],
    )?;
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login"));
    let clear = out.header("clear-site-data").unwrap_or_default();
    for kind in ["\"cache\"", "\"cookies\"", "\"storage\""] {
        assert!(clear.contains(kind), "Clear-Site-Data: {clear}");
    }
    assert!(
        out.set_cookie(&session.cookie_name)
            .is_some_and(|c| c.contains("Max-Age=0")),
        "the cookie is removed"
    );
    assert_eq!(web.get("/intake", &session.cookie)?.status, 303, "the session is over");
    Ok(())
}

#[test]
fn a_form_post_from_another_origin_is_refused() -> R {
    let (_dir, server, device, id, web, session) = signed_in()?;
    let path = format!("/intake/reports/{id}/acknowledge");
    for origin in ["https://evil.example", "null"] {
        let r = web.post(&path, &session.cookie, Some(origin), &[("csrf", &session.csrf)])?;
        assert_eq!(r.status, 403, "Origin: {origin}");
        assert!(r.body.contains("Geen toegang") && r.body.contains("<html lang=\"nl\""));
        assert_eq!(status_of(&server, &device, &id)?, "received", "nothing was done");
    }
    let login = web.post(
        "/login",
        "",
        Some("https://evil.example"),
        &[("name", "intake-vt01"), ("password", DEMO_PASSWORD)],
    )?;
    assert_eq!(login.status, 403, "the login form too");
    let own = web.post(&path, &session.cookie, Some(&server.url), &[("csrf", &session.csrf)])?;
    assert_eq!(own.status, 303, "from the server's own origin: done");
    assert_eq!(status_of(&server, &device, &id)?, "acknowledged");
    Ok(())
}

#[test]
fn hsts_only_with_an_https_public_url_whose_origin_the_forms_need() -> R {
    let (_dir, plain, _device) = demo_server(&[])?;
    let page = Web::new(&plain.url)?.get("/login", "")?;
    assert_eq!(page.header("strict-transport-security"), None, "no https: no HSTS");

    let public = "https://masker19.example.nl";
    let (_dir2, server, _device2) = demo_server(&[("MASKER19_PUBLIC_URL", public)])?;
    let web = Web::new(&server.url)?;
    for path in ["/login", "/healthz", "/api/v1/openapi.json"] {
        let hsts = web
            .get(path, "")?
            .header("strict-transport-security")
            .map(str::to_owned);
        assert!(hsts.is_some_and(|h| h.starts_with("max-age=")), "{path}");
    }
    // Behind the proxy, the forms must come from the public origin.
    let form = web.get("/login", "")?;
    let cookie = form
        .set_cookies()
        .first()
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let csrf = form.csrf().unwrap_or_default();
    let code = masker19_e2e::totp::next_code(&server.url, "intake-vt01")?;
    let fields = [
        ("name", "intake-vt01"),
        ("password", DEMO_PASSWORD),
        ("code", code.as_str()),
        ("csrf", csrf.as_str()),
    ];
    assert_eq!(web.post("/login", &cookie, Some(&server.url), &fields)?.status, 403);
    assert_eq!(web.post("/login", &cookie, Some(public), &fields)?.status, 303);
    Ok(())
}
