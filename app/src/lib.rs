//! Masker 19, the pharmacy app: the codeword procedure of `meldcode` on screen, an encrypted
//! local outbox that survives crashes, and the sync with the server.
//!
//! - [`platform`]: data directory and key storage shims (the only `cfg(target_os)` code).
//! - [`store`]: the encrypted local database (settings, draft, outbox).
//! - [`sync`]: the HTTP client, the retry schedule, status polling and the wipe.
//! - [`config`]: the server address rule and settings from the environment.
//! - [`state`], [`answers`], [`pin`]: the app's pure logic (no IO).
//! - [`texts`]: the app's own texts; everything else comes from `meldcode::texts`.
//! - [`views`]: thin Dioxus components; [`app`]: the runtime that launches them.
//! - `windows` (Windows only): the GUI program's command line answers on the parent's console.

pub mod answers;
pub mod app;
pub mod cli;
pub mod config;
#[cfg(any(debug_assertions, feature = "bench-driver"))]
pub mod driver;
pub mod pin;
pub mod pin_lock;
pub mod platform;
pub mod seal;
pub mod staff;
pub mod state;
pub mod store;
pub mod sync;
pub mod texts;
pub mod views;
#[cfg(windows)]
pub mod windows;
