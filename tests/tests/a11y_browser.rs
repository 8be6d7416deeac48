//! WCAG 2.1 AA of every server page, proven in a real headless Chromium: axe-core (npm, pinned
//! in `tests/browser/package.json`, installed by `scripts/setup-system`) with the tags wcag2a,
//! wcag2aa, wcag21a and wcag21aa finds 0 violations; at 320 CSS pixels no page scrolls sideways
//! (1.4.10); a skip link is the first thing Tab reaches (2.4.1); every focus ring has at least
//! 3:1 contrast against what is behind it (1.4.11). Browsers get Dutch HTML error pages, the
//! API keeps its JSON.
//!
//! The pages are listed in ONE place, [`pages`]: add a page there and every check runs on it.

use std::path::Path;

use fantoccini::Locator;
use masker19_e2e::browser::Browser;
use masker19_e2e::{Api, DEMO_PASSWORD, demo_server};
use serde_json::{Value, json};

#[path = "a11y/scripts.rs"]
mod scripts;
use scripts::{AXE_RUN, FOCUS_RING, TOO_WIDE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Nobody,
    Intake,
    Evaluator,
    /// [`NEW_USER`] after the right password, setting up a second factor.
    Setup,
}

/// A demo user whose second factor was reset: the next sign-in sets it up.
const NEW_USER: &str = "intake-vt27";
/// A form value replaced by a code of the secret on the page (`#totp-secret`).
const FRESH_CODE: &str = "{totp}";
const SETUP_BUTTON: &str = "form[action='/login/setup'] button[type=submit]";

/// A page to check: open `path` as `who`, and, with `press`, press that button (a form's
/// submit) and check the page it leads to.
struct Visit {
    name: String,
    who: Who,
    path: String,
    press: Option<&'static str>,
    /// Form fields (CSS selector, value) filled in before the button is pressed.
    fill: &'static [(&'static str, &'static str)],
}

fn visit(name: &str, who: Who, path: &str) -> Visit {
    Visit {
        name: name.to_owned(),
        who,
        path: path.to_owned(),
        press: None,
        fill: &[],
    }
}

fn press(name: &str, who: Who, path: &str, button: &'static str) -> Visit {
    Visit {
        press: Some(button),
        ..visit(name, who, path)
    }
}

fn press_filled(
    name: &str,
    who: Who,
    path: &str,
    fill: &'static [(&'static str, &'static str)],
    button: &'static str,
) -> Visit {
    Visit {
        fill,
        ..press(name, who, path, button)
    }
}

/// Every server page. `open` is an open report of VT01 (it is closed and transferred on the
/// way; its safe times are not now), `acked` one in intake; both are meldingen with all their
/// blocks filled in; `returned` came back to VT01 from another region, with a reason.
fn pages(open: &str, acked: &str, returned: &str) -> Vec<Visit> {
    let report = format!("/intake/reports/{open}");
    let mut list = vec![
        visit("login", Who::Nobody, "/login"),
        press_filled(
            "login, wrong code",
            Who::Nobody,
            "/login",
            &[
                ("#name", "intake-vt03"),
                ("#password", DEMO_PASSWORD),
                ("#code", "000000"),
            ],
            "form[action='/login'] button[type=submit]",
        ),
        visit("second-factor setup", Who::Setup, "/login/setup"),
        press_filled(
            "second-factor setup, wrong code",
            Who::Setup,
            "/login/setup",
            &[("#code", "000000")],
            SETUP_BUTTON,
        ),
        press_filled(
            "recovery codes",
            Who::Setup,
            "/login/setup",
            &[("#code", FRESH_CODE)],
            SETUP_BUTTON,
        ),
        visit("404 page", Who::Nobody, "/bestaat-niet"),
        visit("405 page", Who::Nobody, "/logout"),
        visit("inbox", Who::Intake, "/intake"),
    ];
    for status in ["open", "acknowledged", "transferred", "closed", "all"] {
        list.push(visit(
            &format!("inbox ?status={status}"),
            Who::Intake,
            &format!("/intake?status={status}"),
        ));
    }
    list.extend([
        visit("inbox page 1", Who::Intake, "/intake?page=1"),
        visit("inbox, a page beyond the last", Who::Intake, "/intake?page=99"),
        visit("report", Who::Intake, &report),
        visit(
            "report, calling outside the safe times anyway",
            Who::Intake,
            &format!("{report}?bellen=toch"),
        ),
        visit(
            "report handed over to this region",
            Who::Intake,
            &format!("/intake/reports/{returned}"),
        ),
        visit("report in intake", Who::Intake, &format!("/intake/reports/{acked}")),
        visit(
            "404 page, signed in",
            Who::Intake,
            "/intake/reports/00000000-0000-4000-8000-000000000000",
        ),
        press(
            "close form without a reason",
            Who::Intake,
            &report,
            "form[action$='/close'] button[type=submit]",
        ),
        press(
            "transfer form sent empty",
            Who::Intake,
            &report,
            "form[action$='/transfer'] button[type=submit]",
        ),
        press_filled(
            "transfer confirmation",
            Who::Intake,
            &report,
            &[
                ("#vt_region", "VT18"),
                ("#transfer_reason", "Woont sinds kort in Utrecht"),
            ],
            "form[action$='/transfer'] button[type=submit]",
        ),
        press(
            "logged out",
            Who::Intake,
            "/intake",
            "form[action='/logout'] button[type=submit]",
        ),
    ]);
    for period in ["week", "month", "quarter", "half_year", "year"] {
        list.push(visit(
            &format!("stats {period}"),
            Who::Evaluator,
            &format!("/stats?period={period}"),
        ));
    }
    list.extend([
        visit(
            "stats, three months (values on the bars)",
            Who::Evaluator,
            "/stats?period=month&from=2026-01&to=2026-03",
        ),
        visit(
            "stats, a wrong Van",
            Who::Evaluator,
            "/stats?period=quarter&from=2026-Q5&to=2025-Q4",
        ),
        visit(
            "stats.csv refused in a browser",
            Who::Evaluator,
            "/stats.csv?period=quarter&from=2026-Q5",
        ),
    ]);
    list
}

/// What one page breaks, in words (empty: nothing).
async fn check_page(b: &Browser, axe: &str) -> anyhow::Result<Vec<String>> {
    let c = &b.client;
    let mut problems = Vec::new();
    c.execute(axe, vec![]).await?;
    let violations = c.execute_async(AXE_RUN, vec![]).await?;
    for v in violations.as_array().into_iter().flatten() {
        problems.push(format!("axe {} ({}): {}", v["id"], v["impact"], v["help"]));
        for node in v["nodes"].as_array().into_iter().flatten().take(5) {
            problems.push(format!("    {}", node.as_str().unwrap_or_default().replace('\n', " ")));
        }
    }

    b.viewport_width(Some(320)).await?;
    let width = c
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await?;
    if width.as_u64().is_none_or(|w| w > 320) {
        let wide = c.execute(TOO_WIDE, vec![]).await?;
        problems.push(format!(
            "at 320 px the page is {width} px wide: it scrolls sideways ({wide})"
        ));
    }
    b.viewport_width(None).await?;

    // Tab from the top: the skip link first, then every focus ring.
    c.execute(
        // Focusing the body moves the sequential focus starting point to the top, also where
        // the page (or the browser's own form validation) put the focus on a field.
        "document.activeElement && document.activeElement.blur(); \
         document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); \
         window.scrollTo(0, 0);",
        vec![],
    )
    .await?;
    let mut seen = Vec::new();
    for step in 0..40 {
        b.press_tab().await?;
        let ring = c.execute(FOCUS_RING, vec![]).await?;
        if ring.is_null() {
            break;
        }
        if step == 0 && (ring["href"] != "#main" || ring["main"] != true) {
            problems.push(format!(
                "the first Tab reaches {}, not a skip link to #main",
                ring["element"]
            ));
        }
        let element = ring["element"].to_string();
        if seen.contains(&element) {
            break;
        }
        let visible = ring["style"] != "none" && ring["width"].as_f64().unwrap_or(0.0) > 0.0;
        let ratio = ring["ratio"].as_f64().unwrap_or(0.0);
        if !visible || ratio < 3.0 {
            problems.push(format!(
                "focus ring of {element}: {} {} px {} on {}, contrast {ratio:.2}:1 (needs 3:1)",
                ring["style"], ring["width"], ring["color"], ring["background"]
            ));
        }
        seen.push(element);
    }
    Ok(problems)
}

/// Sign in through the login form with a fresh code; [`NEW_USER`] without one, which leads to
/// the setup of a second factor.
async fn log_in(b: &Browser, base: &str, name: &str) -> anyhow::Result<()> {
    let c = &b.client;
    c.goto(&format!("{base}/login")).await?;
    c.find(Locator::Id("name")).await?.send_keys(name).await?;
    c.find(Locator::Id("password")).await?.send_keys(DEMO_PASSWORD).await?;
    if name != NEW_USER {
        let code = masker19_e2e::totp::next_code(base, name)?;
        c.find(Locator::Id("code")).await?.send_keys(&code).await?;
    }
    c.find(Locator::Css("form.card button[type=submit]"))
        .await?
        .click()
        .await?;
    let home = match name {
        "evaluator" => "/stats",
        NEW_USER => "/login/setup",
        _ => "/intake",
    };
    c.wait().for_url(&url::Url::parse(&format!("{base}{home}"))?).await?;
    Ok(())
}

/// Reports in VT01's inbox in each state; the ids of an open one (outside its safe times), one
/// in intake, and one VT02 handed back.
fn seed_reports(api: &Api, device: &str) -> anyhow::Result<(String, String, String)> {
    let token = api.login("intake-vt01", DEMO_PASSWORD)?;
    let mut ids = Vec::new();
    for kind in ["melding", "melding", "adviesvraag", "melding", "melding", "melding"] {
        let mut report = api.example(kind)?;
        if ids.is_empty() {
            report["safe_contact"]["safe_times"] = json!(masker19_e2e::safe_times_around_now(false));
        }
        api.submit(device, &report)?;
        ids.push(report["id"].as_str().unwrap_or_default().to_owned());
    }
    let act = |id: &str, action: &str, body: Value| -> anyhow::Result<()> {
        let r = api.post_json(&format!("/api/v1/intake/reports/{id}/{action}"), Some(&token), &body)?;
        anyhow::ensure!(r.status == 200, "{action}: {} {}", r.status, r.body);
        Ok(())
    };
    act(&ids[1], "acknowledge", json!({}))?;
    act(&ids[2], "acknowledge", json!({}))?;
    act(&ids[2], "close", json!({"reason": "Afgehandeld"}))?;
    act(&ids[3], "transfer", json!({"vt_region": "VT02"})).or_else(|_| {
        act(
            &ids[3],
            "transfer",
            json!({"vt_region": "VT02", "reason": "Woont in VT02"}),
        )
    })?;
    act(
        &ids[5],
        "transfer",
        json!({"vt_region": "VT02", "reason": "Woont in Haarlem"}),
    )?;
    let vt02 = api.login("intake-vt02", DEMO_PASSWORD)?;
    let back = api.post_json(
        &format!("/api/v1/intake/reports/{}/transfer", ids[5]),
        Some(&vt02),
        &json!({"vt_region": "VT01", "reason": "Toch Amsterdam: verhuizing ging niet door"}),
    )?;
    anyhow::ensure!(back.status == 200, "transfer back: {} {}", back.status, back.body);
    Ok((ids[0].clone(), ids[1].clone(), ids[5].clone()))
}

/// A sealed melding in VT01's inbox (its region key list set, the report sealed with `age`):
/// the page shows its envelope and says how it is opened.
fn seed_sealed(api: &Api, db: &Path, device: &str, keys_dir: &Path) -> anyhow::Result<String> {
    use masker19_e2e::ceremony::{Ceremony, age_encrypt, set_list};
    let ceremony = Ceremony::new(keys_dir, &["VT01"])?;
    let (list, sig) = ceremony.sign("regions.json", &ceremony.list(1))?;
    let out = set_list(db, &ceremony.scheme_key, &list, &sig)?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let keys = ceremony.region("VT01")?;
    let report: meldcode::Report = serde_json::from_value(masker19_e2e::with_fresh_id(&api.example("melding")?))?;
    let sealed = age_encrypt(report.canonical_json().as_bytes(), &[&keys.recipient, &keys.recovery])?;
    let envelope = meldcode::sealed::Envelope::for_report(&report, "VT01", 1, sealed);
    let r = api.post_json("/api/v1/reports", Some(device), &serde_json::to_value(&envelope)?)?;
    anyhow::ensure!(r.status == 201, "{} {}", r.status, r.body);
    Ok(report.id.to_string())
}

#[test]
fn every_page_meets_wcag_2_1_aa_in_a_real_browser() -> anyhow::Result<()> {
    let axe_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path)
        .map_err(|e| anyhow::anyhow!("{}: {e} (scripts/setup-system installs axe-core)", axe_path.display()))?;
    let (dir, server, device) = demo_server(&[])?;
    let (open, acked, returned) = seed_reports(&server.client(), &device)?;
    let sealed = seed_sealed(&server.client(), &server.db, &device, &dir.path().join("keys"))?;
    let mut visits = pages(&open, &acked, &returned);
    let after_report = visits
        .iter()
        .position(|v| v.name == "report")
        .map_or(visits.len(), |i| i + 1);
    visits.insert(
        after_report,
        visit("sealed report", Who::Intake, &format!("/intake/reports/{sealed}")),
    );
    let reset = masker19_e2e::admin(&server.db, &["user", "reset-2fa", NEW_USER], "")?;
    anyhow::ensure!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    let base = server.url.clone();
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    let rt = tokio::runtime::Runtime::new()?;
    let failures = rt.block_on(async {
        let b = Browser::start().await?;
        let mut signed_in = Who::Nobody;
        let mut failures = Vec::new();
        for page in visits {
            if page.who != signed_in {
                b.client.delete_all_cookies().await?;
                match page.who {
                    Who::Intake => log_in(&b, &base, "intake-vt01").await?,
                    Who::Evaluator => log_in(&b, &base, "evaluator").await?,
                    Who::Setup => log_in(&b, &base, NEW_USER).await?,
                    Who::Nobody => {}
                }
                signed_in = page.who;
            }
            b.client.goto(&format!("{base}{}", page.path)).await?;
            if let Some(button) = page.press {
                for (field, value) in page.fill {
                    let value = if *value == FRESH_CODE {
                        let secret = b.client.find(Locator::Id("totp-secret")).await?.text().await?;
                        masker19_e2e::totp::set_secret(&base, NEW_USER, secret.trim());
                        masker19_e2e::totp::next_code(&base, NEW_USER)?
                    } else {
                        (*value).to_owned()
                    };
                    b.client
                        .execute(
                            "document.querySelector(arguments[0]).value = arguments[1];",
                            vec![(*field).into(), value.into()],
                        )
                        .await?;
                }
                b.client.find(Locator::Css(button)).await?.click().await?;
                b.client.wait().for_element(Locator::Css("body")).await?;
                if button.contains("logout") {
                    signed_in = Who::Nobody;
                }
            }
            let problems = check_page(&b, &axe).await?;
            // How it looks at 320 px, for people to check (target/screenshots/).
            b.viewport_width(Some(320)).await?;
            let slug: String = page
                .name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            b.screenshot(&shots.join(format!("a11y-320-{slug}.png"))).await?;
            b.viewport_width(None).await?;
            let at = b.client.current_url().await?;
            println!("{}: {} ({} problem(s))", page.name, at.path(), problems.len());
            if !problems.is_empty() {
                failures.push(format!("{} ({}):\n  {}", page.name, at, problems.join("\n  ")));
            }
        }
        b.close().await?;
        anyhow::Ok(failures)
    })?;
    assert!(failures.is_empty(), "WCAG 2.1 AA problems:\n{}", failures.join("\n"));
    Ok(())
}

#[test]
fn browsers_get_dutch_error_pages_and_the_api_keeps_its_json() -> anyhow::Result<()> {
    let (_dir, server, _device) = demo_server(&[])?;
    let http = reqwest::blocking::Client::new();
    let get = |path: &str, accept: Option<&str>| -> anyhow::Result<(u16, String, String)> {
        let mut req = http.get(format!("{}{path}", server.url));
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let r = req.send()?;
        let status = r.status().as_u16();
        let ct = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok((status, ct, r.text()?))
    };
    let browser = Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    let (status, ct, body) = get("/bestaat-niet", browser)?;
    assert_eq!(status, 404);
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(
        body.contains("<html lang=\"nl\">") && body.contains("Pagina niet gevonden"),
        "{body}"
    );
    let (status, ct, body) = get("/logout", browser)?;
    assert_eq!(status, 405);
    assert!(
        ct.starts_with("text/html") && body.contains("<html lang=\"nl\">"),
        "{ct}"
    );
    // The API, and clients that do not ask for HTML, keep the JSON error body.
    for (path, accept, code) in [
        ("/api/v1/bestaat-niet", browser, 404),
        ("/api/v1/reports", browser, 405),
        ("/bestaat-niet", None, 404),
        ("/bestaat-niet", Some("application/json"), 404),
    ] {
        let (status, ct, body) = get(path, accept)?;
        assert_eq!(status, code, "{path}");
        assert!(ct.starts_with("application/problem+json"), "{path} {accept:?}: {ct}");
        let body: Value = serde_json::from_str(&body)?;
        assert!(body["error"].is_string() && body["fields"].is_array(), "{path}");
    }
    Ok(())
}
