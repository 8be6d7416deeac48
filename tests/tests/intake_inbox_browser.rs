//! The intake inbox as a worker meets it, in a real headless Chromium against the real server:
//! filter counts that add up, dates that never break, a page number beyond the last, the
//! pages' icon, a transfer's sender and reason where the receiving region looks, and waiting
//! time since the pharmacy made the report.

#[path = "intake_pages/common.rs"]
mod common;

use common::{act, id_of, kenmerk_of, sign_in, text, with_browser, with_browser_after};
use fantoccini::Locator;
use masker19_e2e::browser::Browser;
use masker19_e2e::{Api, demo_server};
use serde_json::{Value, json};

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
