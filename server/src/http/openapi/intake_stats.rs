//! The intake and statistics endpoints in the OpenAPI document: their parameters, bodies and
//! answers, with examples. The handlers live in `intake.rs` and `stats.rs`; these stubs only
//! carry the documentation (so the handlers' files stay as they are).

#![allow(dead_code)] // the functions exist for their `#[utoipa::path]` only

use meldcode::api::ErrorBody;

use crate::http::stats::Format;
use crate::stats::period::Granularity;
use serde::Serialize;
use utoipa::ToSchema;

/// `status` of the inbox: which reports to list (default `open`).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    Open,
    Acknowledged,
    Transferred,
    Closed,
    All,
}

/// One row of the inbox.
#[derive(Serialize, ToSchema)]
pub struct InboxRow {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(example = "melding")]
    pub kind: String,
    #[schema(example = "received")]
    pub status: String,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// A page of the inbox (100 rows), with the total over all pages.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "page": 1, "page_size": 100, "total": 1, "has_more": false,
    "reports": [{"id": "7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10", "kind": "melding", "channel": "balie",
                 "status": "received", "received_at": "2026-12-02T08:19:00Z", "accompanied": true, "purged": false}]
}))]
pub struct InboxPage {
    pub page: u32,
    pub total: u64,
    pub has_more: bool,
    pub reports: Vec<InboxRow>,
}

/// One report of the region: the report as accepted (`null` once purged), its history and
/// audit log; `pharmacy` is who sent it.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10", "kind": "melding", "status": "acknowledged", "vt_region": "VT01",
    "received_at": "2026-12-02T08:19:00Z", "close_reason": null,
    "pharmacy": {"name": "Apotheek De Vijzel", "address": "Vijzelstraat 19, 1017 HK Amsterdam", "phone": "020-1234567"},
    "report": {"id": "7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10", "schema_version": 1, "kind": "melding"},
    "history": [{"status": "received", "vt_region": "VT01", "at": "2026-12-02T08:19:00Z"},
                {"status": "acknowledged", "vt_region": "VT01", "at": "2026-12-02T08:25:00Z"}],
    "audit": [{"at": "2026-12-02T08:25:00Z", "actor": "intake-vt01", "vt_region": "VT01", "action": "acknowledge", "detail": null}]
}))]
pub struct IntakeReport {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: String,
    pub status: String,
    pub vt_region: String,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub close_reason: Option<String>,
    pub pharmacy: Option<Pharmacy>,
    pub report: Option<serde_json::Value>,
    pub history: Vec<serde_json::Value>,
    pub audit: Vec<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct Pharmacy {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
}

/// Hand a report over to another region; the reason is required.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"vt_region": "VT20", "reason": "Woont sinds kort in Zuid-Holland Zuid"}))]
pub struct TransferRequest {
    #[schema(pattern = "^VT[0-9]{2}$", example = "VT20")]
    pub vt_region: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub reason: String,
    /// Required for a sealed report (schema_version 2): the report re-sealed to the target
    /// region's recipients and recovery key (armored age v1); without it `422` `reseal_required`.
    /// Refused for a report v1.
    #[schema(max_length = 65536)]
    pub sealed: Option<String>,
}

/// Close a report; a reason is required when it was not taken into intake first.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"reason": "Contact gelegd, verder in eigen dossier"}))]
pub struct CloseRequest {
    #[schema(max_length = 4000)]
    pub reason: Option<String>,
}

/// The new status after an action.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "7f1c0a7e-2b8e-4f51-9c51-0c7d2f1f4a10", "status": "acknowledged"}))]
pub struct Transitioned {
    #[schema(format = Uuid)]
    pub id: String,
    pub status: String,
}

/// Counts under disclosure control (`count` is always a string: a number, `<5` or `x`).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "period": "quarter", "from": "2025-Q1", "to": "2025-Q4",
    "cells": [{"period": "2025-Q1", "vt_region": "VT01", "kind": "melding", "channel": "balie", "count": "<5"}],
    "totals": [{"period": "2025-Q1", "vt_region": "VT01", "kind": null, "channel": null, "count": "10"}]
}))]
pub struct Stats {
    pub period: String,
    pub from: String,
    pub to: String,
    pub cells: Vec<serde_json::Value>,
    pub totals: Vec<serde_json::Value>,
}

/// What an intake request that reads can answer besides its success.
#[derive(utoipa::IntoResponses)]
pub enum ReadErrors {
    #[response(
        status = 400,
        description = "A malformed path or query parameter (the field and its rule)"
    )]
    BadParameter(#[to_schema] ErrorBody),
    #[response(status = 401, description = "No or unknown session token")]
    Unauthorized(#[to_schema] ErrorBody),
    #[response(status = 403, description = "Not an intake user")]
    Forbidden(#[to_schema] ErrorBody),
    #[response(status = 404, description = "No such report in the caller's region")]
    NotFound(#[to_schema] ErrorBody),
    #[response(status = 503, description = "Fault of the server; retry after Retry-After")]
    Unavailable(#[to_schema] ErrorBody),
}

/// What an intake action can answer besides its success.
#[derive(utoipa::IntoResponses)]
pub enum ActionErrors {
    #[response(status = 400, description = "Not a JSON object, or a malformed path parameter")]
    BadRequest(#[to_schema] ErrorBody),
    #[response(status = 401, description = "No or unknown session token")]
    Unauthorized(#[to_schema] ErrorBody),
    #[response(status = 403, description = "Not an intake user")]
    Forbidden(#[to_schema] ErrorBody),
    #[response(status = 404, description = "No such report in the caller's region")]
    NotFound(#[to_schema] ErrorBody),
    #[response(status = 409, description = "Not possible in the report's state")]
    Conflict(#[to_schema] ErrorBody),
    #[response(status = 413, description = "Body over 64 KiB")]
    TooLarge(#[to_schema] ErrorBody),
    #[response(status = 415, description = "Not application/json")]
    NotJson(#[to_schema] ErrorBody),
    #[response(
        status = 422,
        description = "Breaks a rule: transfer without a reason or to no other region; close without intake first and without a reason, or a reason over 4000 characters"
    )]
    Invalid(#[to_schema] ErrorBody),
    #[response(status = 503, description = "Fault of the server; retry after Retry-After")]
    Unavailable(#[to_schema] ErrorBody),
}

/// The region's inbox, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/intake/reports", tag = "intake",
    security(("bearer" = [])),
    params(
        ("status" = inline(Option<StatusFilter>), Query, description = "Which reports (default `open`: received, forwarded or acknowledged)"),
        ("q" = Option<String>, Query, description = "Search by kenmerk, pharmacy or gemeente", example = "7f1c0a7e"),
        ("page" = Option<u32>, Query, description = "Page number, from 1 (100 rows a page)", minimum = 1, maximum = 100000, example = 1),
    ),
    responses(
        (status = 200, description = "A page of the inbox", body = InboxPage),
        ReadErrors,
    )
)]
fn list() {}

/// One report of the region; the view is written to its audit log.
#[utoipa::path(
    get, path = "/api/v1/intake/reports/{id}", tag = "intake",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The report's id")),
    responses(
        (status = 200, description = "The report", body = IntakeReport),
        ReadErrors,
    )
)]
fn show() {}

/// Take the report into intake.
#[utoipa::path(
    post, path = "/api/v1/intake/reports/{id}/acknowledge", tag = "intake",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The report's id")),
    responses(
        (status = 200, description = "In intake", body = Transitioned),
        ActionErrors,
    )
)]
fn acknowledge() {}

/// Hand the report over to another region: it is `received` there, this region loses it.
#[utoipa::path(
    post, path = "/api/v1/intake/reports/{id}/transfer", tag = "intake",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The report's id")),
    request_body(content = TransferRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Handed over", body = Transitioned),
        ActionErrors,
    )
)]
fn transfer() {}

/// Close the report.
#[utoipa::path(
    post, path = "/api/v1/intake/reports/{id}/close", tag = "intake",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The report's id")),
    request_body(content = Option<CloseRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "Closed", body = Transitioned),
        ActionErrors,
    )
)]
fn close() {}

/// Counts per region × period × kind × channel, under disclosure control (an evaluator).
#[utoipa::path(
    get, path = "/api/v1/stats", tag = "stats",
    security(("bearer" = [])),
    params(
        ("period" = inline(Option<Granularity>), Query, description = "The granularity (default `quarter`)"),
        ("from" = Option<String>, Query, description = "First whole period: 2026-W05, 2026-03, 2026-Q1, 2026-H1 or 2026 (default: the first of the last published period's year)", example = "2025-Q1"),
        ("to" = Option<String>, Query, description = "Last whole period, of the same granularity, and published: a period is published 31 days after its end (default: the last published one)", example = "2025-Q4"),
        ("format" = inline(Option<Format>), Query, description = "json (default), csv (`;`, UTF-8 with BOM, CRLF) or xlsx"),
    ),
    responses(
        (status = 200, description = "The counts", content(
            (Stats = "application/json"),
            (String = "text/csv", example = json!("\u{feff}period;vt_region;vt_naam;kind;channel;count;flag\r\n2026-Q1;VT01;Groningen;melding;balie;;<5\r\n")),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 400, description = "A malformed query parameter", body = ErrorBody),
        (status = 401, description = "No or unknown session token", body = ErrorBody),
        (status = 403, description = "Not an evaluator", body = ErrorBody),
        (status = 422, description = "An unknown parameter, granularity, format or period; rule `period_not_published` for a `to` that is not published yet", body = ErrorBody),
        (status = 503, description = "Fault of the server; retry after Retry-After", body = ErrorBody),
    )
)]
fn stats() {}
