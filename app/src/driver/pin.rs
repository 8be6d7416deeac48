//! The `pin` scenario: the PIN rules in the real window, for a device enrolled without a PIN.
//! "Masker 19" asks for a PIN first and starts no case; once a PIN is set, five wrong PINs at the
//! neutral screen make the next try wait (`#pin-wait`), the right PIN does not open the screen
//! while the wait runs, and the unlock after it says how many wrong PINs there were
//! (`#unlock-notice`). Prints `PIN wait=… notice=…` for the window test. Screenshots:
//! `pin-required`, `pin-wait`, `pin-notice`.

use std::time::{Duration, Instant};

use super::{PIN, R, click, escape, exists, fill, pause, shot, text, value, wait_for, wait_gone};

/// One try at the neutral screen, answered: the field is made anew for every attempt.
async fn attempt(pin: &str) -> R {
    fill("#unlock-pin", pin).await?;
    click("#btn-unlock").await?;
    let start = Instant::now();
    while exists("#neutral").await? && value("#unlock-pin").await? == pin {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("the attempt with {pin} was not answered"));
        }
        pause(50).await;
    }
    Ok(())
}

pub async fn pin() -> R {
    wait_for("#btn-codeword").await?;
    if !exists("#pin-setup").await? {
        return Err("enrolled without a PIN, yet no PIN form on the home screen".into());
    }
    // No PIN, no case: "Masker 19" leads to the PIN form.
    click("#btn-codeword").await?;
    wait_for("#pin-required").await?;
    pause(300).await;
    if exists("#step-title").await? || exists("[id^='step-']").await? {
        return Err("a case started without a PIN".into());
    }
    shot("pin-required").await?;

    fill("#pin-new", PIN).await?;
    fill("#pin-again", PIN).await?;
    click("#btn-pin-save").await?;
    wait_gone("#pin-setup").await?;
    click("#btn-codeword").await?;
    wait_for("#step-channel").await?;

    // Five wrong PINs: four typing mistakes are free, the fifth makes the next try wait.
    escape().await?;
    wait_for("#neutral").await?;
    for i in 1..=5 {
        if exists("#pin-wait").await? {
            return Err(format!("a wait before the fifth wrong PIN (attempt {i})"));
        }
        attempt("0000").await?;
    }
    wait_for("#pin-wait").await?;
    let wait = text("#pin-wait").await?;
    shot("pin-wait").await?;
    // The right PIN during the wait does not open the screen.
    attempt(PIN).await?;
    pause(300).await;
    if !exists("#neutral").await? {
        return Err("the right PIN opened the screen during the wait".into());
    }
    // After the wait (30 s) it does, and the pharmacist is told about the wrong PINs.
    let start = Instant::now();
    while exists("#neutral").await? {
        if start.elapsed() > Duration::from_secs(60) {
            return Err(format!("the screen did not open after the wait: {wait}"));
        }
        pause(2000).await;
        attempt(PIN).await?;
    }
    wait_for("#unlock-notice").await?;
    let notice = text("#unlock-notice").await?;
    shot("pin-notice").await?;
    println!("PIN wait={wait:?} notice={notice:?}");
    Ok(())
}
