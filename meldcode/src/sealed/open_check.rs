//! The check whoever opens a sealed report makes: the inner report must say what its envelope
//! said. The server counted, routed and ordered the report by the envelope alone; a report whose
//! content disagrees is shown as such, never trusted silently.

use crate::report::Report;

use super::{Envelope, children_of};

/// One field on which the envelope and the inner report disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The envelope's field, e.g. `created_at`.
    pub field: &'static str,
    pub envelope: String,
    pub inner: String,
}

impl Mismatch {
    /// In Dutch, for the person reading the report.
    pub fn dutch(&self) -> String {
        format!(
            "De envelop zegt bij '{}' iets anders dan de melding zelf: envelop {}, melding {}.",
            self.field, self.envelope, self.inner
        )
    }
}

/// Every field on which `inner` disagrees with `envelope`: id, kind, channel, created_at,
/// practice, accompanied, acute_112_at, the number of children and the routed region. The
/// region is routed from the inner gemeente (in the table of the report's year) or, without
/// one, from `pharmacy_gemeente` when the opener knows it.
pub fn mismatches(envelope: &Envelope, inner: &Report, pharmacy_gemeente: Option<&str>) -> Vec<Mismatch> {
    let mut found = Vec::new();
    let mut compare = |field: &'static str, e: String, i: String| {
        if e != i {
            found.push(Mismatch {
                field,
                envelope: e,
                inner: i,
            });
        }
    };
    compare("id", envelope.id.to_string(), inner.id.to_string());
    compare("kind", envelope.kind.code().into(), inner.kind.code().into());
    compare("channel", envelope.channel.code().into(), inner.channel.code().into());
    compare(
        "created_at",
        envelope.created_at.to_rfc3339(),
        inner.created_at.to_rfc3339(),
    );
    compare("practice", envelope.practice.to_string(), inner.practice.to_string());
    compare(
        "accompanied",
        envelope.accompanied.to_string(),
        inner.accompanied.to_string(),
    );
    let at = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or_else(|| "-".to_owned(), |t| t.to_rfc3339());
    compare("acute_112_at", at(envelope.acute_112_at), at(inner.acute_112_at));
    compare(
        "children",
        envelope.children.to_string(),
        children_of(inner).to_string(),
    );
    let year = crate::amsterdam_year(inner.created_at);
    let routed = match (inner.gemeente.as_deref(), pharmacy_gemeente) {
        (None, None) => None,
        (person, pharmacy) => Some(
            crate::regions::route(person, pharmacy.unwrap_or(""), year)
                .map_or_else(|| "-".to_owned(), |r| r.code.clone()),
        ),
    };
    if let Some(routed) = routed {
        compare("vt_region", envelope.vt_region.clone(), routed);
    }
    found
}
