//! Oefenmodus: a pharmacy team rehearses the codeword procedure with the real flow, so that the
//! first real case is not the first time. Pure, like the rest of `meldcode`.
//!
//! - [`SCENARIOS`]: eight situations as the pharmacist meets them (texts in Dutch and English,
//!   [`ScenarioId::situation`]), each with what the meldcode expects ([`Expectations`]) and
//!   fictional data to suggest ([`Fictional`]).
//! - [`feedback`]: from a scenario's expectations and a run (the report the flow produced, plus
//!   the [`RunEvents`] only the app sees: neutral screen, 112, time) to what was right and what
//!   differed and why.
//! - [`rehearse`]: drives the real [`crate::Flow`] with a set of [`Choices`] (the scenario's
//!   model choices, [`Scenario::model`], or altered ones): the model run, and the tests' run.
//!
//! A practice report is a report like any other (`"practice": true`, [`crate::Report::practice`]),
//! validated by the same rules; only the server treats it differently (a count of training uptake,
//! never forwarded).

mod feedback;
mod rehearse;
mod scenarios;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::flow::Step;

pub use feedback::{Differed, Feedback, Right, What, Why, feedback};
pub use rehearse::{Choices, rehearse};
pub use scenarios::{Expectations, Fictional, SCENARIOS, Scenario, ScenarioId};

/// What happened during a practice run that the report does not carry: the app records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEvents {
    /// The step on screen when "Verbergen" (the neutral screen) was first used; `None`: never.
    pub neutral_screen_at: Option<Step>,
    /// The step on screen when 112 was first tapped; `None`: never (the report's `acute_112_at`
    /// says when).
    pub called_112_at: Option<Step>,
    /// When the run ended (the report was "sent"); the time taken is from the report's
    /// `created_at` to this.
    pub finished_at: DateTime<Utc>,
}
