//! Routing a report to a Veilig Thuis region: by the person's municipality, else the pharmacy's,
//! else the region stored for the pharmacy at enrollment; a report no region can see is refused
//! (nothing stored), never answered 201.

use masker19_e2e::{DEMO_PASSWORD, TestServer, demo_server, open_store};
use serde_json::Value;

type R = anyhow::Result<()>;

/// Appingedam: merged into Eemsdelta in 2021, so in no later table.
const MERGED_AWAY: &str = "GM0003";

/// Change what is stored for the Demo-apotheek, as an older table or a later merger leaves it.
fn set_pharmacy(server: &TestServer, gemeente: &str, vt_region: &str) -> R {
    open_store(&server.db)?.execute(
        "UPDATE pharmacy SET gemeente = ?1, vt_region = ?2 WHERE name = 'Demo-apotheek'",
        [gemeente, vt_region],
    )?;
    Ok(())
}

fn count(server: &TestServer, sql: &str, id: &str) -> anyhow::Result<i64> {
    Ok(open_store(&server.db)?.query_row(sql, [id], |r| r.get(0))?)
}

/// An adviesvraag without the person's municipality.
fn adviesvraag_without_gemeente(server: &TestServer) -> anyhow::Result<Value> {
    let mut report = server.client().example("adviesvraag")?;
    if let Some(r) = report.as_object_mut() {
        r.remove("gemeente");
    }
    Ok(report)
}

#[test]
fn without_a_routable_municipality_the_pharmacys_enrolled_region_gets_it() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    set_pharmacy(&server, MERGED_AWAY, "VT01")?;
    let api = server.client();
    let report = adviesvraag_without_gemeente(&server)?;
    let id = report["id"].as_str().unwrap_or_default();
    let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["vt_region"], "VT01", "the pharmacy's region as enrolled");

    let intake = api.login("intake-vt01", DEMO_PASSWORD)?;
    let inbox = api.get("/api/v1/intake/reports", Some(&intake))?;
    let listed = inbox.body["reports"]
        .as_array()
        .is_some_and(|rs| rs.iter().any(|x| x["id"] == report["id"]));
    assert!(listed, "VT01's inbox shows it: {}", inbox.body);
    let shown = api.get(&format!("/api/v1/intake/reports/{id}"), Some(&intake))?;
    assert_eq!(shown.status, 200);
    assert_eq!(
        count(
            &server,
            "SELECT count(*) FROM outbox WHERE report_id = ?1 AND vt_region = 'VT01'",
            id
        )?,
        1,
        "an outbox row for VT01, in the same transaction"
    );
    Ok(())
}

#[test]
fn a_report_no_region_can_see_is_refused_and_not_stored() -> R {
    let (_dir, server, token) = demo_server(&[])?;
    // Neither the municipality nor the stored region is in the table any more.
    set_pharmacy(&server, MERGED_AWAY, "VT16")?;
    let api = server.client();
    for report in [adviesvraag_without_gemeente(&server)?, {
        let mut r = api.example("geen_melding")?;
        r.as_object_mut().map(|o| o.remove("gemeente"));
        r
    }] {
        let id = report["id"].as_str().unwrap_or_default();
        let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.body["fields"][0]["path"], "/gemeente", "{}", r.body);
        assert!(r.body["error"].is_string());
        assert_eq!(
            count(&server, "SELECT count(*) FROM report WHERE id = ?1", id)?,
            0,
            "nothing stored"
        );
        assert_eq!(
            count(&server, "SELECT count(*) FROM outbox WHERE report_id = ?1", id)?,
            0
        );
    }
    // With the person's municipality it still routes, whatever the pharmacy's.
    let report = api.example("melding")?;
    let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
    assert_eq!((r.status, r.body["vt_region"].as_str()), (201, Some("VT01")));
    Ok(())
}
