//! The intake inbox page (Dutch, plain HTML, no JavaScript): what is urgent first, filters by
//! state with their counts, search, paging; the report page and its actions are in
//! [`super::intake_report`].

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use meldcode::describe::local_time;
use meldcode::intake::{Filter, SafeRoute, Text, is_waiting, status_label};
use meldcode::texts::{Label, Lang};

use super::intake::inbox_query;
use super::nowrap::filters;
use super::pages::{Who, error_page, html};
use super::params::query_pairs;
use super::users::{from_cookie, intake_region};
use super::{ApiError, AppState};
use crate::store::directory::Session;
use crate::store::inbox::{self, InboxQuery};

pub const LANG: Lang = Lang::Nl;

/// The session of a page request, or the response to give instead (to login, or 403).
pub async fn intake_session(s: &AppState, headers: &HeaderMap) -> Result<(Session, String), Response> {
    match from_cookie(s, headers).await {
        Ok(Some((_, session))) => match intake_region(&session) {
            Ok(region) => Ok((session, region)),
            Err(e) => Err(error_page(e, Some(Who::from(&session)))),
        },
        Ok(None) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(error_page(e, None)),
    }
}

/// "Amsterdam (GM0363)", or the code when the table does not know it.
pub fn gemeente_name(code: &str) -> String {
    meldcode::regions::latest()
        .gemeente(code)
        .map_or_else(|| code.to_owned(), |g| format!("{} ({code})", g.name))
}

/// "VT20 Utrecht".
pub fn region_name(code: &str) -> String {
    meldcode::regions::latest()
        .region(code)
        .map_or_else(|| code.to_owned(), |r| format!("{code} {}", r.name))
}

/// "35 min", "3 uur", "2 dagen": how long a report has waited.
fn waited(minutes: i64) -> String {
    match minutes {
        ..60 => format!("{} min", minutes.max(0)),
        60..2880 => format!("{} uur", minutes / 60),
        _ => format!("{} dagen", minutes / 1440),
    }
}

struct InboxRow {
    id: String,
    kenmerk: String,
    received: String,
    /// When the pharmacy made it ("—" once purged).
    created: String,
    /// Since the pharmacy made it, while open.
    waiting: String,
    /// "overgedragen door VT01: reden".
    transferred: Option<String>,
    kind: &'static str,
    pharmacy: String,
    gemeente: String,
    children: String,
    acute_112: bool,
    acute_label: &'static str,
    accompanied: &'static str,
    accompanied_yes: bool,
    safe_times: String,
    /// "nu buiten de veilige tijden", where the times can be read.
    safe_now: Option<&'static str>,
    status: &'static str,
    status_code: &'static str,
}

struct StubRow {
    kenmerk: String,
    text: String,
    by: String,
}

struct FilterLink {
    href: String,
    label: &'static str,
    count: u64,
    current: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    who: Option<Who>,
    region: String,
    region_name: String,
    notice: Option<String>,
    /// The filters of what the region holds (they add up to "Alles").
    filters: Vec<FilterLink>,
    /// What the region handed over: not in "Alles".
    handed_over: FilterLink,
    filter_label: &'static str,
    filter_code: &'static str,
    caption: &'static str,
    q: String,
    open_count: u64,
    items: Vec<InboxRow>,
    stubs: Vec<StubRow>,
    stub_view: bool,
    page: u32,
    pages: u64,
    total: u64,
    next_href: Option<String>,
    previous_href: Option<String>,
}

/// `/intake?status=…&q=…&page=…`, leaving out the defaults.
fn inbox_href(filter: Filter, q: &str, page: u32) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if filter != Filter::Open {
        query.append_pair("status", filter.code());
    }
    if !q.is_empty() {
        query.append_pair("q", q);
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        "/intake".to_owned()
    } else {
        format!("/intake?{query}")
    }
}

/// After a transfer: "Melding 7F1C0A7E is overgedragen aan VT20 Utrecht." (`done=transfer`,
/// `kenmerk`, `to` in the query).
fn transfer_notice(uri: &Uri) -> Option<String> {
    let pairs = query_pairs(uri.query());
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("done") != Some("transfer") {
        return None;
    }
    let kenmerk: String = get("kenmerk")?
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(8)
        .collect();
    let to = get("to").filter(|t| meldcode::regions::latest().region(t).is_some())?;
    Some(format!("Melding {kenmerk} is overgedragen aan {}.", region_name(to)))
}

/// How many pages `total` rows fill (at least one, the empty one).
fn pages_of(total: u64) -> u64 {
    total.div_ceil(u64::from(inbox::INBOX_PAGE_SIZE)).max(1)
}

pub async fn inbox(State(s): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let (session, region) = match intake_session(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let who = Who::from(&session);
    let mut query = match inbox_query(uri.query()) {
        Ok(q) => q,
        Err(e) => return error_page(e, Some(who)),
    };
    let (r, q) = (region.clone(), query.clone());
    let mut found = match s.store.read(move |c| inbox::inbox(c, &r, &q, Utc::now())).await {
        Ok(found) => found,
        Err(e) => return error_page(ApiError::from(e), Some(who)),
    };
    // A page beyond the last (an old link, a typed number): the last page, saying so.
    let last = pages_of(found.total);
    let mut notice = transfer_notice(&uri);
    if u64::from(query.page) > last {
        notice = Some(format!(
            "Pagina {} bestaat niet: “{}” heeft {last} {}. U ziet de laatste.",
            query.page,
            query.filter.label(LANG),
            if last == 1 { "pagina" } else { "pagina's" }
        ));
        query.page = u32::try_from(last).unwrap_or(1);
        let (r, q) = (region.clone(), query.clone());
        found = match s.store.read(move |c| inbox::inbox(c, &r, &q, Utc::now())).await {
            Ok(found) => found,
            Err(e) => return error_page(ApiError::from(e), Some(who)),
        };
    }
    let now = Utc::now();
    let InboxQuery { filter, q, page } = query;
    let rows = found
        .items
        .iter()
        .map(|i| InboxRow {
            id: i.id.clone(),
            kenmerk: i.kenmerk.clone(),
            received: local_time(i.received_at),
            created: i.created_at.map_or_else(|| "—".to_owned(), local_time),
            waiting: if is_waiting(i.status) {
                waited((now - i.created_at.unwrap_or(i.received_at)).num_minutes())
            } else {
                "—".to_owned()
            },
            transferred: i
                .transferred_from
                .as_deref()
                .map(|from| meldcode::intake::transferred_in_short(from, i.transfer_reason.as_deref(), 80, LANG)),
            kind: i.kind.label(LANG),
            pharmacy: i.pharmacy.clone().unwrap_or_else(|| "—".into()),
            gemeente: i.gemeente.as_deref().map_or_else(|| "—".into(), gemeente_name),
            children: i.children.map_or_else(|| "—".into(), |n| n.to_string()),
            acute_112: i.acute_112,
            acute_label: if i.acute_112 {
                Text::Called112.label(LANG)
            } else {
                false.label(LANG)
            },
            accompanied: i.accompanied.map_or("—", |a| a.label(LANG)),
            accompanied_yes: i.accompanied == Some(true),
            safe_times: i
                .safe_times
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| "—".into()),
            safe_now: i
                .safe_times
                .as_deref()
                .filter(|_| is_waiting(i.status) || i.status == meldcode::Status::Acknowledged)
                .and_then(|t| SafeRoute::of_times(t, now).now_short(LANG)),
            status: status_label(i.status, LANG),
            status_code: i.status.code(),
        })
        .collect();
    let stubs = found
        .stubs
        .iter()
        .map(|st| StubRow {
            kenmerk: st.kenmerk.clone(),
            text: meldcode::intake::transfer_stub(
                st.to_region.as_deref().unwrap_or("—"),
                st.transferred_at,
                st.reason.as_deref(),
                LANG,
            ),
            by: st.transferred_by.clone(),
        })
        .collect();
    let link = |f: Filter| FilterLink {
        href: inbox_href(f, &q, 1),
        label: f.label(LANG),
        count: found.counts.of(f),
        current: f == filter,
    };
    let filters = [Filter::Open, Filter::Acknowledged, Filter::Closed, Filter::All]
        .into_iter()
        .map(link)
        .collect();
    let handed_over = link(Filter::Transferred);
    let caption = match filter {
        Filter::Open => "Open meldingen, langst wachtend eerst (sinds de apotheek ze maakte)",
        Filter::Acknowledged => "Meldingen in behandeling, nieuwste eerst",
        Filter::Transferred => "Overgedragen aan een andere regio (zonder inhoud)",
        Filter::Closed => "Gesloten meldingen, nieuwste eerst",
        Filter::All => "Alle meldingen: open eerst, langst wachtend eerst",
    };
    let pages = pages_of(found.total);
    let page_view = InboxPage {
        who: Some(who),
        region_name: meldcode::regions::latest()
            .region(&region)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        region,
        notice,
        filters,
        handed_over,
        filter_label: filter.label(LANG),
        filter_code: filter.code(),
        caption,
        open_count: found.counts.open,
        items: rows,
        stubs,
        stub_view: filter == Filter::Transferred,
        page,
        pages,
        total: found.total,
        next_href: found.has_more(page).then(|| inbox_href(filter, &q, page + 1)),
        previous_href: (page > 1).then(|| inbox_href(filter, &q, page - 1)),
        q,
    };
    html(StatusCode::OK, &page_view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filter_and_search_and_leave_out_defaults() {
        assert_eq!(inbox_href(Filter::Open, "", 1), "/intake");
        assert_eq!(
            inbox_href(Filter::Closed, "de Apotheek & co", 2),
            "/intake?status=closed&q=de+Apotheek+%26+co&page=2"
        );
        assert_eq!(waited(59), "59 min");
        assert_eq!(waited(61), "1 uur");
        assert_eq!(waited(3000), "2 dagen");
    }
}
