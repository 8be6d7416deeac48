//! The intake inbox as intake triages it, through the real server's API: who sent a report,
//! what is urgent (open first, longest waiting first), filters by state with counts, search by
//! kenmerk, pharmacy or gemeente, waiting time for open reports only, and the JSON download.

use masker19_e2e::web::Web;
use masker19_e2e::{Api, DEMO_PASSWORD, admin, demo_server, temp_db};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

fn ids(list: &Value) -> Vec<String> {
    list["reports"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn id_of(report: &Value) -> String {
    report["id"].as_str().unwrap_or_default().to_owned()
}

fn act(api: &Api, token: &str, id: &str, action: &str, body: Value) -> anyhow::Result<u16> {
    Ok(api
        .post_json(&format!("/api/v1/intake/reports/{id}/{action}"), Some(token), &body)?
        .status)
}

#[test]
fn open_reports_come_first_longest_waiting_first_with_counts_per_filter() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let mut sent = Vec::new();
    for kind in ["melding", "adviesvraag", "melding", "adviesvraag"] {
        let report = api.example(kind)?;
        api.submit(&device, &report)?;
        sent.push(id_of(&report));
    }
    let [a, b, c, d] = [&sent[0], &sent[1], &sent[2], &sent[3]];
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    assert_eq!(act(&api, &intake, b, "acknowledge", json!({}))?, 200);
    assert_eq!(act(&api, &intake, c, "close", json!({"reason": "Dubbel"}))?, 200);

    let open = api.get("/api/v1/intake/reports", Some(&intake))?.body;
    assert_eq!(open["status"], "open", "open is the default");
    assert_eq!(
        ids(&open),
        [a.clone(), d.clone()],
        "open only, the longest waiting first"
    );
    assert_eq!(
        open["counts"],
        json!({"open": 2, "acknowledged": 1, "transferred": 0, "closed": 1, "all": 4})
    );
    assert_eq!(
        (&open["total"], &open["has_more"], &open["page"]),
        (&json!(2), &json!(false), &json!(1))
    );
    let all = api.get("/api/v1/intake/reports?status=all", Some(&intake))?.body;
    assert_eq!(
        ids(&all),
        [a.clone(), d.clone(), c.clone(), b.clone()],
        "open first (longest waiting first), then the rest newest first"
    );
    for (filter, want) in [("acknowledged", b), ("closed", c)] {
        let list = api
            .get(&format!("/api/v1/intake/reports?status={filter}"), Some(&intake))?
            .body;
        assert_eq!(ids(&list), std::slice::from_ref(want), "{filter}");
        assert_eq!(list["total"], 1, "{filter}");
    }

    // What makes a report urgent is on its row; waiting time only while open.
    let row = &open["reports"][0];
    assert_eq!(row["pharmacy"], "Demo-apotheek");
    assert_eq!(row["gemeente"], "GM0363");
    assert_eq!(row["children"], 2);
    assert_eq!(row["acute_112"], false);
    assert_eq!(row["accompanied"], true);
    assert_eq!(row["safe_times"], "Werkdagen tussen 10 en 12 uur");
    assert_eq!(row["kenmerk"].as_str().map(str::len), Some(8));
    assert!(row["waiting_minutes"].as_i64().is_some_and(|m| m >= 0), "{row}");
    assert!(row["created_at"].is_string(), "the pharmacy's own time");
    for r in all["reports"].as_array().into_iter().flatten() {
        let waiting = r["status"] == "received" || r["status"] == "forwarded";
        assert_eq!(r["waiting_minutes"].is_null(), !waiting, "waiting time stops: {r}");
    }
    Ok(())
}

#[test]
fn search_finds_by_kenmerk_pharmacy_or_gemeente_and_bad_parameters_are_named() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let first = api.example("melding")?;
    api.submit(&device, &first)?;
    let mut acute = api.example("melding")?;
    acute["acute_112_at"] = acute["created_at"].clone();
    api.submit(&device, &acute)?;
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let kenmerk = id_of(&acute)[..8].to_uppercase();
    let search = |q: &str| -> anyhow::Result<Vec<String>> {
        let url = format!("/api/v1/intake/reports?status=all&q={}", urlencode(q));
        Ok(ids(&api.get(&url, Some(&intake))?.body))
    };
    assert_eq!(search(&kenmerk)?, [id_of(&acute)], "by kenmerk");
    assert_eq!(search(&id_of(&first))?, [id_of(&first)], "by the whole id");
    assert_eq!(search("demo-APOTHEEK")?.len(), 2, "by pharmacy, any case");
    assert_eq!(search("amsterdam")?.len(), 2, "by gemeente name");
    assert_eq!(search("GM0363")?.len(), 2, "by gemeente code");
    assert!(search("Utrecht")?.is_empty(), "another gemeente");
    let found = api
        .get(&format!("/api/v1/intake/reports?q={kenmerk}"), Some(&intake))?
        .body;
    assert_eq!(found["reports"][0]["acute_112"], true, "112 called is on the row");
    assert_eq!(found["counts"]["all"], 1, "counts follow the search");

    for (query, field, rule) in [
        ("status=nieuw", "status", "invalid_value"),
        ("status=", "status", "invalid_value"),
        ("page=0", "page", "range"),
    ] {
        let r = api.get(&format!("/api/v1/intake/reports?{query}"), Some(&intake))?;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(
            (
                r.body["fields"][0]["path"].as_str(),
                r.body["fields"][0]["rule"].as_str()
            ),
            (Some(field), Some(rule)),
            "{query}: {}",
            r.body
        );
    }
    let long = "x".repeat(201);
    let r = api.get(&format!("/api/v1/intake/reports?q={long}"), Some(&intake))?;
    assert_eq!((r.status, r.body["fields"][0]["path"].as_str()), (400, Some("q")));
    Ok(())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn a_report_names_its_pharmacy_with_address_and_phone_and_its_own_time() -> R {
    let (_dir, db) = temp_db()?;
    let out = admin(
        &db,
        &[
            "pharmacy",
            "add",
            "--name",
            "Apotheek De Vijzel",
            "--gemeente",
            "GM0363",
            "--phone",
            "020-7654321",
            "--address",
            "Vijzelstraat 19, 1017 HK Amsterdam",
        ],
        "",
    )?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let code = String::from_utf8(out.stdout)?.trim().to_owned();
    let listed = String::from_utf8(admin(&db, &["pharmacy", "list"], "")?.stdout)?;
    assert!(listed.contains("Vijzelstraat 19, 1017 HK Amsterdam"), "{listed}");
    let out = admin(
        &db,
        &[
            "user",
            "add",
            "--role",
            "intake",
            "--region",
            "VT01",
            "--name",
            "Anna de Vries",
        ],
        "lang-genoeg-wachtwoord\n",
    )?;
    assert!(out.status.success());

    let server = masker19_e2e::TestServer::start(&db, false)?;
    let api = server.client();
    let device = api.enroll(&code)?;
    let mut report = api.example("melding")?;
    let created = (chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    report["created_at"] = Value::from(created.clone());
    // Safe to call now (outside the safe times the number is held back behind a deliberate step).
    report["safe_contact"]["safe_times"] = Value::from(masker19_e2e::safe_times_around_now(true));
    api.submit(&device, &report)?;
    let id = id_of(&report);
    let intake = api.login("Anna de Vries", "lang-genoeg-wachtwoord")?;
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?.body;
    assert_eq!(shown["pharmacy"]["name"], "Apotheek De Vijzel");
    assert_eq!(shown["pharmacy"]["address"], "Vijzelstraat 19, 1017 HK Amsterdam");
    assert_eq!(shown["pharmacy"]["phone"], "020-7654321");
    let own: chrono::DateTime<chrono::Utc> = serde_json::from_value(shown["created_at"].clone())?;
    assert_eq!(own.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), created);
    assert_ne!(shown["created_at"], shown["received_at"], "both times");

    // The page: the pharmacy with a tel: link, the pharmacy's own time, and the person's name
    // in the audit log.
    let web = Web::new(&server.url)?;
    let session = web.login("Anna de Vries", "lang-genoeg-wachtwoord")?;
    let page = web.get(&format!("/intake/reports/{id}"), &session.cookie)?.body;
    assert!(page.contains("Apotheek De Vijzel") && page.contains("Vijzelstraat 19, 1017 HK Amsterdam"));
    assert!(
        page.contains("href=\"tel:0207654321\""),
        "the pharmacy's phone is a tel: link"
    );
    assert!(
        page.contains("href=\"tel:0612345678\""),
        "the safe phone is a tel: link"
    );
    assert!(page.contains("Gemaakt in de apotheek"), "the pharmacy's own time");
    assert!(
        page.contains("Opgevraagd via de API door Anna de Vries"),
        "audit in Dutch with names"
    );
    assert!(
        !page.contains(">api_view<") && !page.contains(">view<"),
        "no English codes"
    );
    Ok(())
}

#[test]
fn the_json_download_is_the_webhooks_data_and_is_in_the_audit_log() -> R {
    let (_dir, server, device) = demo_server(&[])?;
    let api = server.client();
    let report = api.example("melding")?;
    api.submit(&device, &report)?;
    let id = id_of(&report);
    let web = Web::new(&server.url)?;
    let session = web.login("intake-vt01", DEMO_PASSWORD)?;
    let got = web.get(&format!("/intake/reports/{id}/export.json"), &session.cookie)?;
    assert_eq!(got.status, 200);
    let disposition = got.header("content-disposition").unwrap_or_default().to_owned();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains(&format!("masker19-{}.json", &id[..8].to_uppercase())),
        "{disposition}"
    );
    let data: Value = serde_json::from_str(&got.body)?;
    let mut want = report.clone();
    want["vt_region"] = json!("VT01");
    want["status"] = json!("received");
    assert_eq!(data, want, "the report as accepted, plus vt_region and status");
    let other = web.login("intake-vt18", DEMO_PASSWORD)?;
    assert_eq!(
        web.get(&format!("/intake/reports/{id}/export.json"), &other.cookie)?
            .status,
        404,
        "another region gets nothing"
    );
    let printed = web.get(&format!("/intake/reports/{id}/print"), &session.cookie)?;
    assert_eq!(printed.status, 200);
    assert!(
        !printed.body.contains("<form method=\"post\" action=\"/intake/reports/"),
        "no action forms"
    );
    assert!(printed.body.contains("Vertrouwelijk"));
    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let audit = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?.body["audit"].clone();
    let actions: Vec<&str> = audit
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, ["export", "print", "api_view"]);
    Ok(())
}
