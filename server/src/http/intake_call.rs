//! "Veilig bellen" on the report page: which route is safe now — the client's safe number
//! inside the safe times (Europe/Amsterdam), else the pharmacy or waiting — and, outside those
//! times, no one-tap number: a deliberate "Toch bellen" step first shows it with a warning.
//! Without JavaScript: the step is a link to the same page with `?bellen=toch`. Phone numbers
//! become `tel:` links here.

use chrono::{DateTime, Utc};
use meldcode::intake::SafeRoute;
use meldcode::texts::Lang;

use crate::store::intake::IntakeReport;

/// A phone number as written, and its `tel:` address.
pub struct Phone {
    pub text: String,
    pub href: String,
}

/// `tel:+31201234567` from "020-123 45 67" (digits and a leading `+` only); `None` when there
/// is no number in it.
pub fn phone(text: &str) -> Option<Phone> {
    let text = text.trim();
    let mut href: String = text.chars().filter(char::is_ascii_digit).collect();
    if href.len() < 3 {
        return None;
    }
    if text.starts_with('+') {
        href.insert(0, '+');
    }
    Some(Phone {
        text: text.to_owned(),
        href: format!("tel:{href}"),
    })
}

/// The query value of the deliberate step.
pub const DIAL_ANYWAY: &str = "toch";

/// What the "Veilig bellen" block says about calling now.
pub struct RouteView {
    /// `ok` (call now) or `warn`: the block's look.
    pub tone: &'static str,
    pub advice: &'static str,
    /// "Nu: 07-12-2026 20:12".
    pub now: String,
    /// The pharmacy's number, where it is the route now (or the only one).
    pub pharmacy: Option<Phone>,
    /// The client's number may be dialled with one tap.
    pub may_dial: bool,
    /// The link of the deliberate step, while the number is held back, and its text.
    pub dial_anyway_href: Option<String>,
    pub dial_anyway_label: &'static str,
    /// The worker took that step: the number is shown with [`RouteView::warning`].
    pub dialing_anyway: bool,
    pub warning: &'static str,
}

/// The route of `found` at `now`; `None` for a report without a safe contact (an adviesvraag,
/// a purged report). `anyway`: the worker took the deliberate step.
pub fn route(found: &IntakeReport, now: DateTime<Utc>, anyway: bool, lang: Lang) -> Option<RouteView> {
    let safe = found.report.as_ref()?.safe_contact.as_ref()?;
    let route = SafeRoute::of(safe, now);
    let pharmacy_route = safe.via_pharmacy && !route.may_dial() || route == SafeRoute::PharmacyOnly;
    let held_back = !route.may_dial() && route != SafeRoute::PharmacyOnly;
    Some(RouteView {
        tone: if route.may_dial() { "ok" } else { "warn" },
        advice: route.advice(safe.via_pharmacy, lang),
        now: format!("{}: {}", lang.pick("Nu", "Now"), meldcode::describe::local_time(now)),
        pharmacy: found
            .pharmacy
            .as_ref()
            .filter(|_| pharmacy_route)
            .and_then(|p| p.phone.as_deref())
            .and_then(phone),
        may_dial: route.may_dial() || (held_back && anyway),
        dial_anyway_href: (held_back && !anyway).then(|| format!("/intake/reports/{}?bellen={DIAL_ANYWAY}#veilig-bellen", found.id)),
        dialing_anyway: held_back && anyway,
        dial_anyway_label: match route {
            SafeRoute::Unreadable => lang.pick(
                "Toch bellen: ik heb de veilige tijden gecontroleerd…",
                "Call anyway: I checked the safe times…",
            ),
            _ => lang.pick("Toch bellen buiten de veilige tijden…", "Call outside the safe times anyway…"),
        },
        warning: match route {
            SafeRoute::Unreadable => lang.pick(
                "Let op: bel alleen binnen de veilige tijden. Neemt een ander op, noem dan Veilig Thuis niet en spreek geen voicemail in.",
                "Mind: call only within the safe times. If someone else answers, do not mention Veilig Thuis and leave no voicemail.",
            ),
            _ => lang.pick(
                "Let op: u belt buiten de veilige tijden. Neemt een ander op, noem dan Veilig Thuis niet en spreek geen voicemail in.",
                "Mind: you are calling outside the safe times. If someone else answers, do not mention Veilig Thuis and leave no voicemail.",
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_links() {
        let p = phone("06-12345678").expect("a number");
        assert_eq!(p.href, "tel:0612345678");
        assert_eq!(
            phone("+31 20 123 4567").map(|p| p.href).as_deref(),
            Some("tel:+31201234567")
        );
        assert!(phone("—").is_none());
    }
}
