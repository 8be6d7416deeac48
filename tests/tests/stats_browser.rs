//! An evaluator in a real headless Chromium: switches every granularity through the period form
//! (real clicks) without an error page, gets a Dutch message with the form and the values kept
//! for a wrong value, and finds the map of 25 regions and the trend charts. Screenshots of
//! `/stats` at 1280 and 390 px go to `docs/screenshots/` when `MASKER19_SCREENSHOTS=docs`.

use fantoccini::Locator;
use fantoccini::wd::WebDriverCompatibleCommand;
use masker19_e2e::browser::Browser;
use masker19_e2e::{DEMO_PASSWORD, demo_server};
use serde_json::json;

/// Chromium's device metrics through chromedriver's CDP endpoint: the headless window cannot be
/// made narrower than 500 px otherwise (Chromium's minimum window width).
#[derive(Debug)]
struct DeviceWidth(u32);

impl WebDriverCompatibleCommand for DeviceWidth {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let params = json!({"width": self.0, "height": 900, "deviceScaleFactor": 1, "mobile": true});
        let body = json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": params});
        (http::Method::POST, Some(body.to_string()))
    }
}

fn well_formed(granularity: &str, value: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let (year, rest) = value.split_once('-').unwrap_or((value, ""));
    digits(year)
        && year.len() == 4
        && match granularity {
            "week" => rest.strip_prefix('W').is_some_and(|w| digits(w) && w.len() == 2),
            "month" => digits(rest) && rest.len() == 2,
            "quarter" => rest
                .strip_prefix('Q')
                .is_some_and(|q| ["1", "2", "3", "4"].contains(&q)),
            "half_year" => rest.strip_prefix('H').is_some_and(|h| h == "1" || h == "2"),
            _ => rest.is_empty(),
        }
}

#[test]
fn an_evaluator_switches_periods_and_sees_the_map_and_trends() -> anyhow::Result<()> {
    let (_dir, server, _device) = demo_server(&[])?;
    let base = server.url.clone();
    let shots = match std::env::var("MASKER19_SCREENSHOTS").as_deref() {
        Ok("docs") => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots"),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots"),
    };
    let user = server.info["evaluator_user"].clone();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        let c = &b.client;
        c.goto(&format!("{base}/login")).await?;
        c.find(Locator::Id("name")).await?.send_keys(&user).await?;
        c.find(Locator::Id("password")).await?.send_keys(DEMO_PASSWORD).await?;
        let code = masker19_e2e::totp::next_code(&base, &user)?;
        c.find(Locator::Id("code")).await?.send_keys(&code).await?;
        c.find(Locator::Css("form.card button[type=submit]")).await?.click().await?;
        c.goto(&format!("{base}/stats")).await?;
        c.wait().for_element(Locator::Id("toon")).await?;

        let mut previous = (String::new(), String::new());
        for g in ["week", "month", "year", "half_year", "quarter"] {
            c.find(Locator::Css(&format!("#period option[value='{g}']")))
                .await?
                .click()
                .await?;
            c.find(Locator::Id("toon")).await?.click().await?;
            c.wait().for_element(Locator::Css(".downloads")).await?;
            let page = c.source().await?;
            assert!(!page.contains("Deze keuze kan niet"), "{g}: no error");
            let from = c.find(Locator::Id("from")).await?.prop("value").await?.unwrap_or_default();
            let to = c.find(Locator::Id("to")).await?.prop("value").await?.unwrap_or_default();
            assert!(well_formed(g, &from) && well_formed(g, &to), "{g}: {from} {to}");
            assert_ne!((from.clone(), to.clone()), previous, "{g}: Van/Tot follow the granularity");
            previous = (from, to);
            let url = c.current_url().await?;
            assert!(url.query().is_some_and(|q| q.contains(&format!("period={g}"))), "{url}");
        }

        let regions = c.find_all(Locator::Css("svg.map path[data-vt]")).await?;
        assert_eq!(regions.len(), 25, "one path per region");
        let title = c
            .find(Locator::Css("svg.map path[data-vt='VT21'] title"))
            .await?
            .prop("textContent")
            .await?
            .unwrap_or_default();
        assert!(title.starts_with("Veilig Thuis West-Brabant: "), "{title}");
        assert_eq!(c.find_all(Locator::Css("figure.trend svg")).await?.len(), 26, "national + 25");
        assert_eq!(c.find_all(Locator::Css(".sr-only tbody tr")).await?.len(), 25);
        b.screenshot(&shots.join("stats-1280.png")).await?;

        // A wrong value: the same page, the form with what was typed, a Dutch message.
        let from = c.find(Locator::Id("from")).await?;
        from.clear().await?;
        from.send_keys("2026-13").await?;
        c.find(Locator::Id("toon")).await?.click().await?;
        let alert = c.wait().for_element(Locator::Css("[role=alert]")).await?;
        let text = alert.text().await?;
        assert!(text.contains("Van: vul een heel kwartaal in, zoals 2026-Q1"), "{text}");
        assert!(text.contains("2026-13"), "{text}");
        let kept = c.find(Locator::Id("from")).await?.prop("value").await?.unwrap_or_default();
        assert_eq!(kept, "2026-13", "the value is kept");
        assert!(c.find(Locator::Id("toon")).await.is_ok(), "the form is there");

        // 390 px: no sideways scrolling of the page; the tables scroll in their own boxes.
        c.goto(&format!("{base}/stats?period=week&from=2025-W01&to=2025-W49")).await?;
        c.issue_cmd(DeviceWidth(390)).await?;
        c.goto(&format!("{base}/stats")).await?;
        let wide: bool = c
            .execute(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
                vec![],
            )
            .await?
            .as_bool()
            .unwrap_or(true);
        let offenders = c
            .execute(
                "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll table'))
                   .slice(0, 8).map(e => e.tagName + '.' + e.className.baseVal + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
                vec![],
            )
            .await?;
        assert!(!wide, "the page does not scroll sideways at 390 px: {offenders}");
        b.screenshot(&shots.join("stats-390.png")).await?;
        b.close().await
    })
}
