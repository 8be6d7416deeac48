//! What the intake page tests share: a demo server with reports, a signed-in Chromium,
//! intake actions through the API, and small page probes.
#![allow(dead_code)] // each test file uses its own part

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use masker19_e2e::browser::Browser;
use masker19_e2e::{Api, DEMO_PASSWORD, demo_server};
use serde_json::Value;

pub fn id_of(report: &Value) -> String {
    report["id"].as_str().unwrap_or_default().to_owned()
}

pub fn kenmerk_of(report: &Value) -> String {
    id_of(report)[..8].to_uppercase()
}

/// Sign in through the login form with a fresh second-factor code.
pub async fn sign_in(b: &Browser, base: &str, name: &str) -> anyhow::Result<()> {
    let c = &b.client;
    c.goto(&format!("{base}/login")).await?;
    c.find(Locator::Id("name")).await?.send_keys(name).await?;
    c.find(Locator::Id("password")).await?.send_keys(DEMO_PASSWORD).await?;
    let code = masker19_e2e::totp::next_code(base, name)?;
    c.find(Locator::Id("code")).await?.send_keys(&code).await?;
    c.find(Locator::Css("form.card button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_url(&url::Url::parse(&format!("{base}/intake"))?).await?;
    Ok(())
}

/// The text of `main`, as a person reads it.
pub async fn text(c: &Client) -> anyhow::Result<String> {
    Ok(c.find(Locator::Css("main")).await?.text().await?)
}

/// Run `script` until it returns true, for at most five seconds; whether it did.
pub async fn within_5s(c: &Client, script: &str) -> anyhow::Result<bool> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if c.execute(script, vec![]).await?.as_bool() == Some(true) {
            return Ok(true);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(false)
}

/// A browser signed in as `user` of a demo server with `reports` (built by `make` from the
/// server's examples) submitted by the demo pharmacy; runs `body` and closes the browser.
pub fn with_browser<F>(user: &str, make: impl FnOnce(&Api) -> anyhow::Result<Vec<Value>>, body: F) -> anyhow::Result<()>
where
    F: for<'a> FnOnce(
        &'a Browser,
        String,
        Vec<Value>,
        Api,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + 'a>>,
{
    with_browser_after(user, make, |_, _| Ok(()), body)
}

/// [`with_browser`], with `then` run on the submitted reports (through the API) first.
pub fn with_browser_after<F>(
    user: &str,
    make: impl FnOnce(&Api) -> anyhow::Result<Vec<Value>>,
    then: impl FnOnce(&Api, &[Value]) -> anyhow::Result<()>,
    body: F,
) -> anyhow::Result<()>
where
    F: for<'a> FnOnce(
        &'a Browser,
        String,
        Vec<Value>,
        Api,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + 'a>>,
{
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let reports = make(&api)?;
    for r in &reports {
        api.submit(&device, r)?;
    }
    then(&api, &reports)?;
    let base = server.url.clone();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        sign_in(&b, &base, user).await?;
        let result = body(&b, base.clone(), reports, api).await;
        b.close().await?;
        result
    })
}

/// An intake action through the API as `user`; it must succeed.
pub fn act(api: &Api, user: &str, id: &str, action: &str, body: Value) -> anyhow::Result<()> {
    let token = api.login(user, DEMO_PASSWORD)?;
    let r = api.post_json(&format!("/api/v1/intake/reports/{id}/{action}"), Some(&token), &body)?;
    anyhow::ensure!(r.status == 200, "{action}: {} {}", r.status, r.body);
    Ok(())
}
