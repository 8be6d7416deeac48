//! The Masker 19 domain, shared by the pharmacy app and the server so that no rule is written
//! twice. Pure: no IO, no async, no clock of its own (callers pass `now`).
//!
//! - [`report`]: report v1, the wire format; [`parse`] and [`validate`]: its rules.
//! - [`afweging`]: the afwegingskader. [`flow`]: the codeword procedure as a step table.
//! - [`status`]: the server's statuses. [`regions`]: gemeente → Veilig Thuis region by year.
//! - [`staff`]: the pharmacy team on a device (the reporter in one tap).
//! - [`texts`]: every question, option and label in Dutch and English.
//! - [`practice`]: the oefenmodus's scenarios and the feedback on a practice run.
//! - [`intake`]: what the Veilig Thuis intake pages say, and the report in intake's order.
//! - [`counter`]: the counter's rules: a case's first answers, steps that move on by
//!   themselves, the gemeente suggested, the interaction targets.
//! - [`dates`]: dates and times the Dutch way (dd-mm-jjjj, uu:mm), "bereikbaar tot" choices.
//! - [`endpoint`]: where reports and webhooks may go (https, or http on loopback only).

pub mod afweging;
pub mod api;
pub mod client_screen;
pub mod client_words;
pub mod counter;
pub mod dates;
pub mod delivery;
pub mod describe;
pub mod endpoint;
pub mod error;
pub mod examples;
pub mod flow;
pub mod intake;
pub mod parse;
pub mod practice;
pub mod progress;
pub mod regions;
pub mod report;
pub mod sealed;
pub mod staff;
pub mod status;
pub mod texts;
pub mod validate;

pub use error::{FieldError, Rejection, Rule};
pub use flow::Flow;
pub use parse::{parse_object, parse_report, parse_structure};
pub use report::*;
pub use status::Status;
pub use texts::{Label, Lang};

use chrono::{DateTime, Datelike, Utc};

/// Dutch time, in which periods and years are decided and times are shown.
pub const TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// The calendar year in Europe/Amsterdam of an instant.
pub fn amsterdam_year(at: DateTime<Utc>) -> i32 {
    at.with_timezone(&TIME_ZONE).year()
}
