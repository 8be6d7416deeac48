//! The intake page's actions: take into intake, hand over (region chosen, a reason, a
//! confirmation step, then a message in the inbox), close (with the reason on the page). The
//! rules are `meldcode`'s ([`check_transfer`], and the store's check of a close); a broken one
//! is shown in Dutch at its field, which gets the focus.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use meldcode::intake::{ActionField, ActionProblem, AuditAction, check_transfer, kenmerk};
use meldcode::{Label, Rule};
use serde::Deserialize;

use super::intake::try_act;
use super::intake_pages::{LANG, intake_session, region_name};
use super::intake_report::{ActionDraft, load, page};
use super::pages::{Who, error_page, html, message};
use super::param_pages::PagePath;
use super::{ApiError, AppState};
use crate::store::intake::{Action, Refusal};

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    vt_region: String,
    #[serde(default)]
    reason: String,
    /// `ja` once the transfer is confirmed.
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "transfer_confirm.html")]
struct ConfirmPage {
    who: Option<Who>,
    id: String,
    kenmerk: String,
    csrf: String,
    vt_region: String,
    region_name: String,
    reason: String,
}

/// The draft of the form `action` (`transfer` or `close`) as filled in, with the messages of
/// `problems` at their fields, in Dutch, and the focus on the first of them.
fn draft_with(action: &str, form: &ActionForm, problems: &[ActionProblem]) -> ActionDraft {
    let mut draft = ActionDraft {
        vt_region: form.vt_region.trim().to_owned(),
        ..ActionDraft::default()
    };
    if action == "close" {
        draft.close_reason = form.reason.clone();
    } else {
        draft.transfer_reason = form.reason.clone();
    }
    for p in problems {
        let (slot, id) = match (action, p.field()) {
            ("close", _) => (&mut draft.errors.close_reason, "close_reason"),
            (_, ActionField::Region) => (&mut draft.errors.vt_region, "vt_region"),
            (_, ActionField::Reason) => (&mut draft.errors.transfer_reason, "transfer_reason"),
        };
        slot.get_or_insert_with(|| p.message(LANG));
        if draft.focus.is_empty() {
            draft.focus = id;
        }
    }
    draft
}

/// The report page again (`422`), with `error` above the forms (a problem of the whole action)
/// or the messages at the fields in `draft`.
async fn again(s: &AppState, headers: &HeaderMap, id: &str, error: Option<&str>, draft: ActionDraft) -> Response {
    match load(s, headers, id, AuditAction::View).await {
        Ok((found, who)) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(found, who, None, error.map(str::to_owned), draft, false),
        ),
        Err(r) => r,
    }
}

pub async fn action(
    State(s): State<AppState>,
    headers: HeaderMap,
    PagePath((id, action)): PagePath<(String, String)>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let (session, region) = match intake_session(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let who = Who::from(&session);
    let Ok(Form(form)) = form else {
        return error_page(ApiError::BadRequest("Het formulier was onvolledig.".into()), Some(who));
    };
    if !crate::auth::same_secret(&session.csrf, &form.csrf) {
        return message(
            StatusCode::FORBIDDEN,
            Some(who),
            "Formulier verlopen",
            "Laad de pagina opnieuw en probeer het nog eens.",
        );
    }
    let Ok(report_id) = uuid::Uuid::parse_str(&id).map(|u| u.to_string()) else {
        return error_page(ApiError::NotFound, Some(who));
    };
    let to = form.vt_region.trim().to_owned();
    let action = match action.as_str() {
        "acknowledge" => Action::Acknowledge,
        "transfer" => {
            let problems = check_transfer(&region, &to, Some(&form.reason));
            if !problems.is_empty() {
                return again(&s, &headers, &report_id, None, draft_with("transfer", &form, &problems)).await;
            }
            if form.confirm != "ja" {
                return html(
                    StatusCode::OK,
                    &ConfirmPage {
                        who: Some(who),
                        kenmerk: kenmerk(&report_id),
                        id: report_id,
                        csrf: session.csrf.clone(),
                        region_name: region_name(&to),
                        vt_region: to,
                        reason: form.reason.trim().to_owned(),
                    },
                );
            }
            // A page cannot seal: a sealed report is handed over through the API, re-sealed.
            Action::Transfer {
                to: to.clone(),
                reason: Some(form.reason.clone()),
                sealed: None,
            }
        }
        "close" => Action::Close {
            reason: Some(form.reason.clone()),
        },
        _ => return error_page(ApiError::NotFound, Some(who)),
    };
    let code = action.code();
    let done = try_act(&s, report_id.clone(), region, session.user.name.clone(), action).await;
    match done {
        // After a transfer this region keeps only the stub: back to the inbox, with a message.
        Ok(Ok(_)) if code == "transfer" => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("done", "transfer")
                .append_pair("kenmerk", &kenmerk(&report_id))
                .append_pair("to", &to)
                .finish();
            Redirect::to(&format!("/intake?{query}")).into_response()
        }
        Ok(Ok(_)) => Redirect::to(&format!("/intake/reports/{report_id}?done={code}")).into_response(),
        Ok(Err(Refusal::Invalid(problems))) => {
            again(&s, &headers, &report_id, None, draft_with(code, &form, &problems)).await
        }
        Ok(Err(Refusal::Purged)) => {
            let text = Rule::PersonalDataPurged.label(LANG);
            again(&s, &headers, &report_id, Some(text), ActionDraft::default()).await
        }
        // A page cannot re-seal (the browser side is still to come): said in Dutch.
        Ok(Err(Refusal::ResealRequired | Refusal::NotSealed | Refusal::Sealed(_))) => {
            let text = Rule::ResealRequired.label(LANG);
            again(&s, &headers, &report_id, Some(text), ActionDraft::default()).await
        }
        Ok(Err(Refusal::NotAllowed(..))) => {
            let text = "Dat kan niet meer: de status van deze melding is intussen veranderd.";
            again(&s, &headers, &report_id, Some(text), ActionDraft::default()).await
        }
        Ok(Err(Refusal::NotFound)) => error_page(ApiError::NotFound, Some(who)),
        Err(e) => error_page(e, Some(who)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_shown_at_its_own_field_and_the_first_gets_the_focus() {
        let form = ActionForm {
            csrf: String::new(),
            vt_region: String::new(),
            reason: " ".into(),
            confirm: String::new(),
        };
        let draft = draft_with("transfer", &form, &check_transfer("VT01", "", Some(" ")));
        assert_eq!(draft.focus, "vt_region");
        assert!(draft.errors.vt_region.as_deref().is_some_and(|m| m.starts_with("Kies")));
        assert!(
            draft
                .errors
                .transfer_reason
                .as_deref()
                .is_some_and(|m| m.starts_with("Geef een reden"))
        );
        let close = meldcode::intake::check_close(meldcode::Status::Received, Some(" "));
        let draft = draft_with("close", &form, &close);
        assert_eq!(draft.focus, "close_reason");
        assert!(draft.errors.vt_region.is_none() && draft.errors.close_reason.is_some());
    }
}
