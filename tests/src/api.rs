//! A blocking client of the server's JSON API, as the app and the tests use it.

use anyhow::{Context, bail};
use serde_json::Value;

/// A response: status, headers we care about, and the body as JSON (or `Null`).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Value,
}

pub struct Api {
    pub base: String,
    pub http: reqwest::blocking::Client,
}

impl Reply {
    /// Status, `Retry-After` and the JSON body (`null` when it is not JSON) of an answer.
    pub fn read(resp: reqwest::blocking::Response) -> anyhow::Result<Reply> {
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = resp.text()?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            retry_after,
            body,
        })
    }
}

impl Api {
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> anyhow::Result<Reply> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self.http.request(method, format!("{}{}", self.base, path)).body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        Reply::read(req.send()?)
    }

    pub fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> anyhow::Result<Reply> {
        self.send(
            "POST",
            path,
            token,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> anyhow::Result<Reply> {
        self.send("GET", path, token, None, Vec::new())
    }

    /// Enroll a device with a code; its bearer token.
    pub fn enroll(&self, code: &str) -> anyhow::Result<String> {
        let r = self.post_json(
            "/api/v1/enroll",
            None,
            &serde_json::json!({"code": code, "device_name": "balie-1"}),
        )?;
        if r.status != 201 {
            bail!("enroll answered {}: {}", r.status, r.body);
        }
        r.body["device_token"]
            .as_str()
            .map(str::to_owned)
            .context("device_token")
    }

    /// The server's own examples, from its OpenAPI document, each with a fresh id.
    pub fn examples(&self) -> anyhow::Result<Vec<(String, Value)>> {
        let doc = self.get("/api/v1/openapi.json", None)?.body;
        let examples = doc
            .pointer("/paths/~1api~1v1~1reports/post/requestBody/content/application~1json/examples")
            .and_then(Value::as_object)
            .context("no examples in the OpenAPI document")?;
        Ok(examples
            .iter()
            .map(|(kind, e)| {
                let mut v = e["value"].clone();
                v["id"] = Value::from(uuid::Uuid::new_v4().to_string());
                (kind.clone(), v)
            })
            .collect())
    }
}

impl Api {
    /// A fresh, valid report of `kind` from the server's own examples.
    pub fn example(&self, kind: &str) -> anyhow::Result<Value> {
        self.examples()?
            .into_iter()
            .find(|(k, _)| k == kind)
            .map(|(_, v)| v)
            .context("no such kind")
    }

    /// Submit a report; it must be accepted (201). Its status body.
    pub fn submit(&self, token: &str, report: &Value) -> anyhow::Result<Value> {
        let r = self.post_json("/api/v1/reports", Some(token), report)?;
        if r.status != 201 {
            bail!("submit answered {}: {}", r.status, r.body);
        }
        Ok(r.body)
    }

    pub fn status_of(&self, token: &str, id: &str) -> anyhow::Result<Reply> {
        self.get(&format!("/api/v1/reports/{id}/status"), Some(token))
    }

    /// A session token for a user (201 expected), with a fresh second-factor code; a user who has
    /// not set one up does so first, through the login page (as a person would).
    pub fn login(&self, name: &str, password: &str) -> anyhow::Result<String> {
        if crate::totp::secret_of(&self.base, name).is_none() {
            crate::web::Web::new(&self.base)?.setup(name, password)?;
        }
        let session = || -> anyhow::Result<Reply> {
            let taken = crate::totp::next(&self.base, name)?;
            let body = serde_json::json!({"name": name, "password": password, "code": taken.code});
            let r = self.post_json("/api/v1/session", None, &body)?;
            if matches!(r.status, 429 | 503) {
                crate::totp::give_back(&self.base, name, &taken);
            }
            Ok(r)
        };
        let mut r = session()?;
        if r.status == 403 && r.body["fields"][0]["rule"] == "second_factor_setup_required" {
            // Not one of the users the harness knew a secret for (a user added to a demo).
            crate::web::Web::new(&self.base)?.setup(name, password)?;
            r = session()?;
        }
        if r.status != 201 {
            bail!("login of {name} answered {}: {}", r.status, r.body);
        }
        r.body["token"].as_str().map(str::to_owned).context("token")
    }
}
