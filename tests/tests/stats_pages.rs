//! The statistics pages and files as an evaluator meets them, in a real headless Chromium:
//! - the per-region table fits a 1280 px laptop at every granularity: Apotheken, Geoefend and
//!   Mediane tijd are in view without scrolling sideways (the counts per period have a table of
//!   their own that may scroll in its box);
//! - a wrong download link gives a Dutch page in a browser (a program still gets problem+json),
//!   and a wrong Van marks only Van invalid;
//! - the map tells `<5` from `x` (another pattern, both in the legend), the trend bars carry
//!   their values and an axis, and an `x` national total is said in words to be possibly large.

use fantoccini::{Client, Locator};
use masker19_e2e::browser::Browser;
use masker19_e2e::{DEMO_PASSWORD, TestServer, demo_server, insert_counting_records, open_store};

type R = anyhow::Result<()>;

async fn sign_in(c: &Client, server: &TestServer) -> R {
    let base = &server.url;
    let user = server.info["evaluator_user"].clone();
    c.goto(&format!("{base}/login")).await?;
    c.find(Locator::Id("name")).await?.send_keys(&user).await?;
    c.find(Locator::Id("password")).await?.send_keys(DEMO_PASSWORD).await?;
    let code = masker19_e2e::totp::next_code(base, &user)?;
    c.find(Locator::Id("code")).await?.send_keys(&code).await?;
    c.find(Locator::Css("form.card button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("form[action='/logout']")).await?;
    Ok(())
}

async fn js(c: &Client, script: &str) -> anyhow::Result<serde_json::Value> {
    Ok(c.execute(script, vec![]).await?)
}

/// Where the per-region table's columns end, against its box and the window.
const REGION_TABLE: &str = r#"
const section = document.getElementById('regio-kop').closest('section');
const box = section.querySelector('.table-scroll');
const heads = [...section.querySelectorAll('thead th')];
const right = t => { const h = heads.find(h => h.textContent.startsWith(t)); return h ? Math.round(h.getBoundingClientRect().right) : null; };
return { box: Math.round(box.getBoundingClientRect().right), boxWidth: box.clientWidth, scrollWidth: box.scrollWidth,
         content: document.querySelector('main').clientWidth, window: document.documentElement.clientWidth,
         apotheken: right('Apotheken'), geoefend: right('Geoefend'), mediaan: right('Mediane tijd') };"#;

#[test]
fn the_region_table_fits_a_laptop_at_every_granularity() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        let c = &b.client;
        sign_in(c, &server).await?;
        let mut problems = Vec::new();
        for g in ["week", "month", "quarter", "half_year", "year"] {
            c.goto(&format!("{}/stats?period={g}", server.url)).await?;
            let m = js(c, REGION_TABLE).await?;
            eprintln!("{g}: {m}");
            let edge = m["box"].as_i64().unwrap_or(0);
            for column in ["apotheken", "geoefend", "mediaan"] {
                match m[column].as_i64() {
                    Some(right) if right <= edge => {}
                    other => problems.push(format!("{g}: {column} ends at {other:?}, the box at {edge}")),
                }
            }
            if m["scrollWidth"].as_i64() > m["boxWidth"].as_i64() {
                problems.push(format!(
                    "{g}: the table is {} px in a {} px box",
                    m["scrollWidth"], m["boxWidth"]
                ));
            }
        }
        assert!(problems.is_empty(), "at 1280 px: {problems:#?}");
        b.close().await
    })
}

#[test]
fn a_wrong_download_link_gives_a_dutch_page_and_marks_only_the_wrong_field() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        let c = &b.client;
        sign_in(c, &server).await?;
        c.goto(&format!("{}/stats.csv?period=quarter&from=2026-Q5", server.url))
            .await?;
        let kind = js(c, "return document.contentType").await?;
        let text = c.find(Locator::Css("body")).await?.text().await?;
        assert_eq!(kind.as_str(), Some("text/html"), "a page, not JSON: {text}");
        assert!(text.contains("Van: vul een heel kwartaal in, zoals 2026-Q1"), "{text}");
        assert!(!text.contains("\"fields\""), "no JSON: {text}");
        let from = c.find(Locator::Id("from")).await?;
        assert_eq!(from.attr("aria-invalid").await?.as_deref(), Some("true"));
        assert_eq!(
            c.find(Locator::Id("to")).await?.attr("aria-invalid").await?,
            None,
            "Tot is fine"
        );

        // The page itself: a wrong Van marks Van only; a Tot before Van marks Tot only.
        c.goto(&format!("{}/stats?period=quarter&from=2026-Q5&to=2025-Q4", server.url))
            .await?;
        let invalid = js(
            c,
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id).join(',')",
        )
        .await?;
        assert_eq!(invalid.as_str(), Some("from"));
        c.goto(&format!("{}/stats?period=quarter&from=2025-Q4&to=2025-Q1", server.url))
            .await?;
        let invalid = js(
            c,
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id).join(',')",
        )
        .await?;
        assert_eq!(invalid.as_str(), Some("to"));
        b.close().await
    })?;
    // A program (no text/html in Accept) keeps problem+json.
    let r = server
        .client()
        .http
        .get(format!("{}/stats.csv?period=quarter&from=2026-Q5", server.url))
        .header("cookie", web_cookie(&server)?)
        .header("accept", "*/*")
        .send()?;
    assert_eq!(r.status(), 422);
    let content_type = r.headers()["content-type"].to_str()?.to_owned();
    assert!(content_type.starts_with("application/problem+json"), "{content_type}");
    Ok(())
}

fn web_cookie(server: &TestServer) -> anyhow::Result<String> {
    let web = masker19_e2e::web::Web::new(&server.url)?;
    Ok(web.login(&server.info["evaluator_user"], DEMO_PASSWORD)?.cookie)
}

/// January 2025 as it was published: VT21's twelve meldingen hidden as `x` to protect VT27's
/// single one (`<5`), and so the national total `x` as well.
const JANUARY: &str = r#"{"||":"x","VT21||":"x","VT21|melding|":"x","VT21|melding|balie":"x","VT27||":"<5","VT27|melding|":"<5","VT27|melding|balie":"<5","|melding|balie":"x"}"#;

#[test]
fn the_map_and_trends_say_what_they_show() -> R {
    let (_dir, server, _device) = demo_server(&[])?;
    let mut rows: Vec<_> = (1..=12)
        .map(|d| {
            (
                "VT21".into(),
                "melding".into(),
                "balie".into(),
                format!("2025-01-{d:02}T10:00:00.000000Z"),
            )
        })
        .collect();
    rows.push((
        "VT27".into(),
        "melding".into(),
        "balie".into(),
        "2025-01-20T10:00:00.000000Z".into(),
    ));
    for m in [2, 3] {
        for d in 1..=9 {
            rows.push((
                "VT21".into(),
                "melding".into(),
                "balie".into(),
                format!("2025-{m:02}-{d:02}T10:00:00.000000Z"),
            ));
        }
    }
    insert_counting_records(&server.db, &rows)?;
    open_store(&server.db)?.execute(
        "INSERT INTO stats_published (granularity, period, published_on, cells) VALUES ('month', '2025-01', '2025-03-03', ?1)",
        [JANUARY],
    )?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let b = Browser::start().await?;
        let c = &b.client;
        sign_in(c, &server).await?;
        c.goto(&format!(
            "{}/stats?period=month&from=2025-01&to=2025-03&kaart=2025-01",
            server.url
        ))
        .await?;
        let fill = |code: &str| {
            format!("return document.querySelector(\"svg.map path[data-vt='{code}']\").getAttribute('fill')")
        };
        let (x, small) = (js(c, &fill("VT21")).await?, js(c, &fill("VT27")).await?);
        assert_ne!(x, small, "x and <5 look different on the map: {x} {small}");
        let legend = c.find(Locator::Css("ul.legend")).await?.text().await?;
        assert!(legend.contains("<5: 1 tot en met 4"), "{legend}");
        assert!(
            legend.contains("x: afgeschermd om een ander getal te beschermen"),
            "{legend}"
        );
        let legend_fills = js(
            c,
            "return [...document.querySelectorAll('ul.legend rect')].map(r => r.getAttribute('fill'))",
        )
        .await?;
        for f in [&x, &small] {
            assert!(
                legend_fills.as_array().is_some_and(|l| l.contains(f)),
                "{f} in the legend {legend_fills}"
            );
        }

        // The national trend: a value above each bar and a scale beside it.
        let values = js(
            c,
            "return [...document.querySelectorAll('figure.national .bar-values li')].map(l => l.textContent)",
        )
        .await?;
        assert_eq!(values, serde_json::json!(["x", "10", "10"]), "January x, then 9 and 9");
        let axis = c.find(Locator::Css("figure.national .y-axis")).await?.text().await?;
        assert!(axis.contains("10") && axis.contains('0'), "{axis}");
        let vt21 = js(
            c,
            "return [...document.querySelectorAll('.multiples figure')].find(f => f.textContent.includes('VT21'))
               .querySelectorAll('.bar-values li').length",
        )
        .await?;
        assert_eq!(vt21.as_i64(), Some(3), "each region's bars carry their values");

        // x hides a national total: said in words.
        let words = c.find(Locator::Css(".x-uitleg")).await?.text().await?;
        assert!(words.contains("x bij Nederland (2025-01)"), "{words}");
        assert!(words.contains("geen klein getal"), "{words}");
        b.close().await
    })
}
