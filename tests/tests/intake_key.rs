//! An intake worker's wrapped key on the server, black box: `PUT`/`GET /api/v1/intake/key` with
//! the user's own API token and `/intake/key` with the page session (cookie + CSRF token). The
//! server keeps the age passphrase file byte for byte, gives it to that user alone, refuses
//! anything else, and `user disable` deletes it.

use std::io::Read;

use masker19_e2e::web::Web;
use masker19_e2e::{Api, DEMO_PASSWORD, admin, demo_server, open_store};
use masker19_seal::sign::{new_identity, wrap_with_passphrase};
use serde_json::Value;

type R = anyhow::Result<()>;

const KEY_PATH: &str = "/api/v1/intake/key";
const OCTETS: &str = "application/octet-stream";

/// A region identity wrapped with a passphrase, as the worker's browser makes it (armored).
fn wrapped_identity() -> anyhow::Result<(String, String)> {
    let (identity, _) = new_identity("2026-12-08T00:00:00Z");
    let wrapped = wrap_with_passphrase(identity.as_bytes(), "mijn eigen zin 19", 10)?;
    Ok((identity, wrapped))
}

/// Status, content type and raw body of an answer.
fn raw(
    api: &Api,
    method: &str,
    token: Option<&str>,
    ct: Option<&str>,
    body: Vec<u8>,
) -> anyhow::Result<(u16, String, Vec<u8>)> {
    let method = reqwest::Method::from_bytes(method.as_bytes())?;
    let mut req = api.http.request(method, format!("{}{KEY_PATH}", api.base)).body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(ct) = ct {
        req = req.header("content-type", ct);
    }
    let resp = req.send()?;
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    Ok((status, content_type, resp.bytes()?.to_vec()))
}

fn put(api: &Api, token: &str, body: &[u8]) -> anyhow::Result<masker19_e2e::Reply> {
    api.send("PUT", KEY_PATH, Some(token), Some(OCTETS), body.to_vec())
}

fn rule(body: &Value) -> (String, String) {
    (
        body["fields"][0]["path"].as_str().unwrap_or("?").to_owned(),
        body["fields"][0]["rule"].as_str().unwrap_or("?").to_owned(),
    )
}

#[test]
fn the_wrapped_key_is_kept_byte_for_byte_for_its_owner_alone() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let owner = api.login("intake-vt01", DEMO_PASSWORD)?;
    let colleague = api.login("intake-vt03", DEMO_PASSWORD)?;
    let (identity, wrapped) = wrapped_identity()?;

    assert_eq!(raw(&api, "GET", Some(&owner), None, Vec::new())?.0, 404, "no key yet");
    let stored = put(&api, &owner, wrapped.as_bytes())?;
    assert_eq!(stored.status, 204, "{}", stored.body);
    let (status, content_type, body) = raw(&api, "GET", Some(&owner), None, Vec::new())?;
    assert_eq!((status, content_type.as_str()), (200, OCTETS));
    assert_eq!(body, wrapped.as_bytes(), "the stored bytes are exactly what was sent");
    let opened = masker19_seal::wrapped::unwrap_with_passphrase(&body, "mijn eigen zin 19")?;
    assert_eq!(opened, identity.as_bytes());

    // Another user (another region's worker) asks for it: she only ever reaches her own.
    let (status, _, body) = raw(&api, "GET", Some(&colleague), None, Vec::new())?;
    assert_eq!(status, 404);
    assert!(!String::from_utf8_lossy(&body).contains("AGE ENCRYPTED"));
    // Without a token, or with a device's token, nothing.
    assert_eq!(raw(&api, "GET", None, None, Vec::new())?.0, 401);
    assert_eq!(raw(&api, "GET", Some(&device), None, Vec::new())?.0, 401);
    assert_eq!(put(&api, &device, wrapped.as_bytes())?.status, 401);

    // The binary form (age without -a) is kept as it came, and replaces the armored one.
    let mut binary = Vec::new();
    age::armor::ArmoredReader::new(wrapped.as_bytes()).read_to_end(&mut binary)?;
    assert_eq!(put(&api, &owner, &binary)?.status, 204);
    assert_eq!(raw(&api, "GET", Some(&owner), None, Vec::new())?.2, binary);
    // In the database it is ciphertext only: the identity is in no row.
    let secret = identity
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap_or("?");
    let conn = open_store(&server.db)?;
    let rows: Vec<Vec<u8>> = conn
        .prepare("SELECT wrapped FROM intake_key")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    assert_eq!(rows, vec![binary]);
    assert!(!rows.iter().any(|r| String::from_utf8_lossy(r).contains(secret)));
    Ok(())
}

#[test]
fn an_evaluator_has_no_key_to_store_or_read() -> R {
    let (_dir, server, _) = demo_server(&[])?;
    let api = server.client();
    let evaluator = api.login("evaluator", DEMO_PASSWORD)?;
    let (_, wrapped) = wrapped_identity()?;
    let r = put(&api, &evaluator, wrapped.as_bytes())?;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(raw(&api, "GET", Some(&evaluator), None, Vec::new())?.0, 403);
    let conn = open_store(&server.db)?;
    let n: i64 = conn.query_row("SELECT count(*) FROM intake_key", [], |r| r.get(0))?;
    assert_eq!(n, 0);
    Ok(())
}

#[test]
fn malformed_oversize_and_unwrapped_keys_are_refused() -> R {
    let (_dir, server, _) = demo_server(&[])?;
    let api = server.client();
    let owner = api.login("intake-vt01", DEMO_PASSWORD)?;
    let (identity, wrapped) = wrapped_identity()?;
    let refused = |body: &[u8], expect: (&str, &str), what: &str| -> R {
        let r = put(&api, &owner, body)?;
        assert_eq!(r.status, 422, "{what}: {}", r.body);
        assert_eq!(r.body["status"], 422, "{what}: a problem+json body");
        assert_eq!(rule(&r.body), (expect.0.to_owned(), expect.1.to_owned()), "{what}");
        Ok(())
    };
    refused(b"", ("", "required"), "an empty body")?;
    // The attack that matters: the identity itself, unwrapped, would sit readable on the server.
    refused(identity.as_bytes(), ("", "invalid_value"), "the bare identity")?;
    refused(
        b"age-encryption.org/v1\n-> scrypt",
        ("", "invalid_value"),
        "a broken header",
    )?;
    // Sealed to a recipient instead of a passphrase: whoever holds that key opens it.
    let (_, public) = new_identity("2026-12-08T00:00:00Z");
    let to_recipient = masker19_seal::seal_bytes(identity.as_bytes(), &[&public])?;
    refused(
        to_recipient.as_bytes(),
        ("", "invalid_value"),
        "an age file to a recipient",
    )?;
    let mut big = wrapped.clone().into_bytes();
    big.resize(16 * 1024 + 1, b'\n');
    refused(&big, ("", "max_length"), "over 16 KiB")?;
    let r = put(&api, &owner, &vec![b'a'; 64 * 1024 + 1])?;
    assert_eq!(r.status, 413, "{}", r.body);
    let r = api.send(
        "PUT",
        KEY_PATH,
        Some(&owner),
        Some("application/json"),
        wrapped.clone().into_bytes(),
    )?;
    assert_eq!(r.status, 415, "{}", r.body);
    assert_eq!(
        raw(&api, "GET", Some(&owner), None, Vec::new())?.0,
        404,
        "nothing was kept"
    );
    Ok(())
}

#[test]
fn user_disable_deletes_the_key() -> R {
    let (_dir, server, _) = demo_server(&[])?;
    let api = server.client();
    let owner = api.login("intake-vt01", DEMO_PASSWORD)?;
    let colleague = api.login("intake-vt02", DEMO_PASSWORD)?;
    let (_, wrapped) = wrapped_identity()?;
    assert_eq!(put(&api, &owner, wrapped.as_bytes())?.status, 204);
    assert_eq!(put(&api, &colleague, wrapped.as_bytes())?.status, 204);
    let out = admin(&server.db, &["user", "disable", "intake-vt01"], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let conn = open_store(&server.db)?;
    let owners: Vec<String> = conn
        .prepare("SELECT u.name FROM intake_key k JOIN user u ON u.id = k.user_id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    assert_eq!(
        owners,
        vec!["intake-vt02".to_owned()],
        "only the colleague's key is left"
    );
    assert_eq!(raw(&api, "GET", Some(&owner), None, Vec::new())?.0, 401);
    Ok(())
}

#[test]
fn the_pages_reach_the_key_with_the_session_cookie_and_its_csrf_token() -> R {
    let (_dir, server, _) = demo_server(&[])?;
    let api = server.client();
    let web = Web::new(&server.url)?;
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    let (_, wrapped) = wrapped_identity()?;
    let http = reqwest::blocking::Client::new();
    let url = format!("{}/intake/key", server.url);
    let page_put = |csrf: Option<&str>, origin: &str| -> anyhow::Result<u16> {
        let mut req = http
            .put(&url)
            .header("cookie", &session.cookie)
            .header("content-type", OCTETS)
            .header("origin", origin)
            .body(wrapped.clone());
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        Ok(req.send()?.status().as_u16())
    };
    // Another site's script (or a page without the token) cannot store a key of its choosing.
    assert_eq!(page_put(None, &server.url)?, 403);
    assert_eq!(page_put(Some("not-the-token"), &server.url)?, 403);
    assert_eq!(page_put(Some(&session.csrf), "https://evil.example")?, 403);
    assert_eq!(page_put(Some(&session.csrf), &server.url)?, 204);
    let got = http.get(&url).header("cookie", &session.cookie).send()?;
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.bytes()?.to_vec(), wrapped.as_bytes());
    // The API token is no cookie, and the cookie is no API token.
    let token = api.login("intake-vt01", DEMO_PASSWORD)?;
    let as_cookie = format!("{}={token}", session.cookie_name);
    assert_eq!(
        http.get(&url).header("cookie", as_cookie).send()?.status().as_u16(),
        401
    );
    let cookie_value = session.cookie.split_once('=').map(|(_, v)| v).unwrap_or("");
    assert_eq!(raw(&api, "GET", Some(cookie_value), None, Vec::new())?.0, 401);
    // The API sees what the page stored: one store. And the OpenAPI document names the route.
    let doc = api.get("/api/v1/openapi.json", None)?.body;
    let route = &doc["paths"]["/api/v1/intake/key"];
    assert!(route["get"].is_object() && route["put"].is_object(), "{route}");
    assert_eq!(raw(&api, "GET", Some(&token), None, Vec::new())?.2, wrapped.as_bytes());
    Ok(())
}
