//! A real headless Chromium against the real server: an intake worker's day. Log in, see what
//! is urgent, open it, find the number to call, take it into intake, print and export it, hand
//! it over with a reason, close another report, log out; each step asserted.

use fantoccini::{Client, Locator};
use masker19_e2e::browser::Browser;
use masker19_e2e::{DEMO_PASSWORD, demo_server};
use serde_json::{Value, json};

/// A Chrome DevTools command through chromedriver (`goog/cdp/execute`): print media, a phone's
/// viewport.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"cmd": self.0, "params": self.1}).to_string()),
        )
    }
}

async fn cdp(c: &Client, cmd: &'static str, params: Value) -> anyhow::Result<()> {
    c.issue_cmd(Cdp(cmd, params)).await?;
    Ok(())
}

/// The page's text as a person reads it.
async fn text(c: &Client) -> anyhow::Result<String> {
    Ok(c.find(Locator::Css("main")).await?.text().await?)
}

/// Screenshots at 1280 and 390 px, asserting the page does not scroll sideways at 320 or 390 px.
async fn shots(b: &Browser, dir: &std::path::Path, name: &str) -> anyhow::Result<()> {
    let c = &b.client;
    b.screenshot(&dir.join(format!("{name}-1280.png"))).await?;
    for w in [320, 390] {
        let phone = json!({"width": w, "height": 844, "deviceScaleFactor": 1, "mobile": true});
        cdp(c, "Emulation.setDeviceMetricsOverride", phone).await?;
        let width = c.execute("return document.documentElement.scrollWidth", vec![]).await?;
        assert!(
            width.as_u64().is_some_and(|sw| sw <= w),
            "{name} scrolls sideways at {w} px: {width}"
        );
    }
    b.screenshot(&dir.join(format!("{name}-390.png"))).await?;
    cdp(c, "Emulation.clearDeviceMetricsOverride", json!({})).await
}

async fn computed(c: &Client, selector: &str, property: &str) -> anyhow::Result<String> {
    let script = "const e = document.querySelector(arguments[0]); return e ? getComputedStyle(e)[arguments[1]] : null;";
    let v = c.execute(script, vec![json!(selector), json!(property)]).await?;
    Ok(v.as_str().unwrap_or("absent").to_owned())
}

#[test]
fn an_intake_workers_day_in_the_browser() -> anyhow::Result<()> {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let mut urgent = api.example("melding")?;
    urgent["acute_112_at"] = urgent["created_at"].clone();
    // Safe to call now: the number is one tap (outside the safe times it takes a deliberate step).
    let safe_times = masker19_e2e::safe_times_around_now(true);
    urgent["safe_contact"]["safe_times"] = json!(safe_times);
    api.submit(&device, &urgent)?;
    let advice = api.example("adviesvraag")?;
    api.submit(&device, &advice)?;
    let id = urgent["id"].as_str().unwrap_or_default().to_owned();
    let advice_id = advice["id"].as_str().unwrap_or_default().to_owned();
    let kenmerk = id[..8].to_uppercase();
    let base = server.url.clone();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");

    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        let c = &b.client;
        // Log in.
        c.goto(&format!("{base}/intake")).await?;
        assert!(
            c.current_url().await?.path().ends_with("/login"),
            "not logged in: to the login page"
        );
        c.find(Locator::Id("name")).await?.send_keys("intake-vt01").await?;
        c.find(Locator::Id("password")).await?.send_keys(DEMO_PASSWORD).await?;
        let code = masker19_e2e::totp::next_code(&base, "intake-vt01")?;
        c.find(Locator::Id("code")).await?.send_keys(&code).await?;
        b.screenshot(&dir.join("login.png")).await?;
        c.find(Locator::Css("form.card button[type=submit]"))
            .await?
            .click()
            .await?;
        c.wait()
            .for_element(Locator::XPath("//h1[starts-with(., 'Intake')]"))
            .await?;
        assert_eq!(c.current_url().await?.path(), "/intake", "logged in: the inbox");

        // See what is urgent: the oldest open report first, and on its row who sent it, where
        // the person lives, the children, 112, accompanied, when to call.
        let inbox = text(c).await?;
        assert!(inbox.contains("2 open meldingen"), "{inbox}");
        assert!(
            inbox.contains("Open (2)") && inbox.contains("Gesloten (0)"),
            "filters with counts"
        );
        let first = c.find(Locator::Css("table.inbox tbody tr")).await?.text().await?;
        for want in [
            kenmerk.as_str(),
            "Demo-apotheek",
            "Amsterdam (GM0363)",
            "2",
            "112 gebeld",
            "Ja",
            safe_times.as_str(),
            "Nieuw",
        ] {
            assert!(first.contains(want), "the first row shows {want}: {first}");
        }
        shots(&b, &dir, "intake-inbox").await?;

        // Open it: calling safely comes first, its warnings stand out, the number is a tel: link.
        c.find(Locator::LinkText(&kenmerk)).await?.click().await?;
        c.wait()
            .for_element(Locator::XPath("//h2[normalize-space()='Veilig bellen']"))
            .await?;
        let h2: Vec<String> = {
            let mut v = Vec::new();
            for e in c.find_all(Locator::Css("main section h2")).await? {
                v.push(e.text().await?);
            }
            v
        };
        assert_eq!(h2.first().map(String::as_str), Some("Veilig bellen"), "{h2:?}");
        assert_eq!(h2.get(1).map(String::as_str), Some("Gegevens van de persoon"), "{h2:?}");
        assert_eq!(h2.get(2).map(String::as_str), Some("Kindcheck"), "{h2:?}");
        let warnings = c.find(Locator::Css("ul.warnings")).await?.text().await?;
        assert!(warnings.contains("Geen voicemail inspreken") && warnings.contains("Geen sms sturen"));
        let tel = c.find(Locator::Css("a[href='tel:0612345678']")).await?;
        assert_eq!(tel.text().await?, "06-12345678", "call the safe number");
        let page = text(c).await?;
        assert!(
            page.contains("Demo-apotheek") && page.contains("Damrak 1, 1012 LG Amsterdam"),
            "who sent it"
        );
        assert!(
            page.contains("Advies van het afwegingskader"),
            "the recommendation is shown"
        );
        assert!(
            !page.contains("safe_contact") && !page.contains("never_at_home"),
            "labels, never raw keys"
        );

        // Acknowledge.
        c.find(Locator::XPath("//button[normalize-space()='In behandeling nemen']"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("p.notice")).await?;
        let page = text(c).await?;
        assert!(page.contains("In behandeling genomen."), "the page confirms");
        assert!(page.contains("In behandeling bij intake-vt01 sinds"), "{page}");
        assert!(
            page.contains("In behandeling genomen door intake-vt01"),
            "the audit log, in Dutch, with the name"
        );
        shots(&b, &dir, "intake-report").await?;

        // Print: no forms, no navigation; the kenmerk and "Vertrouwelijk" head every page.
        cdp(c, "Emulation.setEmulatedMedia", json!({"media": "print"})).await?;
        assert_eq!(computed(c, "main form", "display").await?, "none", "no forms in print");
        assert_eq!(
            computed(c, "header.top", "display").await?,
            "none",
            "no navigation in print"
        );
        assert_eq!(
            computed(c, ".print-mark", "display").await?,
            "table-header-group",
            "repeats per page"
        );
        let mark = c.find(Locator::Css(".print-mark")).await?.text().await?;
        assert!(
            mark.to_lowercase().contains("vertrouwelijk") && mark.contains(&kenmerk),
            "{mark}"
        );
        cdp(c, "Emulation.setEmulatedMedia", json!({"media": ""})).await?;
        assert_eq!(
            computed(c, ".print-mark", "display").await?,
            "none",
            "on screen no print head"
        );

        // Export: the JSON download lands in the downloads folder.
        let downloads = tempfile::tempdir()?;
        let folder = downloads.path().display().to_string();
        cdp(
            c,
            "Browser.setDownloadBehavior",
            json!({"behavior": "allow", "downloadPath": folder}),
        )
        .await?;
        let link = c.find(Locator::Css("a[href$='/export.json']")).await?;
        assert!(link.attr("download").await?.is_some(), "a download link");
        link.click().await?;
        let file = downloads.path().join(format!("masker19-{kenmerk}.json"));
        let start = std::time::Instant::now();
        while !file.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let data: Value = serde_json::from_slice(&std::fs::read(&file)?)?;
        assert_eq!(
            (&data["id"], &data["vt_region"]),
            (&json!(id), &json!("VT01")),
            "the webhook's data"
        );
        assert_eq!(data["person"]["name"], "Voorbeeld Persoon");

        // Hand over: nothing preselected, a reason, a confirmation, a message.
        let select = c.find(Locator::Id("vt_region")).await?;
        assert_eq!(
            select.prop("value").await?.as_deref(),
            Some(""),
            "no region preselected"
        );
        select.select_by_value("VT18").await?;
        c.find(Locator::Id("transfer_reason"))
            .await?
            .send_keys("Woont in Utrecht")
            .await?;
        c.find(Locator::XPath("//button[normalize-space()='Overdragen…']"))
            .await?
            .click()
            .await?;
        c.wait()
            .for_element(Locator::XPath("//h1[contains(., 'overdragen?')]"))
            .await?;
        let confirm = text(c).await?;
        assert!(
            confirm.contains("VT18") && confirm.contains("Woont in Utrecht"),
            "{confirm}"
        );
        c.find(Locator::XPath(
            "//button[starts-with(normalize-space(), 'Ja, overdragen')]",
        ))
        .await?
        .click()
        .await?;
        c.wait().for_element(Locator::Css("p.notice")).await?;
        let inbox = text(c).await?;
        assert!(
            inbox.contains(&format!("Melding {kenmerk} is overgedragen aan VT18")),
            "{inbox}"
        );
        assert_eq!(
            inbox.matches(kenmerk.as_str()).count(),
            1,
            "only in the message, gone from the list"
        );
        c.find(Locator::XPath(
            "//nav//a[starts-with(normalize-space(), 'Overgedragen') and contains(., '(1)')]",
        ))
        .await?
        .click()
        .await?;
        c.wait().for_element(Locator::Css("table.stubs")).await?;
        let stubs = text(c).await?;
        assert!(
            stubs.contains("Overgedragen aan VT18 op") && stubs.contains("reden: Woont in Utrecht"),
            "{stubs}"
        );
        assert!(!stubs.contains("Voorbeeld Persoon"), "a stub without content");

        // Close another report, with the reason on its page.
        c.goto(&format!("{base}/intake/reports/{advice_id}")).await?;
        c.find(Locator::Id("close_reason"))
            .await?
            .send_keys("Advies telefonisch gegeven")
            .await?;
        c.find(Locator::XPath("//button[normalize-space()='Afsluiten']"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("p.notice")).await?;
        let closed = text(c).await?;
        assert!(closed.contains("Afgesloten door intake-vt01 op"), "{closed}");
        assert!(
            closed.contains("reden: Advies telefonisch gegeven"),
            "the close reason on the page"
        );

        // Log out.
        c.find(Locator::XPath("//button[normalize-space()='Uitloggen']"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Id("password")).await?;
        c.goto(&format!("{base}/intake")).await?;
        assert!(c.current_url().await?.path().ends_with("/login"), "logged out");
        b.close().await
    })?;

    assert_eq!(api.status_of(&device, &id)?.body["vt_region"], "VT18", "handed over");
    assert_eq!(api.status_of(&device, &advice_id)?.body["status"], "closed");
    Ok(())
}

/// An evaluator logs in and the statistics page draws its map (server-rendered SVG, no script).
#[test]
fn the_statistics_page_renders_its_map() -> anyhow::Result<()> {
    let (_dir, server, _device) = demo_server(&[])?;
    let base = server.url.clone();
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        let c = &b.client;
        c.goto(&format!("{base}/login")).await?;
        c.find(Locator::Id("name")).await?.send_keys("evaluator").await?;
        c.find(Locator::Id("password")).await?.send_keys(DEMO_PASSWORD).await?;
        let code = masker19_e2e::totp::next_code(&base, "evaluator")?;
        c.find(Locator::Id("code")).await?.send_keys(&code).await?;
        c.find(Locator::Css("form.card button[type=submit]"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("svg.map")).await?;
        assert_eq!(
            c.current_url().await?.path(),
            "/stats",
            "an evaluator lands on the statistics"
        );
        let regions = c.find_all(Locator::Css("svg.map path[data-vt]")).await?;
        assert_eq!(regions.len(), 25, "one shape per Veilig Thuis region");
        let page = c.source().await?;
        assert!(page.contains("VT01") && page.contains("Nederland") && page.contains("Landelijk per soort en kanaal"));
        b.screenshot(&shots.join("stats.png")).await?;
        c.goto(&format!("{base}/intake")).await?;
        let denied = c.source().await?;
        assert!(denied.contains("Geen toegang"), "an evaluator never reaches a report");
        b.close().await
    })
}
