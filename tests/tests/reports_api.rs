//! The report API against the real server binary: enroll, submit every kind, idempotency, the
//! error order 401 → 413 → 415 → 400 → 422 → 409, isolation between pharmacies, and durability
//! across `kill -9`.

use masker19_e2e::{TestServer, admin, temp_db};
use serde_json::{Value, json};

type R = anyhow::Result<()>;

fn demo() -> anyhow::Result<(tempfile::TempDir, TestServer, String)> {
    let (dir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let token = server.client().enroll(&server.info["enrollment_code"])?;
    Ok((dir, server, token))
}

#[test]
fn enrollment_codes_work_once() -> R {
    let (_dir, server, _token) = demo()?;
    let api = server.client();
    let again = api.post_json(
        "/api/v1/enroll",
        None,
        &json!({"code": server.info["enrollment_code"], "device_name": "x"}),
    )?;
    assert_eq!(again.status, 401, "a used code");
    let unknown = api.post_json(
        "/api/v1/enroll",
        None,
        &json!({"code": "AAAA-BBBB-CCCC-DDDD", "device_name": "x"}),
    )?;
    assert_eq!(unknown.status, 401);
    assert!(unknown.body["error"].is_string());
    Ok(())
}

#[test]
fn every_kind_is_accepted_once_and_resubmission_is_idempotent() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    let examples = api.examples()?;
    assert_eq!(examples.len(), 4);
    for (kind, report) in &examples {
        let first = api.post_json("/api/v1/reports", Some(&token), report)?;
        assert_eq!(first.status, 201, "{kind}: {}", first.body);
        assert_eq!(first.body["id"], report["id"]);
        assert_eq!(first.body["kind"], Value::from(kind.as_str()));
        let (status, region) = match kind.as_str() {
            "melding" | "adviesvraag" => ("received", Value::from("VT01")),
            _ => ("recorded", Value::Null),
        };
        assert_eq!(first.body["status"], status, "{kind}");
        assert_eq!(first.body["vt_region"], region, "{kind}");
        assert_eq!(first.body["history"][0]["status"], status);

        let again = api.post_json("/api/v1/reports", Some(&token), report)?;
        assert_eq!(again.status, 200, "identical resubmission of {kind}");
        assert_eq!(again.body, first.body);

        let polled = api.get(
            &format!("/api/v1/reports/{}/status", report["id"].as_str().unwrap_or("")),
            Some(&token),
        )?;
        assert_eq!((polled.status, &polled.body), (200, &first.body));
    }
    Ok(())
}

#[test]
fn same_id_with_other_content_is_a_conflict() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    let (_, mut report) = api
        .examples()?
        .into_iter()
        .find(|(k, _)| k == "melding")
        .ok_or(anyhow::anyhow!("melding"))?;
    assert_eq!(api.post_json("/api/v1/reports", Some(&token), &report)?.status, 201);
    report["signals"]["observed"] = Value::from("Iets anders gezien.");
    let conflict = api.post_json("/api/v1/reports", Some(&token), &report)?;
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    Ok(())
}

#[test]
fn routing_follows_the_persons_gemeente() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    let (_, mut report) = api
        .examples()?
        .into_iter()
        .find(|(k, _)| k == "melding")
        .ok_or(anyhow::anyhow!("melding"))?;
    report["gemeente"] = Value::from("GM0599"); // Rotterdam
    let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
    assert_eq!((r.status, r.body["vt_region"].as_str()), (201, Some("VT18")));
    Ok(())
}

#[test]
fn a_422_lists_every_broken_rule_with_its_path() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    let (_, mut report) = api
        .examples()?
        .into_iter()
        .find(|(k, _)| k == "melding")
        .ok_or(anyhow::anyhow!("melding"))?;
    report["person"]["bsn"] = Value::from("123456789");
    report["gemeente"] = Value::from("GM9999");
    report["safe_contact"]["via_pharmacy"] = Value::from(false);
    report["safe_contact"]["phone"] = Value::from("");
    report["signals"]["observed"] = Value::from("x".repeat(4001));
    report["reporter"]["disclosure"] = Value::from("anonymous");
    report["created_at"] = Value::from("2020-01-01T00:00:00Z");
    report["surplus"] = Value::from(true);
    let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
    assert_eq!(r.status, 422, "{}", r.body);
    let fields: Vec<(String, String)> = r.body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap_or("").to_owned(),
                        f["rule"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for (path, rule) in [
        ("/person/bsn", "elfproef"),
        ("/gemeente", "unknown_gemeente"),
        ("/safe_contact/phone", "required"),
        ("/signals/observed", "max_length"),
        ("/reporter/anonymous_reason", "required"),
        ("/created_at", "out_of_window"),
        ("/surplus", "unknown_field"),
    ] {
        assert!(
            fields.contains(&(path.into(), rule.into())),
            "{path} {rule} not in {fields:?}"
        );
    }
    assert!(
        r.body["fields"]
            .as_array()
            .is_some_and(|a| a.iter().all(|f| f["message"].is_string()))
    );
    // Nothing was stored: the id is unknown afterwards.
    let status = api.get(
        &format!("/api/v1/reports/{}/status", report["id"].as_str().unwrap_or("")),
        Some(&token),
    )?;
    assert_eq!(status.status, 404);
    Ok(())
}

#[test]
fn counting_kinds_carry_no_identifying_data() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    let examples = api.examples()?;
    let melding = &examples
        .iter()
        .find(|(k, _)| k == "melding")
        .ok_or(anyhow::anyhow!("melding"))?
        .1;
    for kind in ["adviesvraag", "geen_melding", "acuut_112"] {
        let mut r = examples
            .iter()
            .find(|(k, _)| k == kind)
            .ok_or(anyhow::anyhow!("kind"))?
            .1
            .clone();
        r["person"] = melding["person"].clone();
        let reply = api.post_json("/api/v1/reports", Some(&token), &r)?;
        assert_eq!(reply.status, 422, "{kind}");
        assert!(reply.body["fields"].as_array().is_some_and(|f| {
            f.iter()
                .any(|f| f["path"] == "/person" && f["rule"] == "not_allowed_for_kind")
        }));
    }
    Ok(())
}

#[test]
fn errors_come_in_the_contract_order() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    let big = vec![b'{'; 65 * 1024];
    let post =
        |token: Option<&str>, ct: Option<&str>, body: Vec<u8>| api.send("POST", "/api/v1/reports", token, ct, body);
    // 401 before anything else, however bad the rest.
    assert_eq!(post(None, Some("text/plain"), big.clone())?.status, 401);
    assert_eq!(
        post(Some("not-a-token"), Some("application/json"), b"{}".to_vec())?.status,
        401
    );
    // 413 before 415.
    let too_big = post(Some(&token), Some("text/plain"), big)?;
    assert_eq!(too_big.status, 413);
    assert!(too_big.body["error"].is_string());
    // 415 before 400.
    assert_eq!(
        post(Some(&token), Some("text/plain"), b"nonsense".to_vec())?.status,
        415
    );
    assert_eq!(post(Some(&token), None, b"{}".to_vec())?.status, 415);
    // 400: not a JSON object.
    for body in [&b"nonsense"[..], b"[1,2]", b"", b"{\"a\":"] {
        let r = post(Some(&token), Some("application/json; charset=utf-8"), body.to_vec())?;
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(body));
        assert!(r.body["error"].is_string() && r.body["fields"].is_array());
    }
    // 422: an object that breaks rules.
    assert_eq!(
        post(Some(&token), Some("application/json"), b"{}".to_vec())?.status,
        422
    );
    Ok(())
}

#[test]
fn a_pharmacy_sees_only_its_own_statuses_and_revoked_devices_are_refused() -> R {
    let (_dir, db) = temp_db()?;
    let north = masker19_e2e::add_pharmacy(&db, "Apotheek Noord", "GM0363")?;
    let south = masker19_e2e::add_pharmacy(&db, "Apotheek Zuid", "GM0599")?;
    let server = TestServer::start(&db, false)?;
    let api = server.client();
    let token = api.enroll(&north)?;
    let (_, report) = api
        .examples()?
        .into_iter()
        .find(|(k, _)| k == "adviesvraag")
        .ok_or(anyhow::anyhow!("kind"))?;
    assert_eq!(api.post_json("/api/v1/reports", Some(&token), &report)?.status, 201);

    let other = api.enroll(&south)?;
    let path = format!("/api/v1/reports/{}/status", report["id"].as_str().unwrap_or(""));
    assert_eq!(api.get(&path, Some(&other))?.status, 404);
    assert_eq!(api.get(&path, Some(&token))?.status, 200);
    assert_eq!(
        api.post_json("/api/v1/reports", Some(&other), &report)?.status,
        409,
        "another pharmacy reusing an id"
    );
    assert_eq!(api.get("/api/v1/reports/not-a-uuid/status", Some(&token))?.status, 404);

    let out = admin(&server.db, &["device", "list"], "")?;
    let first_id = String::from_utf8(out.stdout)?
        .lines()
        .next()
        .and_then(|l| l.split('\t').next().map(str::to_owned))
        .unwrap_or_default();
    let out = admin(&server.db, &["device", "revoke", &first_id], "")?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(api.get(&path, Some(&token))?.status, 401, "revoked at once");
    Ok(())
}

#[test]
fn every_accepted_report_survives_kill_9() -> R {
    let (_dir, db) = temp_db()?;
    let server = TestServer::start(&db, true)?;
    let api = server.client();
    let token = api.enroll(&server.info["enrollment_code"])?;
    let mut accepted = Vec::new();
    for round in 0..10 {
        for (_, report) in api.examples()? {
            let r = api.post_json("/api/v1/reports", Some(&token), &report)?;
            assert_eq!(r.status, 201, "round {round}");
            accepted.push(r.body);
        }
    }
    server.kill9()?;
    let restarted = TestServer::start(&db, true)?;
    let api = restarted.client();
    for body in &accepted {
        let r = api.get(
            &format!("/api/v1/reports/{}/status", body["id"].as_str().unwrap_or("")),
            Some(&token),
        )?;
        assert_eq!((r.status, &r.body), (200, body));
    }
    let list = admin(&db, &["pharmacy", "list"], "")?;
    let listing = String::from_utf8(list.stdout)?;
    assert_eq!(
        listing.matches("Demo-apotheek").count(),
        1,
        "the demo is seeded once: {listing}"
    );
    Ok(())
}

/// Many pharmacies at once share group commits; each still gets its own answer, a report sent
/// twice at the same moment is stored once, and a clash of ids is a 409 for exactly one of them.
#[test]
fn concurrent_submissions_are_each_answered_and_stored_once() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    let template = api.example("melding")?;
    let twice = {
        let mut r = template.clone();
        r["id"] = Value::from(uuid::Uuid::new_v4().to_string());
        r
    };
    let mut clash = twice.clone();
    clash["signals"]["said"] = Value::from("Iets anders gezegd.");
    let mut reports: Vec<Value> = (0..40)
        .map(|_| {
            let mut r = template.clone();
            r["id"] = Value::from(uuid::Uuid::new_v4().to_string());
            r
        })
        .collect();
    reports.extend([twice.clone(), twice.clone(), clash]);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = reports
            .iter()
            .map(|r| {
                s.spawn(|| {
                    server
                        .client()
                        .post_json("/api/v1/reports", Some(&token), r)
                        .map(|x| x.status)
                        .unwrap_or(0)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
    });
    assert!(statuses[..40].iter().all(|s| *s == 201), "{statuses:?}");
    let mut last3 = statuses[40..].to_vec();
    last3.sort();
    assert!(last3 == [200, 201, 409] || last3 == [201, 409, 409], "{last3:?}");
    for r in &reports[..40] {
        assert_eq!(api.status_of(&token, r["id"].as_str().unwrap_or_default())?.status, 200);
    }
    Ok(())
}

/// A geen melding or acuut_112 leaves the pharmacy as a count: the server keeps no content of it,
/// yet still recognises an identical resubmission.
#[test]
fn counting_kinds_are_stored_as_counts_only() -> R {
    let (_dir, server, token) = demo()?;
    let api = server.client();
    for kind in ["geen_melding", "acuut_112"] {
        let report = api.example(kind)?;
        assert_eq!(api.post_json("/api/v1/reports", Some(&token), &report)?.status, 201);
        assert_eq!(
            api.post_json("/api/v1/reports", Some(&token), &report)?.status,
            200,
            "{kind}"
        );
        let conn = masker19_e2e::open_store(&server.db)?;
        let body: Option<String> = conn.query_row(
            "SELECT body FROM report WHERE id = ?1",
            [report["id"].as_str().unwrap_or_default()],
            |r| r.get(0),
        )?;
        assert_eq!(body, None, "{kind}: no content kept");
    }
    Ok(())
}
