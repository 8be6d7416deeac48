//! The `steady` scenario, with real X keys and clicks: Enter on a choice reached with Tab
//! chooses it (as Space does), and Enter on a chosen choice confirms the step; "Ja, begeleid" puts up the neutral screen in that one tap; and the
//! 112 panel's buttons stay where they are when "Ongedaan maken" expires after 10 s. Prints
//! `STEADY enter=… confirmed=… accompanied=… moved=…` for the window test (`moved`: how far the panel's
//! buttons moved, in pixels).

use std::time::{Duration, Instant};

use serde_json::json;

use super::{PIN, R, click, exists, fill, js, opened, pause, wait_for, wait_gone};

async fn xdo(args: &[&str]) -> R {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let status = tokio::task::spawn_blocking(move || std::process::Command::new("xdotool").args(args).status())
        .await
        .map_err(|e| format!("xdotool: {e}"))?
        .map_err(|e| format!("xdotool: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("xdotool failed".into())
    }
}

/// One real click on the centre of `sel`.
async fn tap(sel: &str) -> R {
    wait_for(sel).await?;
    let v = js(format!(
        "const el = document.querySelector({}); el.scrollIntoView({{ block: 'center' }});
         const r = el.getBoundingClientRect(); return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];",
        json!(sel)
    ))
    .await?;
    let (Some(x), Some(y)) = (v[0].as_i64(), v[1].as_i64()) else {
        return Err(format!("no position for {sel}"));
    };
    pause(200).await;
    xdo(&["mousemove", &x.to_string(), &y.to_string(), "click", "1"]).await?;
    pause(200).await;
    Ok(())
}

/// The tops of the 112 panel's buttons.
async fn button_tops() -> R<Vec<f64>> {
    let v = js(
        "return [...document.querySelectorAll('#panel-112 .actions button')].map(b => b.getBoundingClientRect().top);"
            .into(),
    )
    .await?;
    Ok(v.as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default())
}

async fn became(sel: &str, within: Duration) -> R<bool> {
    let start = Instant::now();
    while start.elapsed() < within {
        if exists(sel).await? {
            return Ok(true);
        }
        pause(50).await;
    }
    Ok(false)
}

pub(super) async fn steady() -> R {
    wait_for("#btn-codeword").await?;
    fill("#pin-new", PIN).await?;
    fill("#pin-again", PIN).await?;
    click("#btn-pin-save").await?;
    wait_gone("#pin-setup").await?;
    tap("#btn-codeword").await?;
    opened("channel").await?;
    // The keyboard: Tab from the heading to the first choice, Enter.
    xdo(&["mousemove", "5", "200"]).await?;
    xdo(&["key", "Tab"]).await?;
    pause(300).await;
    let focused = js("return document.activeElement ? document.activeElement.id : '';".into()).await?;
    xdo(&["key", "Return"]).await?;
    let enter = became("#step-acute", Duration::from_secs(3)).await?;
    if !enter {
        click(&format!("#{}", focused.as_str().unwrap_or("q-channel-balie"))).await?;
    }
    opened("acute").await?;
    tap("#q-acute_danger-no").await?;
    opened("accompanied").await?;
    // One tap: "Ja, begeleid".
    tap("#q-accompanied-yes").await?;
    let accompanied = became("#neutral", Duration::from_secs(3)).await?;
    if !accompanied {
        click("#btn-hide-until-left").await?;
    }
    wait_for("#neutral").await?;
    fill("#unlock-pin", PIN).await?;
    click("#btn-unlock").await?;
    wait_for("#step-kindcheck").await?;
    // A choice tapped (the focus stays on it), then Enter: the step is confirmed.
    tap("#q-kindcheck_status-not_applicable").await?;
    xdo(&["key", "Return"]).await?;
    let confirmed = became("#step-signals", Duration::from_secs(3)).await?;
    if !confirmed {
        click("#btn-next").await?;
    }
    opened("signals").await?;

    // 112 answered: the buttons before and after the undo expires.
    tap("#btn-112").await?;
    tap("#btn-confirm-112").await?;
    wait_for("#btn-undo-112").await?;
    pause(300).await;
    let before = button_tops().await?;
    let start = Instant::now();
    while exists("#btn-undo-112").await? {
        if start.elapsed() > Duration::from_secs(20) {
            return Err("the undo never expired".into());
        }
        pause(200).await;
    }
    pause(300).await;
    let after = button_tops().await?;
    let moved = if before.len() == after.len() && !before.is_empty() {
        before
            .iter()
            .zip(&after)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    } else {
        f64::INFINITY
    };
    println!(
        "STEADY enter={enter} confirmed={confirmed} accompanied={accompanied} moved={moved} focused={focused} before={before:?} after={after:?}"
    );
    Ok(())
}
