//! A real headless Chromium against the real server: an intake worker logs in, opens a report,
//! takes it into intake, and the pharmacy's status changes; then logs out.

use fantoccini::Locator;
use masker19_e2e::browser::Browser;
use masker19_e2e::{DEMO_PASSWORD, demo_server};

#[test]
fn an_intake_worker_acknowledges_a_report_in_the_browser() -> anyhow::Result<()> {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let id = report["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(api.status_of(&device, &id)?.body["status"], "received");
    let base = server.url.clone();
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");

    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        let c = &b.client;
        c.goto(&format!("{base}/intake")).await?;
        assert!(
            c.current_url().await?.path().ends_with("/login"),
            "not logged in: to the login page"
        );
        c.find(Locator::Id("name")).await?.send_keys("intake-vt01").await?;
        c.find(Locator::Id("password")).await?.send_keys(DEMO_PASSWORD).await?;
        b.screenshot(&shots.join("login.png")).await?;
        c.find(Locator::Css("form.card button[type=submit]"))
            .await?
            .click()
            .await?;
        c.wait()
            .for_element(Locator::XPath("//h1[starts-with(., 'Intake')]"))
            .await?;
        assert_eq!(c.current_url().await?.path(), "/intake", "logged in: the inbox");
        let inbox = c.source().await?;
        assert!(inbox.contains("Intake · VT01") && inbox.contains("Melding") && inbox.contains("Ontvangen"));
        b.screenshot(&shots.join("intake-inbox.png")).await?;

        c.find(Locator::Css(&format!("a[href='/intake/reports/{id}']")))
            .await?
            .click()
            .await?;
        c.wait()
            .for_element(Locator::XPath("//h2[normalize-space()='Veilig contact']"))
            .await?;
        let page = c.source().await?;
        assert!(
            page.contains("Voorbeeld Persoon") && page.contains("06-12345678"),
            "the report and its safe contact"
        );
        assert!(
            !page.contains("safe_contact") && !page.contains("never_at_home"),
            "labels, never raw keys"
        );
        b.screenshot(&shots.join("intake-report.png")).await?;
        c.find(Locator::XPath("//button[normalize-space()='In behandeling nemen']"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("p.notice")).await?;
        let after = c.source().await?;
        assert!(after.contains("In behandeling genomen."), "the page confirms");

        c.find(Locator::XPath("//button[normalize-space()='Uitloggen']"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Id("password")).await?;
        c.goto(&format!("{base}/intake")).await?;
        assert!(c.current_url().await?.path().ends_with("/login"), "logged out");
        b.close().await
    })?;

    let status = api.status_of(&device, &id)?.body;
    assert_eq!(status["status"], "acknowledged", "the pharmacy sees the loop close");
    Ok(())
}

/// An evaluator logs in and the statistics page draws its chart (server-rendered SVG, no script).
#[test]
fn the_statistics_page_renders_its_chart() -> anyhow::Result<()> {
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
        c.find(Locator::Css("form.card button[type=submit]"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("svg.chart")).await?;
        assert_eq!(
            c.current_url().await?.path(),
            "/stats",
            "an evaluator lands on the statistics"
        );
        let bars = c.find_all(Locator::Css("svg.chart rect")).await?;
        assert_eq!(bars.len(), 25, "one bar per Veilig Thuis region");
        let page = c.source().await?;
        assert!(page.contains("VT01") && page.contains("Nederland") && page.contains("Landelijk per soort en kanaal"));
        b.screenshot(&shots.join("stats.png")).await?;
        c.goto(&format!("{base}/intake")).await?;
        let denied = c.source().await?;
        assert!(denied.contains("Geen toegang"), "an evaluator never reaches a report");
        b.close().await
    })
}
