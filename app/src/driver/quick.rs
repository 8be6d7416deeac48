//! The `quick` scenario: text typed with real X key events (10 ms per key) and, a short gap
//! later (`MASKER19_TEST_GAP_MS`, 50 ms unless set), a real click on a choice beside it, as an
//! assistant does who types a name and taps the role at once. Twice: the observation and a
//! signal category, the reporter's name and "Apothekersassistent". Every character must stay in
//! the field and reach the draft (the review shows it). Prints
//! `QUICK gap=… lost=… observed=… name=…` for the window test (`lost`: characters typed that the
//! review does not show).

use std::time::{Duration, Instant};

use serde_json::json;

use super::{KEY_DELAY_MS, PIN, R, click, fill, js, next_to, opened, pause, text, value, wait_for, wait_gone};

const OBSERVED: &str = "Blauwe plek in de hals";
const NAME: &str = "Sanne de Vries";

/// The centre of `sel` on the screen (the window's content sits at 0,0).
async fn centre(sel: &str) -> R<(i64, i64)> {
    wait_for(sel).await?;
    let v = js(format!(
        "const el = document.querySelector({}); const r = el.getBoundingClientRect();
         return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];",
        json!(sel)
    ))
    .await?;
    match (v[0].as_i64(), v[1].as_i64()) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(format!("no position for {sel}: {v}")),
    }
}

/// Focus `field`, type `typed` with real key events, wait `gap_ms`, click `choice`: one
/// `xdotool` command, so the gap is the gap a person leaves (not the driver's own delays).
async fn type_then_click(field: &str, typed: &str, choice: &str, gap_ms: u64) -> R {
    wait_for(field).await?;
    js(format!(
        "document.querySelector({}).focus(); return true;",
        json!(field)
    ))
    .await?;
    pause(300).await;
    // Both in sight, as a person sees them before typing: the choice below the top bar.
    js(format!(
        "const c = document.querySelector({}).getBoundingClientRect();
         const bar = document.querySelector('.topbar').getBoundingClientRect().bottom;
         if (c.top < bar + 10) {{ window.scrollBy(0, c.top - bar - 20); }} return true;",
        json!(choice)
    ))
    .await?;
    pause(300).await;
    let (x, y) = centre(choice).await?;
    let (fx, fy) = centre(field).await?;
    let args: Vec<String> = [
        "mousemove",
        &fx.to_string(),
        &fy.to_string(),
        "type",
        "--delay",
        KEY_DELAY_MS,
        // One argument is the text: the chain goes on after it.
        "--args",
        "1",
        typed,
        "sleep",
        &format!("{:.3}", gap_ms as f64 / 1000.0),
        "mousemove",
        &x.to_string(),
        &y.to_string(),
        "click",
        "1",
    ]
    .map(String::from)
    .to_vec();
    let status = tokio::task::spawn_blocking(move || std::process::Command::new("xdotool").args(args).status())
        .await
        .map_err(|e| format!("xdotool: {e}"))?
        .map_err(|e| format!("xdotool: {e}"))?;
    if !status.success() {
        return Err("xdotool failed".into());
    }
    // Let every event land.
    let start = Instant::now();
    while !js(format!(
        "const b = document.querySelector({}); return b && b.getAttribute('aria-checked') === 'true';",
        json!(choice)
    ))
    .await?
    .as_bool()
    .unwrap_or(false)
    {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("the click on {choice} did not arrive"));
        }
        pause(100).await;
    }
    pause(1500).await;
    Ok(())
}

/// Characters of `typed` missing from `shown` (typed text is only ever cut short).
fn lost(typed: &str, shown: &str) -> usize {
    let kept = typed.chars().zip(shown.chars()).take_while(|(a, b)| a == b).count();
    typed.chars().count() - kept
}

/// The value the review shows for the row `label` (the label on one line, its value on the next).
fn review_value(review: &str, label: &str) -> String {
    let mut lines = review.lines().map(str::trim).filter(|l| !l.is_empty());
    lines.find(|l| *l == label);
    lines.next().unwrap_or_default().to_owned()
}

pub(super) async fn quick() -> R {
    let gap: u64 = std::env::var("MASKER19_TEST_GAP_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    wait_for("#btn-codeword").await?;
    fill("#pin-new", PIN).await?;
    fill("#pin-again", PIN).await?;
    click("#btn-pin-save").await?;
    wait_gone("#pin-setup").await?;
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
    type_then_click("#q-observed", OBSERVED, "#q-signal_categories-physical", gap).await?;
    let observed_field = value("#q-observed").await?;
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
    type_then_click("#q-reporter_name", NAME, "#q-reporter_role-assistant", gap).await?;
    let name_field = value("#q-reporter_name").await?;
    fill("#q-reporter_phone", "0201234567").await?;
    click("#q-reachable_until-tomorrow_noon").await?;
    next_to("review").await?;
    let review = text("#review").await?;
    // What the draft holds: the review shows it.
    let observed = if review.contains(OBSERVED) {
        OBSERVED.to_owned()
    } else {
        review_value(&review, "Gezien")
    };
    let name = if review.contains(NAME) {
        NAME.to_owned()
    } else {
        review_value(&review, "Naam melder")
    };
    let lost =
        lost(OBSERVED, &observed).max(lost(OBSERVED, &observed_field)) + lost(NAME, &name).max(lost(NAME, &name_field));
    let shown = if lost > 0 {
        review.replace('\n', " | ")
    } else {
        String::new()
    };
    println!(
        "QUICK gap={gap} lost={lost} observed={observed:?} name={name:?} observed_field={observed_field:?} name_field={name_field:?} review={shown}"
    );
    Ok(())
}
