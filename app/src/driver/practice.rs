//! The `practice` scenario: the oefenmodus in the real window. From the home screen "Wat doe
//! ik nu?" (one tap) and "Oefenen"; "Het vermoeden bevestigt zich niet" through the real steps
//! with the banner checked on each, 112 tapped where it is not needed (the panel must offer no
//! number to dial), Verbergen and the PIN, then the feedback (which must name the needless 112),
//! the history, and the list with the report marked "Oefening" once the server recorded it:
//! `PRACTICE sent=recorded` for the window test. Screenshots: `practice-picker`,
//! `practice-step`, `practice-feedback`.

use std::time::{Duration, Instant};

use super::{PIN, R, choose_to, click, escape, exists, fill, next_to, opened, pause, shot, text, wait_for, wait_gone};

/// The banner must be on screen now.
async fn banner(on: &str) -> R {
    if exists("#practice-banner").await? {
        Ok(())
    } else {
        Err(format!("no OEFENING banner on {on}"))
    }
}

async fn step(option: &str, to: &str) -> R {
    choose_to(option, to).await?;
    banner(to).await
}

pub async fn practice() -> R {
    wait_for("#btn-codeword").await?;
    if exists("#pin-new").await? {
        fill("#pin-new", PIN).await?;
        fill("#pin-again", PIN).await?;
        click("#btn-pin-save").await?;
        wait_gone("#pin-setup").await?;
    }
    // "Wat doe ik nu?": one tap from home.
    click("#btn-first-seconds").await?;
    wait_for("#first-seconds").await?;
    if !text("#first-seconds").await?.contains("niet hardop") {
        return Err("the first-30-seconds card lacks its lines".into());
    }
    click("#btn-home").await?;
    wait_for("#btn-practise").await?;
    click("#btn-practise").await?;
    wait_for("#practise-not_confirmed").await?;
    shot("practice-picker").await?;
    click("#practise-not_confirmed").await?;
    opened("channel").await?;
    banner("channel").await?;
    step("#q-channel-balie", "acute").await?;
    shot("practice-step").await?;
    // 112 in practice: the same panel and question, no number to dial.
    click("#btn-112").await?;
    wait_for("#practice-would").await?;
    if exists("a[href^=\"tel:\"]").await? {
        return Err("the practice 112 panel offers a number to dial".into());
    }
    banner("the 112 panel").await?;
    click("#btn-close-112").await?;
    wait_gone("#panel-112").await?;
    step("#q-acute_danger-no", "accompanied").await?;
    step("#q-accompanied-no", "kindcheck").await?;
    // Verbergen and the PIN, as in a real case.
    escape().await?;
    wait_for("#neutral").await?;
    banner("the neutral screen").await?;
    fill("#unlock-pin", PIN).await?;
    click("#btn-unlock").await?;
    wait_for("#step-kindcheck").await?;
    click("#q-kindcheck_status-not_applicable").await?;
    next_to("signals").await?;
    banner("signals").await?;
    // The codeword is a signal from the start.
    wait_for("#q-signal_categories-codeword[aria-checked=\"true\"]").await?;
    next_to("consultation").await?;
    next_to("conversation").await?;
    step("#q-consent-given", "suspicion").await?;
    step("#q-suspicion-no", "outcome").await?;
    next_to("review").await?;
    banner("the review").await?;
    click("#btn-submit").await?;
    wait_for("#practice-feedback").await?;
    banner("the feedback").await?;
    let differed = text("#feedback-differed").await?;
    if !differed.contains("112") {
        return Err(format!("the feedback does not name the needless 112: {differed}"));
    }
    shot("practice-feedback").await?;
    click("#btn-practise-again").await?;
    wait_for("#practice-history tbody tr").await?;
    click("#nav-reports").await?;
    let start = Instant::now();
    while !exists("tr.status-recorded .practice-mark").await? {
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("the practice was not recorded: {}", text("#reports").await?));
        }
        pause(200).await;
    }
    println!("PRACTICE sent=recorded");
    Ok(())
}
