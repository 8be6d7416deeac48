//! The in-app test driver (debug builds only): with `MASKER19_TEST_DRIVER=<scenario>` the app
//! drives its own real window through the DOM — clicks, typed values, the Escape key — reads the
//! DOM back, saves screenshots (`MASKER19_TEST_SHOTS=<dir>`, `import -window root`), and exits 0,
//! or 1 with `DRIVER FAIL: …` on stderr. Scenarios: `melding` (every screen to a submitted
//! melding), `midway` (half a second report, then waits to be killed), `restored` (after the
//! restart: the neutral screen, the PIN, the draft), `counted` (the shortest melding with real
//! X events only, counted: [`counted`]), `practice` (the oefenmodus: [`practice`]), `pin` (the PIN rules: [`pin`]), `quick` (typing, then a click at once: [`quick`]), `steady` (Enter on a choice, accompanied,
//! the 112 panel's buttons: [`steady`]), `unavailable` (the store did not open).

use std::time::{Duration, Instant};

use dioxus::prelude::*;
use serde_json::{Value, json};

const PIN: &str = "1919";

mod client;
mod counted;

mod pin;
mod practice;
mod quick;
mod steady;

pub fn use_driver() {
    use_future(|| async {
        let Ok(scenario) = std::env::var("MASKER19_TEST_DRIVER") else {
            return;
        };
        let code = match run(&scenario).await {
            Ok(()) => {
                println!("DRIVER OK {scenario}");
                // app/bench.sh measures the memory after the scenario.
                if let Some(ms) = std::env::var("MASKER19_TEST_HOLD_MS").ok().and_then(|v| v.parse().ok()) {
                    pause(ms).await;
                }
                0
            }
            Err(e) => {
                eprintln!("DRIVER FAIL {scenario}: {e}");
                let _ = shot("failure").await;
                1
            }
        };
        std::process::exit(code);
    });
}

type R<T = ()> = Result<T, String>;

/// Run a read-only script; retried when its answer is lost (the webview can drop an eval's
/// result while it applies edits).
async fn js(script: String) -> R<Value> {
    let mut last = String::new();
    for _ in 0..5 {
        match document::eval(&script).join::<Value>().await {
            Ok(v) => return Ok(v),
            Err(e) => last = format!("eval: {e:?}"),
        }
        pause(50).await;
    }
    Err(last)
}

/// Run an action once, deferred with `setTimeout` so the eval answers before the app reacts;
/// a lost answer is not an error (what the action did is checked by the next wait).
async fn act(script: String) -> R {
    let wrapped = format!("setTimeout(() => {{ {script} }}, 0); return true;");
    let _ = document::eval(&wrapped).join::<Value>().await;
    pause(60).await;
    Ok(())
}

async fn pause(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

async fn exists(sel: &str) -> R<bool> {
    Ok(js(format!("return document.querySelector({}) !== null;", json!(sel))).await? == json!(true))
}

async fn wait_for(sel: &str) -> R {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if exists(sel).await? {
            return Ok(());
        }
        pause(50).await;
    }
    Err(format!(
        "timed out waiting for {sel}; page: {}",
        text("body").await.unwrap_or_default()
    ))
}

async fn wait_gone(sel: &str) -> R {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if !exists(sel).await? {
            return Ok(());
        }
        pause(50).await;
    }
    Err(format!("{sel} did not go away"))
}

async fn click(sel: &str) -> R {
    wait_for(sel).await?;
    act(format!("document.querySelector({}).click();", json!(sel))).await
}

async fn fill(sel: &str, value: &str) -> R {
    wait_for(sel).await?;
    act(format!(
        "const el = document.querySelector({}); el.focus(); el.value = {};
         el.dispatchEvent(new Event('input', {{ bubbles: true }}));
         el.dispatchEvent(new Event('change', {{ bubbles: true }}));",
        json!(sel),
        json!(value)
    ))
    .await?;
    // The value must have reached the app's state (it renders it back).
    let start = Instant::now();
    while self::value(sel).await? != value {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("fill {sel}: the value did not stick"));
        }
        pause(50).await;
    }
    Ok(())
}

/// The delay between real key events of [`type_keys`]: a fast typist.
const KEY_DELAY_MS: &str = "10";

/// Type `value` into `sel` with real X key events (`xdotool type --delay 10`), as a person
/// would: focus the field, move the pointer onto the window (no window manager under Xvfb:
/// the keyboard follows the pointer), type, and check that every character arrived.
async fn type_keys(sel: &str, value: &str) -> R {
    wait_for(sel).await?;
    act(format!(
        "const el = document.querySelector({}); el.scrollIntoView({{block: 'center'}}); el.focus();",
        json!(sel)
    ))
    .await?;
    let typed = value.to_owned();
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new("xdotool")
            .args(["mousemove", "5", "200", "type", "--delay", KEY_DELAY_MS, "--", &typed])
            .status()
    })
    .await
    .map_err(|e| format!("xdotool: {e}"))?
    .map_err(|e| format!("xdotool: {e}"))?;
    if !status.success() {
        return Err(format!("xdotool type failed for {sel}"));
    }
    // Let the last events land, then compare what the field holds.
    let start = Instant::now();
    loop {
        pause(300).await;
        let now = self::value(sel).await?;
        if now == value {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("typed {value:?} into {sel}, the field holds {now:?}"));
        }
    }
}

async fn text(sel: &str) -> R<String> {
    let v = js(format!(
        "const el = document.querySelector({}); return el ? el.innerText : '';",
        json!(sel)
    ))
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

async fn value(sel: &str) -> R<String> {
    let v = js(format!(
        "const el = document.querySelector({}); return el ? el.value : '';",
        json!(sel)
    ))
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

async fn escape() -> R {
    act("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));".into()).await
}

async fn next_to(step: &str) -> R {
    click("#btn-next").await?;
    opened(step).await
}

/// Pick an option that moves on by itself to `step`.
async fn choose_to(option: &str, step: &str) -> R {
    click(option).await?;
    opened(step).await
}

/// `step` is on screen, scrolled to the top, with the focus on its heading (never on 112).
async fn opened(step: &str) -> R {
    wait_for(&format!("#step-{step}")).await?;
    let start = Instant::now();
    loop {
        let at = js("return [document.activeElement ? document.activeElement.id : '', window.scrollY];".into()).await?;
        if at == json!(["step-title", 0]) {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(5) {
            return Err(format!("step {step} opened with focus and scroll {at}"));
        }
        pause(50).await;
    }
}

/// A screenshot of the window (at 0,0) into `MASKER19_TEST_SHOTS/<prefix>-<name>.png`.
async fn shot(name: &str) -> R {
    let Ok(dir) = std::env::var("MASKER19_TEST_SHOTS") else {
        return Ok(());
    };
    pause(300).await;
    let size = std::env::var("MASKER19_WINDOW_SIZE").unwrap_or_else(|_| "1024x768".into());
    let prefix = std::env::var("MASKER19_TEST_SHOT_PREFIX").unwrap_or_else(|_| "desktop".into());
    let path = std::path::Path::new(&dir).join(format!("{prefix}-{name}.png"));
    let status = std::process::Command::new("import")
        .args(["-window", "root", "-crop", &format!("{size}+0+0"), "+repage"])
        .arg(&path)
        .status()
        .map_err(|e| format!("import: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("import failed for {}", path.display()))
    }
}

/// The observation the `melding` scenario types (the window test finds it on the server).
fn observed(secret: &str) -> String {
    format!("Blauwe plek op de linker onderarm, zegt van de trap gevallen te zijn ({secret}-OBS)")
}

fn secret() -> String {
    std::env::var("MASKER19_TEST_SECRET").unwrap_or_else(|_| "E2E-ZEBRA".into())
}

async fn run(scenario: &str) -> R {
    pause(200).await;
    match scenario {
        "melding" => melding().await,
        "midway" => midway().await,
        "restored" => restored().await,
        "counted" => counted::counted().await,
        "practice" => practice::practice().await,
        "client" => client::client().await,
        "pin" => pin::pin().await,
        "quick" => quick::quick().await,
        "steady" => steady::steady().await,
        "unavailable" => unavailable().await,
        other => Err(format!("unknown scenario {other}")),
    }
}

async fn melding() -> R {
    let s = secret();
    wait_for("#btn-codeword").await?;
    fill("#pin-new", PIN).await?;
    fill("#pin-again", PIN).await?;
    click("#btn-pin-save").await?;
    wait_gone("#pin-setup").await?;
    shot("home").await?;
    click("#btn-codeword").await?;
    wait_for("#step-channel").await?;
    // A lone single choice moves on by itself.
    choose_to("#q-channel-balie", "acute").await?;
    // 112 asks "112 gebeld?" before it records anything.
    click("#btn-112").await?;
    wait_for("#btn-confirm-112").await?;
    if exists("#panel-112 .recorded").await? {
        return Err("112 recorded before the question was answered".into());
    }
    click("#btn-confirm-112").await?;
    wait_for("#panel-112 .recorded").await?;
    wait_for("#btn-undo-112").await?;
    shot("panel-112").await?;
    click("#btn-close-112").await?;
    choose_to("#q-acute_danger-no", "accompanied").await?;
    choose_to("#q-accompanied-no", "kindcheck").await?;
    click("#q-kindcheck_status-done").await?;
    fill("#q-children_count", "2").await?;
    fill("#q-children_ages-0", "4").await?;
    fill("#q-children_ages-1", "9").await?;
    click("#q-pregnant-unknown").await?;
    next_to("signals").await?;
    click("#q-signal_categories-physical").await?;
    type_keys("#q-observed", &observed(&s)).await?;
    fill("#q-said", &format!("\"Hij slaat mij\" ({s}-SAID)")).await?;
    fill("#q-interpretation", "Mogelijk huiselijk geweld").await?;
    shot("signals").await?;
    next_to("consultation").await?;
    click("#q-consulted-aandachtsfunctionaris").await?;
    fill("#q-advice", "Melden").await?;
    next_to("conversation").await?;
    choose_to("#q-consent-given", "suspicion").await?;
    // Quick hide with Escape, a wrong PIN, then the right one.
    escape().await?;
    wait_for("#neutral").await?;
    if text("body").await?.contains(&s) {
        return Err("the neutral screen shows case data".into());
    }
    shot("neutral").await?;
    fill("#unlock-pin", "0000").await?;
    click("#btn-unlock").await?;
    wait_for("#neutral .error").await?;
    // A new attempt starts in an empty field: digits typed now must not join the wrong PIN.
    if !value("#unlock-pin").await?.is_empty() {
        return Err("after a wrong PIN the field still holds it".into());
    }
    fill("#unlock-pin", PIN).await?;
    click("#btn-unlock").await?;
    wait_for("#step-suspicion").await?;
    // The codeword answered afweging question 1: shown, and confirmed with "Volgende".
    wait_for("#q-suspicion-yes[aria-checked=\"true\"]").await?;
    next_to("unsafe_situation").await?;
    choose_to("#q-unsafe_situation-no", "own_help").await?;
    choose_to("#q-own_help-yes", "help_accepted").await?;
    choose_to("#q-help_accepted-no", "outcome").await?;
    wait_for("#recommendation").await?;
    shot("outcome").await?;
    next_to("person").await?;
    type_keys("#q-person_name", &format!("{s} Persoon")).await?;
    // The Dutch way: 15 March 1988 (the server must store 1988-03-15).
    type_keys("#q-date_of_birth", "15-03-1988").await?;
    fill("#q-street", &format!("{s}straat")).await?;
    fill("#q-house_number", "19").await?;
    fill("#q-postcode", "1012 AB").await?;
    fill("#q-city", "Amsterdam").await?;
    fill("#q-gemeente", "GM0363").await?;
    next_to("safe_contact").await?;
    fill("#q-safe_phone", "0612345678").await?;
    fill("#q-safe_times", "werkdagen 10-12 uur").await?;
    click("#q-voicemail_ok-no").await?;
    click("#q-sms_ok-no").await?;
    click("#q-perpetrator_in_household-yes").await?;
    click("#q-never_at_home-yes").await?;
    click("#q-via_pharmacy-no").await?;
    next_to("reporter").await?;
    fill("#q-reporter_name", "A. de Apotheker").await?;
    click("#q-reporter_role-pharmacist").await?;
    fill("#q-reporter_phone", "0201234567").await?;
    click("#q-reachable_until-tomorrow_noon").await?;
    next_to("review").await?;
    let review = text("#review").await?;
    if !review.contains(&format!("{s} Persoon")) || !review.contains("0612345678") || !review.contains("15-03-1988") {
        return Err(format!("the review does not show what will be sent: {review}"));
    }
    shot("review").await?;
    click("#btn-submit").await?;
    wait_for("#submitted").await?;
    let start = Instant::now();
    while !text("#submitted-status").await?.contains("ontvangen door de server") {
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("not received: {}", text("#submitted").await?));
        }
        pause(100).await;
    }
    shot("submitted").await?;
    click("#nav-reports").await?;
    wait_for("#reports").await?;
    shot("reports").await?;
    Ok(())
}

/// The store did not open: the window is there with the numbers and the reason.
async fn unavailable() -> R {
    wait_for("#unavailable").await?;
    println!("UNAVAILABLE {}", text("body").await?.replace('\n', " "));
    Ok(())
}

async fn midway() -> R {
    let s = secret();
    wait_for("#btn-codeword").await?;
    shot("home").await?;
    click("#btn-codeword").await?;
    wait_for("#step-channel").await?;
    choose_to("#q-channel-telefoon", "acute").await?;
    choose_to("#q-acute_danger-no", "accompanied").await?;
    // "Ja, begeleid": the neutral screen at once; the case is behind the PIN.
    click("#q-accompanied-yes").await?;
    wait_for("#neutral").await?;
    fill("#unlock-pin", PIN).await?;
    click("#btn-unlock").await?;
    opened("kindcheck").await?;
    wait_for("#accompanied").await?;
    shot("accompanied").await?;
    click("#q-kindcheck_status-not_applicable").await?;
    next_to("signals").await?;
    fill("#q-observed", &format!("{s}-MIDWAY")).await?;
    next_to("consultation").await?;
    shot("consultation").await?;
    // The draft is saved on every change; now the test kills the app.
    println!("DRIVER midway");
    loop {
        pause(1000).await;
    }
}

async fn restored() -> R {
    let s = secret();
    wait_for("#neutral").await?;
    let body = text("body").await?;
    if body.contains(&s) || body.contains("Masker") || body.contains("Veilig Thuis") {
        return Err(format!("the neutral screen reveals the case: {body}"));
    }
    shot("neutral").await?;
    fill("#unlock-pin", "9999").await?;
    click("#btn-unlock").await?;
    wait_for("#neutral .error").await?;
    fill("#unlock-pin", PIN).await?;
    click("#btn-unlock").await?;
    wait_for("#step-consultation").await?;
    shot("restored").await?;
    click("#btn-back").await?;
    wait_for("#step-signals").await?;
    let observed = value("#q-observed").await?;
    if observed != format!("{s}-MIDWAY") {
        return Err(format!("the draft was not restored: observed = {observed:?}"));
    }
    Ok(())
}
