//! The intake page's actions: take into intake, hand over (region chosen, a reason, a
//! confirmation step, then a message in the inbox), close (with the reason on the page).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use meldcode::intake::{AuditAction, kenmerk};
use meldcode::{Label, Lang, Rule};
use serde::Deserialize;

use super::intake::act;
use super::intake_pages::{intake_session, region_name};
use super::intake_report::{TransferDraft, load, page};
use super::pages::{Who, error_page, html, message};
use super::param_pages::PagePath;
use super::{ApiError, AppState};
use crate::store::intake::Action;

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

/// What is wrong with a transfer form, in Dutch; `None`: it can be confirmed.
fn transfer_problem(own: &str, to: &str, reason: &str) -> Option<&'static str> {
    if meldcode::regions::latest().region(to).is_none() || to == own {
        Some("Kies de Veilig Thuis-regio waaraan u de melding overdraagt.")
    } else if reason.trim().is_empty() {
        Some("Geef een reden voor de overdracht: de nieuwe regio en uw eigen regio zien die.")
    } else if reason.chars().count() > meldcode::validate::MAX_TEXT_CHARS {
        Some("De reden is te lang (ten hoogste 4000 tekens).")
    } else {
        None
    }
}

/// The report page again, with `error` and the transfer form as it was filled in.
async fn again(s: &AppState, headers: &HeaderMap, id: &str, error: &str, draft: TransferDraft) -> Response {
    match load(s, headers, id, AuditAction::View).await {
        Ok((found, who)) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(found, who, None, Some(error.to_owned()), draft),
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
            let draft = || TransferDraft {
                vt_region: to.clone(),
                reason: form.reason.clone(),
            };
            if let Some(problem) = transfer_problem(&region, &to, &form.reason) {
                return again(&s, &headers, &report_id, problem, draft()).await;
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
                reason: Some(form.reason),
                sealed: None,
            }
        }
        "close" => Action::Close {
            reason: Some(form.reason),
        },
        _ => return error_page(ApiError::NotFound, Some(who)),
    };
    let code = action.code();
    match act(&s, report_id.clone(), region, session.user.name.clone(), action).await {
        // After a transfer this region keeps only the stub: back to the inbox, with a message.
        Ok(_) if code == "transfer" => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("done", "transfer")
                .append_pair("kenmerk", &kenmerk(&report_id))
                .append_pair("to", &to)
                .finish();
            Redirect::to(&format!("/intake?{query}")).into_response()
        }
        Ok(_) => Redirect::to(&format!("/intake/reports/{report_id}?done={code}")).into_response(),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            // In Dutch, for the intake worker; the API keeps its English sentences.
            let text = match &e {
                ApiError::Invalid(fields) if fields.iter().any(|f| f.rule == Rule::PersonalDataPurged) => {
                    Rule::PersonalDataPurged.label(Lang::Nl)
                }
                ApiError::Invalid(fields) if fields.iter().any(|f| f.rule == Rule::ResealRequired) => {
                    Rule::ResealRequired.label(Lang::Nl)
                }
                ApiError::Invalid(fields) if fields.iter().any(|f| f.path == "/reason") && code == "close" => {
                    "Geef een reden: u sluit af zonder de melding eerst in behandeling te nemen."
                }
                ApiError::Invalid(fields) if fields.iter().any(|f| f.path == "/vt_region") => {
                    "Kies een andere Veilig Thuis-regio om aan over te dragen."
                }
                ApiError::Invalid(_) => "Dit formulier is niet volledig of te lang.",
                _ => "Dat kan niet meer: de status van deze melding is intussen veranderd.",
            };
            again(&s, &headers, &report_id, text, TransferDraft::default()).await
        }
        Err(e) => error_page(e, Some(who)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_needs_another_region_and_a_reason() {
        assert!(transfer_problem("VT01", "", "reden").is_some());
        assert!(transfer_problem("VT01", "VT01", "reden").is_some());
        assert!(transfer_problem("VT01", "VT20", "  ").is_some());
        assert!(transfer_problem("VT01", "VT20", "Woont in Utrecht").is_none());
    }
}
