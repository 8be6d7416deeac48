//! A session token works only where it was issued: an API bearer token is not a page cookie, and
//! a page cookie is not an API bearer token. Against the real server binary.

use masker19_e2e::web::Web;
use masker19_e2e::{DEMO_PASSWORD, demo_server};

type R = anyhow::Result<()>;

#[test]
fn an_api_token_is_not_a_page_cookie() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let token = server.client().login("intake-vt01", DEMO_PASSWORD)?;
    let web = Web::new(&server.url)?;
    let cookie = format!("__Host-m19_session={token}");
    let inbox = web.get("/intake", &cookie)?;
    assert_eq!(inbox.status, 303, "not signed in: to the login page");
    assert_eq!(inbox.header("location"), Some("/login"));
    assert!(!inbox.body.contains("Uitloggen"), "no signed-in page");
    // The same token still works where it was issued.
    let api = server.client();
    assert_eq!(api.get("/api/v1/intake/reports", Some(&token))?.status, 200);
    Ok(())
}

#[test]
fn a_page_cookie_is_not_an_api_token() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let web = Web::new(&server.url)?;
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    let (_, value) = session.cookie.split_once('=').unwrap_or_default();
    let api = server.client();
    let answer = api.get("/api/v1/intake/reports", Some(value))?;
    assert_eq!(answer.status, 401, "{:?}", answer.body);
    // The cookie still works where it was issued.
    assert_eq!(web.get("/intake", &session.cookie)?.status, 200);
    Ok(())
}
