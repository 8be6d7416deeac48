//! What an intake worker meets on the report and inbox pages, in a real headless Chromium
//! against the real server: the actions in reach while reading, messages at their fields with
//! the focus there, filter counts that add up, dates that never break, a page number beyond the
//! last, the pages' icon, a transfer's sender and reason where the receiving region looks,
//! waiting time since the pharmacy made the report, and which route to the client is safe now.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use masker19_e2e::browser::Browser;
use masker19_e2e::{Api, DEMO_PASSWORD, demo_server, safe_times_around_now};
use serde_json::{Value, json};

fn id_of(report: &Value) -> String {
    report["id"].as_str().unwrap_or_default().to_owned()
}

fn kenmerk_of(report: &Value) -> String {
    id_of(report)[..8].to_uppercase()
}

/// Sign in through the login form with a fresh second-factor code.
async fn sign_in(b: &Browser, base: &str, name: &str) -> anyhow::Result<()> {
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
async fn text(c: &Client) -> anyhow::Result<String> {
    Ok(c.find(Locator::Css("main")).await?.text().await?)
}

/// Run `script` until it returns true, for at most five seconds; whether it did.
async fn within_5s(c: &Client, script: &str) -> anyhow::Result<bool> {
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
fn with_browser<F>(user: &str, make: impl FnOnce(&Api) -> anyhow::Result<Vec<Value>>, body: F) -> anyhow::Result<()>
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
fn with_browser_after<F>(
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
fn act(api: &Api, user: &str, id: &str, action: &str, body: Value) -> anyhow::Result<()> {
    let token = api.login(user, DEMO_PASSWORD)?;
    let r = api.post_json(&format!("/api/v1/intake/reports/{id}/{action}"), Some(&token), &body)?;
    anyhow::ensure!(r.status == 200, "{action}: {} {}", r.status, r.body);
    Ok(())
}

/// Which of the report's three actions can be reached in the window now (a link or button
/// with that text, on screen and not covered).
const ACTIONS_IN_VIEW: &str = r#"
const inView = (want) => [...document.querySelectorAll('a, button')].some(e => {
  if (e.textContent.trim().replace(/…$/, '') !== want) return false;
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || r.top < 0 || r.bottom > innerHeight) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return hit !== null && (hit === e || e.contains(hit));
});
return ['In behandeling nemen', 'Overdragen', 'Afsluiten'].filter(inView);
"#;

/// The actions are where the worker's eye is, and stay in reach while reading, at 1280 and
/// 390 px.
#[test]
fn the_actions_stay_in_reach_while_reading_the_report() -> anyhow::Result<()> {
    with_browser(
        "intake-vt01",
        |api| Ok(vec![api.example("melding")?]),
        |b, base, reports, _| {
            Box::pin(async move {
                let c = &b.client;
                for width in [1280, 390] {
                    let metrics = json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600});
                    b.cdp("Emulation.setDeviceMetricsOverride", metrics).await?;
                    c.goto(&format!("{base}/intake/reports/{}", id_of(&reports[0]))).await?;
                    let height = c
                        .execute("return document.documentElement.scrollHeight", vec![])
                        .await?;
                    for at in [
                        "0",
                        "document.documentElement.scrollHeight / 2",
                        "document.documentElement.scrollHeight",
                    ] {
                        c.execute(&format!("window.scrollTo(0, {at});"), vec![]).await?;
                        let seen = c.execute(ACTIONS_IN_VIEW, vec![]).await?;
                        assert_eq!(
                            seen,
                            json!(["In behandeling nemen", "Overdragen", "Afsluiten"]),
                            "at {width} px, scrolled to {at} of a {height} px page, the actions in view"
                        );
                    }
                }
                b.viewport_width(None).await
            })
        },
    )
}

/// The state of a field after the server answered a form: its `aria-invalid`, the text of
/// what `aria-describedby` names, whether it has the focus and is on screen.
const FIELD_STATE: &str = r#"
const f = document.getElementById(arguments[0]);
if (!f) return null;
const ids = (f.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
const r = f.getBoundingClientRect();
return {
  invalid: f.getAttribute('aria-invalid'),
  message: ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim(),
  focused: document.activeElement === f,
  on_screen: r.bottom > 0 && r.top < innerHeight,
};
"#;

async fn field_state(c: &Client, id: &str) -> anyhow::Result<Value> {
    Ok(c.execute(FIELD_STATE, vec![json!(id)]).await?)
}

/// Closing without a reason: the Dutch message at the field, the field invalid and focused;
/// a reason of 5,000 characters gets the length rule's own message.
#[test]
fn closing_without_a_reason_puts_the_message_and_the_focus_at_the_field() -> anyhow::Result<()> {
    with_browser(
        "intake-vt01",
        |api| Ok(vec![api.example("melding")?]),
        |b, base, reports, _| {
            Box::pin(async move {
                let c = &b.client;
                c.goto(&format!("{base}/intake/reports/{}", id_of(&reports[0]))).await?;
                let close = "form[action$='/close'] button[type=submit]";
                c.find(Locator::Css(close)).await?.click().await?;
                c.wait().for_element(Locator::Css("footer")).await?;
                let state = field_state(c, "close_reason").await?;
                assert_eq!(state["invalid"], "true", "the field is marked invalid: {state}");
                let message = state["message"].as_str().unwrap_or_default();
                assert!(message.contains("Geef een reden"), "the message at the field: {state}");
                assert_eq!(
                    (&state["focused"], &state["on_screen"]),
                    (&json!(true), &json!(true)),
                    "{state}"
                );

                // 5,000 characters (more than a person can type into the field: set by script).
                c.execute(
                "const f = document.getElementById('close_reason'); f.removeAttribute('maxlength'); f.value = 'x'.repeat(5000);",
                vec![],
            )
            .await?;
                c.find(Locator::Css(close)).await?.click().await?;
                c.wait().for_element(Locator::Css("footer")).await?;
                let state = field_state(c, "close_reason").await?;
                let message = state["message"].as_str().unwrap_or_default();
                assert!(
                    message.contains("te lang") && message.contains("4.000") && !message.contains("Geef een reden"),
                    "the length rule's own message: {state}"
                );
                assert_eq!(
                    (&state["invalid"], &state["focused"]),
                    (&json!("true"), &json!(true)),
                    "{state}"
                );
                Ok(())
            })
        },
    )
}

/// The transfer form sent empty: no browser bubble, the server's Dutch messages at both fields,
/// the focus on the first.
#[test]
fn an_empty_transfer_gets_the_servers_dutch_messages_at_its_fields() -> anyhow::Result<()> {
    with_browser(
        "intake-vt01",
        |api| Ok(vec![api.example("melding")?]),
        |b, base, reports, _| {
            Box::pin(async move {
                let c = &b.client;
                c.goto(&format!("{base}/intake/reports/{}", id_of(&reports[0]))).await?;
                let novalidate = c
                    .execute(
                        "return document.querySelector(\"form[action$='/transfer']\").noValidate",
                        vec![],
                    )
                    .await?;
                c.find(Locator::XPath("//button[normalize-space()='Overdragen…']"))
                    .await?
                    .click()
                    .await?;
                let answered = within_5s(c, "return location.pathname.endsWith('/transfer')").await?;
                assert!(
                    answered,
                    "the empty form reaches the server (noValidate: {novalidate}); the browser's own bubble stopped it"
                );
                let region = field_state(c, "vt_region").await?;
                assert_eq!(region["invalid"], "true", "{region}");
                assert!(
                    region["message"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("Kies de Veilig Thuis-regio"),
                    "{region}"
                );
                assert_eq!(region["focused"], true, "the first wrong field has the focus: {region}");
                let reason = field_state(c, "transfer_reason").await?;
                assert_eq!(reason["invalid"], "true", "{reason}");
                assert!(
                    reason["message"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("Geef een reden voor de overdracht"),
                    "{reason}"
                );
                Ok(())
            })
        },
    )
}

/// The filter links of the inbox: for each list, (label, count).
const FILTER_LISTS: &str = r#"
return [...document.querySelectorAll('nav.inbox-filters ul')].map(ul =>
  [...ul.querySelectorAll('a')].map(a => {
    const m = a.textContent.trim().match(/^(.*?)\s*\((\d+)\)$/);
    return m ? [m[1], Number(m[2])] : [a.textContent.trim(), -1];
  }));
"#;

/// "Alles" adds up: it is the sum of the filters beside it; what the region handed over is
/// apart, and the page says why.
#[test]
fn the_filter_counts_add_up_to_alles() -> anyhow::Result<()> {
    let make = |api: &Api| -> anyhow::Result<Vec<Value>> { (0..4).map(|_| api.example("melding")).collect() };
    let then = |api: &Api, reports: &[Value]| -> anyhow::Result<()> {
        act(api, "intake-vt01", &id_of(&reports[1]), "acknowledge", json!({}))?;
        act(
            api,
            "intake-vt01",
            &id_of(&reports[2]),
            "close",
            json!({"reason": "Dubbel"}),
        )?;
        act(
            api,
            "intake-vt01",
            &id_of(&reports[3]),
            "transfer",
            json!({"vt_region": "VT18", "reason": "Utrecht"}),
        )
    };
    with_browser_after("intake-vt01", make, then, |b, base, _, _| {
        Box::pin(async move {
            let c = &b.client;
            c.goto(&format!("{base}/intake")).await?;
            let lists = c.execute(FILTER_LISTS, vec![]).await?;
            let with_all = lists
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l.as_array().into_iter().flatten().any(|f| f[0] == "Alles"))
                .cloned()
                .unwrap_or_default();
            let (mut all, mut others) = (0, 0);
            for f in with_all.as_array().into_iter().flatten() {
                let n = f[1].as_i64().unwrap_or(-1000);
                if f[0] == "Alles" { all = n } else { others += n }
            }
            assert_eq!(all, 3, "the region holds three reports: {lists}");
            assert_eq!(others, all, "Alles is the sum of the filters beside it: {lists}");
            let page = text(c).await?;
            assert!(
                page.contains("Overgedragen") && page.contains("(1)"),
                "the handed-over one is still listed: {page}"
            );
            assert!(
                page.contains("tellen niet mee in Alles"),
                "the page says why it is apart: {page}"
            );
            Ok(())
        })
    })
}

/// Every date and time range in `main` that the browser laid out over more than one line.
const BROKEN_DATES: &str = r#"
const re = /\d{1,2}-\d{1,2}-\d{4}(?: \d{1,2}:\d{2})?|\d{1,2}(?:[:.]\d{2})? ?[-–] ?\d{1,2}(?:[:.]\d{2})?/g;
const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
const broken = [];
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  for (const m of n.textContent.matchAll(re)) {
    const range = document.createRange();
    range.setStart(n, m.index);
    range.setEnd(n, m.index + m[0].length);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (rects.length > 1 && rects.some(r => r.top >= rects[0].bottom - 1)) broken.push(m[0]);
  }
}
return broken;
"#;

/// Dates and time ranges never break across lines, at any width from a laptop to a phone.
#[test]
fn dates_and_time_ranges_never_break_across_lines() -> anyhow::Result<()> {
    let make = |api: &Api| -> anyhow::Result<Vec<Value>> {
        let mut narrow = api.example("melding")?;
        narrow["safe_contact"]["safe_times"] = json!("werkdagen 9-11");
        Ok(vec![narrow, api.example("melding")?, api.example("adviesvraag")?])
    };
    with_browser("intake-vt01", make, |b, base, reports, _| {
        Box::pin(async move {
            let c = &b.client;
            let mut widths: Vec<u32> = vec![1280, 1200, 1100, 1024, 960, 900, 800, 700, 640, 600, 540, 500];
            widths.extend((320..=480).step_by(4));
            for path in ["/intake".to_owned(), format!("/intake/reports/{}", id_of(&reports[0]))] {
                c.goto(&format!("{base}{path}")).await?;
                let mut seen = Vec::new();
                for &w in &widths {
                    b.cdp(
                        "Emulation.setDeviceMetricsOverride",
                        json!({"width": w, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
                    )
                    .await?;
                    let broken = c.execute(BROKEN_DATES, vec![]).await?;
                    if broken.as_array().is_some_and(|a| !a.is_empty()) {
                        seen.push(format!("{w} px: {broken}"));
                    }
                }
                assert!(
                    seen.is_empty(),
                    "{path}: dates broken across lines at\n{}",
                    seen.join("\n")
                );
            }
            b.viewport_width(None).await
        })
    })
}

/// A page number beyond the last shows the last page and says so; every page names its icon,
/// which is served (with a cache header), as is `/favicon.ico`.
#[test]
fn a_page_beyond_the_last_and_the_pages_icon() -> anyhow::Result<()> {
    with_browser(
        "intake-vt01",
        |api| Ok(vec![api.example("melding")?]),
        |b, base, reports, _| {
            Box::pin(async move {
                let c = &b.client;
                c.goto(&format!("{base}/intake?page=99")).await?;
                let page = text(c).await?;
                assert!(
                    page.contains("Pagina 99 bestaat niet") && !page.contains("Pagina 99 van"),
                    "{page}"
                );
                assert!(
                    page.contains(&kenmerk_of(&reports[0])),
                    "the last page's reports are shown: {page}"
                );
                let icon = c
                    .execute(
                        "const l = document.querySelector('link[rel~=\"icon\"]'); return l ? l.href : null;",
                        vec![],
                    )
                    .await?;
                let icon = icon.as_str().map(str::to_owned);
                assert!(icon.is_some(), "the page names an icon");
                let http = reqwest::Client::new();
                for href in [icon.unwrap_or_default(), format!("{base}/favicon.ico")] {
                    let r = http.get(&href).send().await?;
                    let cache = r
                        .headers()
                        .get("cache-control")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let kind = r
                        .headers()
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    assert_eq!(r.status().as_u16(), 200, "{href}");
                    assert!(
                        kind.starts_with("image/") && cache.contains("max-age"),
                        "{href}: {kind}, {cache}"
                    );
                }
                Ok(())
            })
        },
    )
}

/// The region that receives a transfer reads who handed it over and why, at the top of the
/// report and in its inbox row.
#[test]
fn a_received_transfer_says_who_handed_it_over_and_why() -> anyhow::Result<()> {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let reason = "Woont sinds kort in Utrecht";
    act(
        &api,
        "intake-vt01",
        &id_of(&report),
        "transfer",
        json!({"vt_region": "VT18", "reason": reason}),
    )?;
    let base = server.url.clone();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        sign_in(&b, &base, "intake-vt18").await?;
        let c = &b.client;
        let row = c.find(Locator::Css("table.inbox tbody tr")).await?.text().await?;
        assert!(
            row.contains(&format!("overgedragen door VT01: {reason}")),
            "the row says it was handed over, by whom and why: {row}"
        );
        c.find(Locator::LinkText(&kenmerk_of(&report))).await?.click().await?;
        c.wait().for_element(Locator::Css("main section")).await?;
        let top = c
            .execute(
                "const first = document.querySelector('main section'); \
                 const p = [...document.querySelectorAll('main p')].find(p => p.textContent.includes('Overgedragen door VT01')); \
                 return p ? [p.textContent.trim(), p.getBoundingClientRect().top < first.getBoundingClientRect().top] : null;",
                vec![],
            )
            .await?;
        assert_eq!(top[1], true, "above the report's first section: {top}");
        assert!(top[0].as_str().unwrap_or_default().contains(reason), "{top}");
        b.close().await
    })
}

/// Waiting time counts from when the pharmacy made the report, both times are shown, and
/// the open list is sorted by the pharmacy's time: a report that waited three hours in a
/// pharmacy's queue comes before a fresh one that arrived earlier.
#[test]
fn waiting_counts_from_when_the_pharmacy_made_the_report() -> anyhow::Result<()> {
    let make = |api: &Api| -> anyhow::Result<Vec<Value>> {
        let fresh = api.example("melding")?;
        let mut queued = api.example("melding")?;
        let made = chrono::Utc::now() - chrono::Duration::hours(3);
        queued["created_at"] = json!(made.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        Ok(vec![fresh, queued]) // the fresh one is submitted (received) first
    };
    with_browser("intake-vt01", make, |b, base, reports, _| {
        Box::pin(async move {
            let c = &b.client;
            c.goto(&format!("{base}/intake")).await?;
            let rows = c.find_all(Locator::Css("table.inbox tbody tr")).await?;
            let first = match rows.first() {
                Some(r) => r.text().await?,
                None => anyhow::bail!("no rows"),
            };
            let made = (chrono::Utc::now() - chrono::Duration::hours(3)).with_timezone(&meldcode::TIME_ZONE);
            assert!(
                first.contains(&kenmerk_of(&reports[1])),
                "the report made three hours ago comes first: {first}"
            );
            assert!(first.contains("3 uur"), "it has waited three hours: {first}");
            assert!(
                first.contains(&format!("gemaakt {}", made.format("%d-%m-%Y"))) && first.contains("ontvangen "),
                "both times: {first}"
            );
            Ok(())
        })
    })
}

/// Which route to the client is safe now: inside the safe times the number is one tap;
/// outside them the page says so, points to the pharmacy, and shows the number only after a
/// deliberate "Toch bellen" step, with a warning.
#[test]
fn calling_outside_the_safe_times_takes_a_deliberate_step() -> anyhow::Result<()> {
    let make = |api: &Api| -> anyhow::Result<Vec<Value>> {
        let mut inside = api.example("melding")?;
        inside["safe_contact"]["safe_times"] = json!(safe_times_around_now(true));
        let mut outside = api.example("melding")?;
        outside["safe_contact"]["safe_times"] = json!(safe_times_around_now(false));
        outside["safe_contact"]["via_pharmacy"] = json!(true);
        Ok(vec![inside, outside])
    };
    with_browser("intake-vt01", make, |b, base, reports, _| {
        Box::pin(async move {
            let c = &b.client;
            let client_tel = "main a[href='tel:0612345678']";
            c.goto(&format!("{base}/intake/reports/{}", id_of(&reports[0]))).await?;
            let page = text(c).await?;
            assert!(page.contains("Nu veilig"), "inside the safe times: {page}");
            assert_eq!(c.find_all(Locator::Css(client_tel)).await?.len(), 1, "one tap to call");

            c.goto(&format!("{base}/intake/reports/{}", id_of(&reports[1]))).await?;
            let page = text(c).await?;
            assert_eq!(
                c.find_all(Locator::Css(client_tel)).await?.len(),
                0,
                "outside the safe times no one-tap number: {page}"
            );
            assert!(
                page.contains("buiten de veilige tijden") && page.contains("via de apotheek"),
                "says which route is safe now: {page}"
            );
            c.find(Locator::XPath("//a[starts-with(normalize-space(), 'Toch bellen')]"))
                .await?
                .click()
                .await?;
            c.wait().for_element(Locator::Css(client_tel)).await?;
            let page = text(c).await?;
            assert!(
                page.contains("u belt buiten de veilige tijden"),
                "with a warning: {page}"
            );
            Ok(())
        })
    })
}
