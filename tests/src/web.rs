//! The server's web pages as a browser without JavaScript sees them: forms, cookies by hand
//! (a cookie jar refuses `Secure` cookies over plain http), redirects not followed.

use anyhow::{Context, bail};
use reqwest::header::{HeaderMap, SET_COOKIE};

/// An answer of a page: status, headers and the HTML.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    /// The whole `Set-Cookie` line for cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first form's CSRF token on the page.
    pub fn csrf(&self) -> Option<String> {
        let start = self.body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
        let len = self.body[start..].find('"')?;
        Some(self.body[start..start + len].to_owned())
    }
}

/// A signed-in browser: its session cookie (`name=value`) and its forms' CSRF token.
#[derive(Debug, Clone)]
pub struct WebSession {
    /// The `Set-Cookie` line that opened it.
    pub set_cookie: String,
    pub cookie_name: String,
    pub cookie: String,
    pub csrf: String,
}

pub struct Web {
    pub base: String,
    http: reqwest::blocking::Client,
}

impl Web {
    pub fn new(base: &str) -> anyhow::Result<Web> {
        Ok(Web {
            base: base.to_owned(),
            http: reqwest::blocking::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
        })
    }

    fn page(resp: reqwest::blocking::Response) -> anyhow::Result<Page> {
        Ok(Page {
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            body: resp.text()?,
        })
    }

    /// `GET path` with a `Cookie` header (`name=value; ...`, or empty).
    pub fn get(&self, path: &str, cookie: &str) -> anyhow::Result<Page> {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        Web::page(req.send()?)
    }

    /// `POST path` as a form, with a `Cookie` header and, if given, an `Origin`.
    pub fn post(&self, path: &str, cookie: &str, origin: Option<&str>, form: &[(&str, &str)]) -> anyhow::Result<Page> {
        let mut req = self.http.post(format!("{}{path}", self.base)).form(form);
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        Web::page(req.send()?)
    }

    /// Log in through the form (from the server's own origin) and open the page it leads to.
    pub fn login(&self, name: &str, password: &str) -> anyhow::Result<WebSession> {
        let form = self.get("/login", "")?;
        let login_cookie = form
            .set_cookies()
            .first()
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
            .context("the login form sets a cookie")?;
        let csrf = form.csrf().context("the login form has a CSRF token")?;
        let done = self.post(
            "/login",
            &login_cookie,
            Some(&self.base),
            &[("name", name), ("password", password), ("csrf", &csrf)],
        )?;
        if done.status != 303 {
            bail!("login answered {}: {}", done.status, done.body);
        }
        let session = done
            .set_cookies()
            .into_iter()
            .find(|c| c.contains("session=") && !c.contains("Max-Age=0"))
            .context("a session cookie")?;
        let pair = session.split(';').next().unwrap_or_default().to_owned();
        let (cookie_name, _) = pair.split_once('=').context("name=value")?;
        let home = done.header("location").context("a redirect")?.to_owned();
        let page = self.get(&home, &pair)?;
        Ok(WebSession {
            set_cookie: session.clone(),
            cookie_name: cookie_name.to_owned(),
            cookie: pair.clone(),
            csrf: page.csrf().context("the home page has a logout form")?,
        })
    }
}
