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

    /// The login form: its cookie (`name=value`) and CSRF token.
    pub fn login_form(&self) -> anyhow::Result<(String, String)> {
        let form = self.get("/login", "")?;
        let login_cookie = form
            .set_cookies()
            .first()
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
            .context("the login form sets a cookie")?;
        let csrf = form.csrf().context("the login form has a CSRF token")?;
        Ok((login_cookie, csrf))
    }

    /// Post the login form with name, password and `code` (from the server's own origin).
    pub fn post_login(&self, name: &str, password: &str, code: &str) -> anyhow::Result<Page> {
        let (login_cookie, csrf) = self.login_form()?;
        self.post(
            "/login",
            &login_cookie,
            Some(&self.base),
            &[("name", name), ("password", password), ("code", code), ("csrf", &csrf)],
        )
    }

    /// A first sign-in: name and password lead to the setup page; its secret (`#totp-secret`) is
    /// remembered for this user and confirmed with a code; the page of recovery codes opens the
    /// session.
    pub fn setup(&self, name: &str, password: &str) -> anyhow::Result<SetupDone> {
        let done = self.post_login(name, password, "")?;
        if done.status != 303 || done.header("location") != Some("/login/setup") {
            bail!(
                "login of {name} did not lead to the setup: {} {}",
                done.status,
                done.body
            );
        }
        let cookie = done
            .set_cookies()
            .into_iter()
            .find(|c| c.contains("_setup=") && !c.contains("Max-Age=0"))
            .and_then(|c| c.split(';').next().map(str::to_owned))
            .context("a setup cookie")?;
        let page = self.get("/login/setup", &cookie)?;
        let secret = crate::totp::element_text(&page.body, "totp-secret").context("#totp-secret")?;
        crate::totp::set_secret(&self.base, name, &secret);
        let csrf = page.csrf().context("the setup form has a CSRF token")?;
        let code = crate::totp::next_code(&self.base, name)?;
        let shown = self.post(
            "/login/setup",
            &cookie,
            Some(&self.base),
            &[("code", &code), ("csrf", &csrf)],
        )?;
        if shown.status != 200 {
            bail!("setup of {name} answered {}: {}", shown.status, shown.body);
        }
        let session = self.session_from(&shown, shown.csrf())?;
        Ok(SetupDone {
            secret,
            recovery_codes: crate::totp::recovery_codes(&shown.body),
            session,
            page: shown,
        })
    }

    /// The session a page's `Set-Cookie` opened, with the CSRF token of its forms.
    fn session_from(&self, page: &Page, csrf: Option<String>) -> anyhow::Result<WebSession> {
        let session = page
            .set_cookies()
            .into_iter()
            .find(|c| c.contains("session=") && !c.contains("Max-Age=0"))
            .context("a session cookie")?;
        let pair = session.split(';').next().unwrap_or_default().to_owned();
        let (cookie_name, _) = pair.split_once('=').context("name=value")?;
        Ok(WebSession {
            set_cookie: session.clone(),
            cookie_name: cookie_name.to_owned(),
            cookie: pair.clone(),
            csrf: csrf.context("the page has a logout form")?,
        })
    }

    /// Log in through the form (from the server's own origin) with a fresh second-factor code,
    /// setting the second factor up first at a user's first sign-in, and open the page it leads to.
    pub fn login(&self, name: &str, password: &str) -> anyhow::Result<WebSession> {
        if crate::totp::secret_of(&self.base, name).is_none() {
            return Ok(self.setup(name, password)?.session);
        }
        let code = crate::totp::next_code(&self.base, name)?;
        let done = self.post_login(name, password, &code)?;
        if done.header("location") == Some("/login/setup") {
            // Not one of the users the harness knew a secret for (a user added to a demo).
            return Ok(self.setup(name, password)?.session);
        }
        if done.status != 303 {
            bail!("login answered {}: {}", done.status, done.body);
        }
        let home = done.header("location").context("a redirect")?.to_owned();
        let first = self.session_from(&done, Some(String::new()))?;
        let page = self.get(&home, &first.cookie)?;
        self.session_from(&done, page.csrf())
    }
}

/// A second factor set up through the pages: its secret, the recovery codes shown once, the
/// session it opened and the page that showed the codes.
#[derive(Debug)]
pub struct SetupDone {
    pub secret: String,
    pub recovery_codes: Vec<String>,
    pub session: WebSession,
    pub page: Page,
}
