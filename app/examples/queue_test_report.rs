//! Test helper, never packaged: writes one example melding into this device's outbox through
//! the app's own code (the data directory and key lookup of the program, and
//! [`masker19::app::enqueue`], which finishing a case in the window calls), and prints
//! `queued=<id>`. The Windows smoke test runs it under Wine, where the window itself cannot run,
//! then sends the report with `masker19 --sync`.

use anyhow::Context;
use chrono::Utc;
use masker19::state::Action;

fn main() -> anyhow::Result<()> {
    let dir = masker19::platform::data_dir()?;
    let store = masker19::store::Store::open_dir(&dir, masker19::platform::keyring_enabled())
        .with_context(|| format!("opening the local store in {}", dir.display()))?;
    let now = Utc::now();
    let report = meldcode::examples::example(meldcode::Kind::Melding, uuid::Uuid::new_v4(), now);
    match masker19::app::enqueue(&store, &report, now) {
        Action::Enqueued(id) => {
            println!("queued={id}");
            Ok(())
        }
        other => anyhow::bail!("not queued: {other:?}"),
    }
}
