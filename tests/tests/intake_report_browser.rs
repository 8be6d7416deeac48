//! The intake report page as a worker meets it, in a real headless Chromium against the real
//! server: the actions in reach while reading, messages at their fields with the focus there,
//! and which route to the client is safe now.

#[path = "intake_pages/common.rs"]
mod common;

use common::{id_of, kenmerk_of, text, with_browser, within_5s};
use fantoccini::{Client, Locator};
use masker19_e2e::{Api, safe_times_around_now};
use serde_json::{Value, json};

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

/// The element with the focus, when the action bar covers it (else `null`).
const FOCUS_UNDER_BAR: &str = r#"
const bar = document.querySelector('.action-bar');
const f = document.activeElement;
if (!bar || !f || f === document.body || bar.contains(f)) return null;
const b = bar.getBoundingClientRect(), r = f.getBoundingClientRect();
return r.top < b.bottom - 1 && r.bottom > b.top ? f.outerHTML.slice(0, 120) : null;
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
                    // Kept in reach, but never in the way: the keyboard's focus is never under the bar.
                    c.execute("window.scrollTo(0, 0); document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex');", vec![]).await?;
                    for _ in 0..60 {
                        b.press_tab().await?;
                        let hidden = c.execute(FOCUS_UNDER_BAR, vec![]).await?;
                        assert!(
                            hidden.is_null(),
                            "at {width} px the focus is under the action bar: {hidden}"
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
        let mut unreadable = api.example("melding")?;
        unreadable["safe_contact"]["safe_times"] = json!("Als hij naar zijn werk is");
        Ok(vec![inside, outside, unreadable])
    };
    with_browser("intake-vt01", make, |b, base, reports, _| {
        Box::pin(async move {
            let c = &b.client;
            let client_tel = "main a[href='tel:0612345678']";
            // The inbox rows already say it.
            let row_of = |r: &Value| format!("//tr[.//a[normalize-space()='{}']]", kenmerk_of(r));
            let inside_row = c.find(Locator::XPath(&row_of(&reports[0]))).await?.text().await?;
            let outside_row = c.find(Locator::XPath(&row_of(&reports[1]))).await?.text().await?;
            assert!(inside_row.contains("nu binnen de veilige tijden"), "{inside_row}");
            assert!(outside_row.contains("nu buiten de veilige tijden"), "{outside_row}");
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
            assert!(
                page.contains("Nummer buiten de veilige tijden opgevraagd door intake-vt01"),
                "the audit log says who took that step: {page}"
            );

            // Times the page cannot read for certain: a person decides, so the number waits too.
            c.goto(&format!("{base}/intake/reports/{}", id_of(&reports[2]))).await?;
            let page = text(c).await?;
            assert_eq!(c.find_all(Locator::Css(client_tel)).await?.len(), 0, "{page}");
            assert!(page.contains("Controleer zelf de veilige tijden"), "{page}");
            c.find(Locator::XPath(
                "//a[starts-with(normalize-space(), 'Toch bellen: ik heb de veilige tijden gecontroleerd')]",
            ))
            .await?
            .click()
            .await?;
            c.wait().for_element(Locator::Css(client_tel)).await?;
            Ok(())
        })
    })
}
