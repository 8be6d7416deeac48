//! The `client` scenario: a melding for a client who is alone, to its review; the screen turned
//! to the client (the language by its own name, Arabic right to left, Dutch), one tap back,
//! Escape hides from it; sent, and offered again on the status screen; the report page with the
//! server's history; "Dit apparaat" on the list; then the 112 panel over a step, with the step's
//! heading measured against the sticky step buttons. Screenshots of each
//! (`MASKER19_TEST_SHOTS`). Prints `HEADING112 …` for the window test.

use std::time::{Duration, Instant};

use serde_json::json;

use super::{PIN, R, click, escape, exists, fill, js, next_to, opened, pause, shot, text, wait_for, wait_gone};

/// A melding for a client who is alone, to its review (values set, not typed: the `counted`
/// scenario measures typing).
async fn to_review() -> R {
    click("#btn-codeword").await?;
    opened("channel").await?;
    click("#q-channel-balie").await?;
    opened("acute").await?;
    click("#q-acute_danger-no").await?;
    opened("accompanied").await?;
    click("#q-accompanied-no").await?;
    opened("kindcheck").await?;
    click("#q-kindcheck_status-not_applicable").await?;
    next_to("signals").await?;
    fill("#q-observed", "Blauwe plek op de arm").await?;
    next_to("consultation").await?;
    next_to("conversation").await?;
    click("#q-consent-given").await?;
    opened("suspicion").await?;
    next_to("unsafe_situation").await?;
    click("#q-unsafe_situation-yes").await?;
    opened("outcome").await?;
    next_to("person").await?;
    fill("#q-person_name", "Zebra Cliënt").await?;
    fill("#q-date_of_birth", "15-03-1988").await?;
    fill("#q-street", "Teststraat").await?;
    fill("#q-house_number", "19").await?;
    fill("#q-postcode", "1012 AB").await?;
    fill("#q-city", "Amsterdam").await?;
    next_to("safe_contact").await?;
    fill("#q-safe_phone", "06-12345678").await?;
    fill("#q-safe_times", "werkdagen 10-12 uur").await?;
    click("#q-via_pharmacy-no").await?;
    next_to("reporter").await?;
    fill("#q-reporter_name", "A. de Apotheker").await?;
    click("#q-reporter_role-pharmacist").await?;
    fill("#q-reporter_phone", "0201234567").await?;
    click("#q-reachable_until-tomorrow_noon").await?;
    next_to("review").await
}

/// The attribute `name` of `sel`.
async fn attr(sel: &str, name: &str) -> R<String> {
    let v = js(format!(
        "const el = document.querySelector({}); return el ? (el.getAttribute({}) || '') : '';",
        json!(sel),
        json!(name)
    ))
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Turn the screen to the client and pick `lang`; the client's screen reads back the safe
/// number and times in that language.
async fn turn_to(lang: &str, name: &str) -> R {
    click("#btn-turn-to-client").await?;
    wait_for("#client-langs").await?;
    click(&format!("#client-lang-{lang}")).await?;
    wait_for(&format!("#client-screen[lang=\"{lang}\"]")).await?;
    let body = text("#client-screen").await?;
    if !body.contains("06-12345678") || !body.contains("10-12") || !body.contains("112") {
        return Err(format!(
            "the client's screen in {lang} does not read back the block: {body}"
        ));
    }
    if body.contains("werkdagen") != (lang == "nl") {
        return Err(format!("the safe times are not in {lang}: {body}"));
    }
    if exists(".topbar").await? {
        return Err("the pharmacist's bar is on the client's screen".into());
    }
    shot(name).await
}

async fn the_client_screen() -> R {
    click("#btn-turn-to-client").await?;
    wait_for("#client-langs").await?;
    shot("client-langs").await?;
    click("#btn-client-back").await?;
    wait_for("#review").await?;

    turn_to("ar", "client-ar").await?;
    if attr("#client-screen", "dir").await? != "rtl" {
        return Err("Arabic is not right to left".into());
    }
    let face = js("return [...document.styleSheets].some(s => [...s.cssRules].some(r => \
         r instanceof CSSFontFaceRule && r.cssText.includes('Noto Sans Ethiopic')));"
        .into())
    .await?;
    if face != json!(true) {
        return Err("the client's screen does not declare the carried Ethiopic font".into());
    }
    let number =
        js("return [...document.querySelectorAll('#client-screen bdi[dir=ltr]')].map(e => e.textContent);".into())
            .await?;
    if !number.as_array().is_some_and(|a| a.contains(&json!("06-12345678"))) {
        return Err(format!(
            "the Arabic safe number is not isolated left to right: {number}"
        ));
    }
    let align = js("return getComputedStyle(document.querySelector('#client-title')).direction;".into()).await?;
    if align != json!("rtl") {
        return Err(format!("the Arabic heading runs {align}"));
    }
    fit().await?;
    // Another language: one tap where the screen offers it, else back, turn and pick (3).
    let switch_taps = if exists("#client-switch-tr").await? {
        click("#client-switch-tr").await?;
        1
    } else {
        click("#btn-client-back").await?;
        click("#btn-turn-to-client").await?;
        click("#client-lang-tr").await?;
        3
    };
    wait_for("#client-screen[lang=\"tr\"]").await?;
    println!("CLIENTSWITCH taps={switch_taps}");
    // One tap back.
    click("#btn-client-back").await?;
    wait_for("#review").await?;

    turn_to("nl", "client-nl").await?;
    // Escape hides from the client's screen; after the PIN the pharmacist's screen is back.
    escape().await?;
    wait_for("#neutral").await?;
    fill("#unlock-pin", PIN).await?;
    click("#btn-unlock").await?;
    wait_for("#review").await?;
    if exists("#client-screen").await? {
        return Err("the client's screen came back after unlocking".into());
    }
    shot("review-turn").await
}

/// The client's screen in the window: everything fits without scrolling (`fits`), the last line
/// scrolled to is not under the way back (`covered`), and "Verbergen" is in sight then
/// (`hide_seen`). Prints `CLIENTFIT …`.
async fn fit() -> R {
    pause(300).await;
    let v = js("const doc = document.scrollingElement;
         const body = document.getElementById('client-body');
         const fits = doc.scrollHeight <= window.innerHeight + 1 && (!body || body.scrollHeight <= body.clientHeight + 1);
         const last = [...document.querySelectorAll('#client-screen .client-lines li')].pop();
         last.scrollIntoView({ block: 'end' });
         const l = last.getBoundingClientRect();
         const back = document.querySelector('#client-screen .actions').getBoundingClientRect();
         const hide = document.getElementById('btn-hide').getBoundingClientRect();
         const covered = l.bottom > back.top + 1;
         const seen = hide.top >= 0 && hide.bottom <= window.innerHeight;
         return [fits ? 1 : 0, covered ? 1 : 0, seen ? 1 : 0, window.innerWidth, window.innerHeight];"
        .into())
    .await?;
    let n = |i: usize| v[i].as_i64().unwrap_or(-1);
    println!(
        "CLIENTFIT width={} height={} fits={} covered={} hide_seen={}",
        n(3),
        n(4),
        n(0),
        n(1),
        n(2)
    );
    Ok(())
}

/// Where the step's heading is with the 112 panel open, against the sticky step buttons, and
/// whether the point in its middle shows the heading (nothing over it).
async fn measure_heading(state: &str) -> R {
    pause(300).await;
    let v = js("const h = document.getElementById('step-title').getBoundingClientRect();
         const nav = document.querySelector('.stepnav').getBoundingClientRect();
         const hit = document.elementFromPoint(h.left + 20, (h.top + h.bottom) / 2);
         const seen = hit !== null && document.getElementById('step-title').contains(hit);
         return [Math.round(h.top), Math.round(h.bottom), Math.round(nav.top), window.innerHeight, window.innerWidth, seen ? 1 : 0];"
        .into())
    .await?;
    let n = |i: usize| v[i].as_i64().unwrap_or(-1);
    let (top, bottom, nav_top, height, width, seen) = (n(0), n(1), n(2), n(3), n(4), n(5));
    println!(
        "HEADING112 state={state} width={width} height={height} top={top} bottom={bottom} nav_top={nav_top} seen={seen}"
    );
    shot(&format!("panel-112-{state}")).await
}

/// The 112 panel over a step: asking "112 gebeld?", and answered (with "Ongedaan maken").
async fn heading_under_112() -> R {
    click("#btn-112").await?;
    wait_for("#btn-confirm-112").await?;
    measure_heading("ask").await?;
    click("#btn-confirm-112").await?;
    wait_for("#btn-undo-112").await?;
    measure_heading("called").await?;
    click("#btn-undo-112").await?;
    pause(300).await;
    if exists("#btn-close-112").await? {
        click("#btn-close-112").await?;
    }
    wait_gone("#panel-112").await
}

pub async fn client() -> R {
    wait_for("#btn-codeword").await?;
    fill("#pin-new", PIN).await?;
    fill("#pin-again", PIN).await?;
    click("#btn-pin-save").await?;
    wait_gone("#pin-setup").await?;
    to_review().await?;
    the_client_screen().await?;

    click("#btn-submit").await?;
    wait_for("#submitted").await?;
    let start = Instant::now();
    while !text("#submitted-status").await?.contains("ontvangen door de server") {
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("not received: {}", text("#submitted").await?));
        }
        pause(100).await;
    }
    wait_for("#btn-turn-to-client").await?;
    turn_to("tr", "client-tr").await?;
    click("#btn-client-back").await?;
    wait_for("#submitted").await?;

    click("#nav-reports").await?;
    wait_for("#this-device #device-id").await?;
    shot("reports").await?;
    click("#reports tbody button.link").await?;
    wait_for("#report-page").await?;
    // The server's own history, read back from the store.
    let start = Instant::now();
    while !text("#report-page").await?.contains("Server meldt: Ontvangen") {
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("no server history: {}", text("#report-page").await?));
        }
        pause(100).await;
    }
    shot("report").await?;

    click("#nav-home").await?;
    click("#btn-codeword").await?;
    opened("channel").await?;
    heading_under_112().await
}
