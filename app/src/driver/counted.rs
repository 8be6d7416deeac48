//! The `counted` scenario: the shortest realistic melding for a client who is alone, with a
//! saved profile, driven only by real X events (`xdotool`: pointer clicks, keys, typing at 10 ms
//! per key), never by setting fields. Every tap, every key such as Enter or Tab, and the filling
//! of one field count as one interaction; every character typed is counted. It prints
//! `COUNT interactions=… typed=… neutral=…` for the window test, which asserts the targets of
//! `meldcode::counter`.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use super::{KEY_DELAY_MS, PIN, R, click, fill, js, opened, pause, value, wait_for, wait_gone};

static INTERACTIONS: AtomicUsize = AtomicUsize::new(0);
static TYPED: AtomicUsize = AtomicUsize::new(0);

async fn xdo(args: Vec<String>) -> R {
    let shown = args.join(" ");
    let status = tokio::task::spawn_blocking(move || std::process::Command::new("xdotool").args(args).status())
        .await
        .map_err(|e| format!("xdotool: {e}"))?
        .map_err(|e| format!("xdotool: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("xdotool {shown} failed"))
    }
}

/// The centre of `sel` on the screen (the window's content sits at 0,0), scrolled into view as
/// a person would with the wheel (not counted).
async fn centre(sel: &str) -> R<(i64, i64)> {
    wait_for(sel).await?;
    let v = js(format!(
        "const el = document.querySelector({}); el.scrollIntoView({{ block: 'nearest' }});
         const r = el.getBoundingClientRect(); return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];",
        json!(sel)
    ))
    .await?;
    match (v[0].as_i64(), v[1].as_i64()) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(format!("no position for {sel}: {v}")),
    }
}

/// One tap with the pointer.
async fn tap(sel: &str) -> R {
    let (x, y) = centre(sel).await?;
    pause(100).await;
    xdo(["mousemove", &x.to_string(), &y.to_string(), "click", "1"]
        .map(String::from)
        .to_vec())
    .await?;
    INTERACTIONS.fetch_add(1, Ordering::SeqCst);
    pause(150).await;
    Ok(())
}

/// One key (Return, Tab …).
async fn key(name: &str) -> R {
    xdo(vec!["key".into(), name.into()]).await?;
    INTERACTIONS.fetch_add(1, Ordering::SeqCst);
    pause(150).await;
    Ok(())
}

/// Filling one field: a tap into it and the text typed (one interaction, every character
/// counted); every character must arrive.
async fn fill_in(sel: &str, text: &str) -> R {
    tap(sel).await?;
    uncovered(sel).await?;
    xdo(vec![
        "type".into(),
        "--delay".into(),
        KEY_DELAY_MS.into(),
        "--".into(),
        text.into(),
    ])
    .await?;
    TYPED.fetch_add(text.chars().count(), Ordering::SeqCst);
    for _ in 0..40 {
        if value(sel).await? == text {
            return Ok(());
        }
        pause(100).await;
    }
    Err(format!("typed {text:?} into {sel}, it holds {:?}", value(sel).await?))
}

/// The focused field is not under the sticky bars (the emergency bar on top, the step's
/// buttons below): the tap found it at the window's edge, where a person scrolled it to.
async fn uncovered(sel: &str) -> R {
    let v = js(format!(
        "const el = document.querySelector({}); const r = el.getBoundingClientRect();
         const nav = document.querySelector('.stepnav'); const bar = document.querySelector('.topbar');
         const bottom = nav ? nav.getBoundingClientRect().top : window.innerHeight;
         const top = bar ? bar.getBoundingClientRect().bottom : 0;
         return [document.activeElement === el, r.top >= top && r.bottom <= bottom];",
        json!(sel)
    ))
    .await?;
    if v == json!([true, true]) {
        Ok(())
    } else {
        Err(format!("{sel} focused but covered by a sticky bar: {v}"))
    }
}

/// Set-up, not counted: the PIN and a saved profile (what a pharmacy does once).
async fn set_up() -> R {
    wait_for("#btn-codeword").await?;
    fill("#pin-new", PIN).await?;
    fill("#pin-again", PIN).await?;
    click("#btn-pin-save").await?;
    wait_gone("#pin-setup").await?;
    click("#nav-team").await?;
    fill("#staff-name", "A. de Apotheker").await?;
    click("#staff-role-0").await?;
    fill("#staff-phone", "020-1234567").await?;
    click("#staff-reachable-tomorrow_noon").await?;
    click("#btn-staff-add").await?;
    wait_for("#staff-remove-0").await?;
    // The form is new for the next member: nothing of the first one is left in its fields.
    for field in ["#staff-name", "#staff-phone"] {
        if !value(field).await?.is_empty() {
            return Err(format!("after adding a member {field} still holds their entry"));
        }
    }
    click("#nav-home").await?;
    wait_for("#btn-codeword").await
}

pub(super) async fn counted() -> R {
    set_up().await?;
    // Someone says "Masker 19" and the perpetrator is near: the neutral screen.
    INTERACTIONS.store(0, Ordering::SeqCst);
    tap("#btn-neutral-home").await?;
    wait_for("#neutral").await?;
    let neutral = INTERACTIONS.load(Ordering::SeqCst);
    fill("#unlock-pin", PIN).await?;
    click("#btn-unlock").await?;
    wait_for("#btn-codeword").await?;

    // The melding, from "Masker 19" to sent.
    INTERACTIONS.store(0, Ordering::SeqCst);
    tap("#btn-codeword").await?;
    opened("channel").await?;
    tap("#q-channel-balie").await?;
    opened("acute").await?;
    tap("#q-acute_danger-no").await?;
    opened("accompanied").await?;
    tap("#q-accompanied-no").await?;
    opened("kindcheck").await?;
    tap("#q-kindcheck_status-not_applicable").await?;
    tap("#btn-next").await?;
    opened("signals").await?;
    fill_in("#q-observed", "Blauwe plek op de onderarm, schrikt van geluid").await?;
    tap("#btn-next").await?;
    opened("consultation").await?;
    // Enter confirms a step (the focus is on its heading).
    key("Return").await?;
    opened("conversation").await?;
    tap("#q-consent-given").await?;
    opened("suspicion").await?;
    key("Return").await?;
    opened("unsafe_situation").await?;
    tap("#q-unsafe_situation-yes").await?;
    opened("outcome").await?;
    key("Return").await?;
    opened("person").await?;
    fill_in("#q-person_name", "Test Persoon").await?;
    fill_in("#q-date_of_birth", "15-03-1988").await?;
    fill_in("#q-street", "Teststraat").await?;
    fill_in("#q-house_number", "1").await?;
    fill_in("#q-postcode", "1012 AB").await?;
    fill_in("#q-city", "Amsterdam").await?;
    key("Return").await?;
    opened("safe_contact").await?;
    fill_in("#q-safe_phone", "0612345678").await?;
    fill_in("#q-safe_times", "werkdagen 10-12 uur").await?;
    // "Tolk nodig: nee" is preselected (shown for confirmation): not tapped again.
    if js("const b = document.getElementById('q-interpreter_needed-no'); return !!b && b.getAttribute('aria-checked') === 'true';".into()).await? != json!(true) {
        return Err("\"Tolk nodig: nee\" is not preselected".into());
    }
    tap("#btn-next").await?;
    opened("reporter").await?;
    tap("#staff-0").await?;
    opened("review").await?;
    tap("#btn-submit").await?;
    wait_for("#submitted").await?;
    let n = INTERACTIONS.load(Ordering::SeqCst);
    let typed = TYPED.load(Ordering::SeqCst);
    println!("COUNT interactions={n} typed={typed} neutral={neutral}");
    Ok(())
}
