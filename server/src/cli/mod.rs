//! The admin CLI and `serve`: the edge where errors become messages and exit codes.

use std::io::{BufRead, Write};
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::Utc;

use crate::db::DbConfig;
use crate::forward::{Forwarder, signature};
use crate::settings::Settings;
use crate::store::Store;
use crate::store::directory::{self, Role};
use crate::store::{outbox, retention};
use crate::{auth, demo, http, notify};

mod args;
mod region_keys;
mod upkeep;

pub use args::Cli;
use args::{
    Command, DeadlettersCommand, DeviceCommand, PharmacyCommand, RegionCommand, RegionKeysCommand, RoleArg, UserCommand,
};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    // A copy or a new key is made with the key the database has: never a new key file.
    let db = if matches!(
        cli.command,
        Command::Backup { .. } | Command::Restore { .. } | Command::Rekey { .. }
    ) {
        DbConfig::resolve_existing(&cli.db, &settings)?
    } else {
        DbConfig::resolve(&cli.db, &settings)?
    };
    let now = Utc::now();
    match cli.command {
        Command::Backup { to } => upkeep::backup(&db, &to, now),
        Command::Restore { from } => upkeep::restore(&db, &from, now),
        Command::Rekey { new_key_file } => upkeep::rekey(&db, &new_key_file, now),
        Command::Serve { listen, demo } => serve(db, settings, &listen, demo),
        Command::Region(RegionCommand::SetWebhook {
            region,
            url,
            secret_file,
            secret,
            keep_previous,
        }) => {
            if meldcode::regions::latest().region(&region).is_none() {
                bail!("{region} is not a Veilig Thuis region (VT01 … VT27)");
            }
            check_webhook_url(&url)?;
            let secret = match (secret_file, secret) {
                (Some(file), None) => read_secret(&file)?,
                (None, Some(secret)) => secret,
                _ => bail!("give the secret once: --secret-file FILE (or -) or --secret"),
            };
            signature::secret_key(&secret)?;
            let until = keep_previous.map(|hours| now + chrono::Duration::hours(i64::from(hours)));
            let conn = db.open()?;
            outbox::set_webhook(&conn, &region, &url, &secret, until, now)?;
            match until.filter(|_| outbox::previous_secret(&conn, &region, now).is_ok_and(|p| p.is_some())) {
                Some(until) => println!(
                    "webhook of {region} set; the previous secret signs too until {}",
                    crate::db::ts(until)
                ),
                None => println!("webhook of {region} set"),
            }
            Ok(())
        }
        Command::Region(RegionCommand::SetNotify { region, email }) => {
            if meldcode::regions::latest().region(&region).is_none() {
                bail!("{region} is not a Veilig Thuis region (VT01 … VT27)");
            }
            let address =
                notify::parse_address(&email).with_context(|| format!("{email:?} is not an e-mail address"))?;
            crate::store::notices::set_address(&db.open()?, &region, address.as_ref(), now)?;
            println!("notification address of {region} set");
            Ok(())
        }
        Command::RegionKeys(RegionKeysCommand::Set { list, sig }) => region_keys::set(&db, &list, &sig, now),
        Command::RegionKeys(RegionKeysCommand::Show) => region_keys::show(&db),
        Command::Deadletters(DeadlettersCommand::List) => {
            println!("delivery_id\treport_id\tvt_region\tattempts\tdead_at\tlast_error");
            for d in outbox::dead_letters(&db.open()?)? {
                let error = shown(&d.last_error.unwrap_or_default());
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{error}",
                    d.delivery_id, d.report_id, d.vt_region, d.attempts, d.dead_at
                );
            }
            Ok(())
        }
        Command::Deadletters(DeadlettersCommand::Replay { delivery_id }) => {
            let n = outbox::replay(&db.open()?, delivery_id.as_deref(), now)?;
            if n == 0 && delivery_id.is_some() {
                bail!("no dead letter with that delivery id");
            }
            println!("queued {n} dead letter(s) again");
            Ok(())
        }
        Command::Purge => {
            let n = retention::purge(&mut db.open()?, &settings, now)?;
            println!("purged the personal data of {n} report(s)");
            Ok(())
        }
        Command::Pharmacy(PharmacyCommand::Add {
            name,
            gemeente,
            phone,
            address,
        }) => {
            let vt_region = region_of_gemeente(&gemeente)?;
            for (what, value) in [
                ("name", Some(&name)),
                ("phone", phone.as_ref()),
                ("address", address.as_ref()),
            ] {
                if value.is_some_and(|v| v.trim().is_empty() || v.chars().count() > 200) {
                    bail!("the {what} must be 1 to 200 characters");
                }
            }
            let conn = db.open()?;
            demo::refuse_if_seeded(&conn)??;
            let (phone, address) = (phone.as_deref().map(str::trim), address.as_deref().map(str::trim));
            let id = directory::add_pharmacy(&conn, name.trim(), &gemeente, &vt_region, phone, address, now)?;
            println!("{}", directory::issue_enrollment_code(&conn, id, now)?);
            Ok(())
        }
        Command::Pharmacy(PharmacyCommand::List) => {
            let conn = db.open()?;
            println!("id\tname\tgemeente\tvt_region\tdevices\tphone\taddress");
            for p in directory::list_pharmacies(&conn)? {
                let phone = shown(&p.phone.unwrap_or_default());
                let address = shown(&p.address.unwrap_or_default());
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{phone}\t{address}",
                    p.id,
                    shown(&p.name),
                    p.gemeente,
                    p.vt_region,
                    p.devices
                );
            }
            Ok(())
        }
        Command::Pharmacy(PharmacyCommand::Code { name_or_id }) => {
            let conn = db.open()?;
            demo::refuse_if_seeded(&conn)??;
            let Some(id) = directory::find_pharmacy_by_name_or_id(&conn, &name_or_id)? else {
                bail!("no pharmacy named {name_or_id} or with that id (see `pharmacy list`)");
            };
            println!("{}", directory::issue_enrollment_code(&conn, id, now)?);
            Ok(())
        }
        Command::Device(DeviceCommand::List { all }) => {
            let devices = directory::list_devices(&db.open()?)?;
            for d in devices.into_iter().filter(|d| all || d.revoked_at.is_none()) {
                let last_seen = d.last_seen_at.unwrap_or_else(|| "-".into());
                let revoked = d.revoked_at.map(|at| format!("\trevoked {at}")).unwrap_or_default();
                println!(
                    "{}\t{}\t{}\t{}\t{last_seen}{revoked}",
                    d.id,
                    shown(&d.pharmacy),
                    shown(&d.name),
                    d.enrolled_at
                );
            }
            Ok(())
        }
        Command::Device(DeviceCommand::Revoke { device_id }) => {
            if !directory::revoke_device(&db.open()?, device_id, now)? {
                bail!("no active device with id {device_id} (see `device list`)");
            }
            println!("revoked device {device_id}");
            Ok(())
        }
        Command::User(UserCommand::Add { role, region, name }) => {
            let (role, region) = match (role, region) {
                (RoleArg::Intake, Some(r)) if meldcode::regions::latest().region(&r).is_some() => {
                    (Role::Intake, Some(r))
                }
                (RoleArg::Intake, Some(r)) => bail!("{r} is not a Veilig Thuis region (VT01 … VT27)"),
                (RoleArg::Intake, None) => bail!("an intake user needs --region VTnn"),
                (RoleArg::Evaluator, None) => (Role::Evaluator, None),
                (RoleArg::Evaluator, Some(_)) => bail!("an evaluator sees every region: leave out --region"),
            };
            if name.trim().is_empty() || name.chars().count() > 200 {
                bail!("the name must be 1 to 200 characters");
            }
            let conn = db.open()?;
            demo::refuse_if_seeded(&conn)??;
            let hash = auth::hash_password(&read_password()?)?;
            if !directory::add_user(&conn, &name, role, region.as_deref(), &hash, now)? {
                bail!("a user named {name} exists already");
            }
            println!("added {} user {name}", role.code());
            Ok(())
        }
        Command::User(UserCommand::Disable { name }) => {
            if !directory::disable_user(&mut db.open()?, &name, now)? {
                bail!("no active user named {name}");
            }
            println!("disabled {name}");
            Ok(())
        }
        Command::User(UserCommand::ResetPassword { name }) => {
            let hash = auth::hash_password(&read_password()?)?;
            if !directory::set_password(&mut db.open()?, &name, &hash)? {
                bail!("no user named {name}");
            }
            println!("password of {name} reset");
            Ok(())
        }
        Command::User(UserCommand::Reset2fa { name }) => {
            if !directory::second_factor::reset(&mut db.open()?, &name)? {
                bail!("no user named {name}");
            }
            println!("second factor of {name} removed; their sessions ended; the next sign-in sets it up again");
            Ok(())
        }
    }
}

/// Text from the database or the network, safe for the admin's terminal: a control character
/// (a tab that would forge a column, a newline that would forge a row, an escape sequence that
/// would change the terminal) is printed as its `\u{..}` escape instead.
fn shown(text: &str) -> String {
    text.chars()
        .map(|ch| {
            if meldcode::validate::is_unprintable(ch) {
                ch.escape_unicode().to_string()
            } else {
                ch.to_string()
            }
        })
        .collect()
}

fn region_of_gemeente(gemeente: &str) -> anyhow::Result<String> {
    let table = meldcode::regions::table_for_year(meldcode::amsterdam_year(Utc::now()));
    match table.region_of(gemeente) {
        Some(r) => Ok(r.code.clone()),
        None => bail!(
            "{gemeente} is not a municipality code of {} (e.g. GM0363 for Amsterdam)",
            table.year
        ),
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < auth::MIN_PASSWORD_CHARS {
        bail!(
            "the password (first line of standard input) needs at least {} characters",
            auth::MIN_PASSWORD_CHARS
        );
    }
    Ok(password)
}

/// A webhook secret from a file, or from standard input for `-`; surrounding whitespace is not
/// part of it.
fn read_secret(file: &std::path::Path) -> anyhow::Result<String> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin().lock()).context("reading the secret from standard input")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading the secret from {}", file.display()))?
    };
    Ok(text.trim().to_owned())
}

/// https anywhere; plain http only to this machine (`meldcode::endpoint`).
fn check_webhook_url(url: &str) -> anyhow::Result<()> {
    meldcode::endpoint::parse_https_or_loopback(url)
        .map(|_| ())
        .with_context(|| format!("a webhook URL must be https (plain http only on loopback): {url}"))
}

fn serve(db: DbConfig, settings: Settings, listen: &str, seed_demo: bool) -> anyhow::Result<()> {
    // Held until the server has stopped: restore and rekey refuse while it is held.
    let _lock =
        upkeep::try_lock(&db.path)?.with_context(|| format!("another server holds {} already", db.path.display()))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let store = Store::open(&db)
            .await
            .with_context(|| format!("opening {}", db.path.display()))?;
        let demo_keys = seed_demo.then(|| crate::demo_keys::dir_for(&db.path));
        let served = serve_store(store.clone(), settings, listen, demo_keys).await;
        // Before the process exits: SQLCipher's exit handler frees memory that a connection
        // thread still closing its file would use (a segfault at exit, seen on a refused start).
        store.close().await;
        served
    })
}

/// Seed the demo when asked, listen, and serve until a shutdown signal.
/// `demo_keys`: with `--demo`, the folder of the demo's identities.
async fn serve_store(
    store: Store,
    settings: Settings,
    listen: &str,
    demo_keys: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    http::listener::check_listen_address(listen, settings.public_url.is_some()).await?;
    let demo_info = if let Some(dir) = demo_keys {
        let info = store.call(|c| demo::seed(c, Utc::now())).await??;
        let plaintext = crate::demo_keys::plaintext_asked()?;
        let keys = store
            .call(move |c| Ok(crate::demo_keys::ensure(c, &dir, plaintext, Utc::now())))
            .await??;
        Some((info, keys))
    } else {
        store.read(demo::refuse_if_seeded).await??;
        None
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    // The lines for whoever started the server, written at once: a reader that stops after the
    // first lines (`serve --demo | head -1`) or goes away must not stop a server that runs.
    let mut lines = vec![format!("url=http://{addr}")];
    if let Some((info, keys)) = demo_info {
        lines.push(format!("enrollment_code={}", info.enrollment_code));
        lines.push(format!("intake_user={}", demo::INTAKE_USER));
        lines.push(format!("evaluator_user={}", demo::EVALUATOR_USER));
        lines.push(format!("password={}", demo::PASSWORD));
        lines.push(format!("totp_secret={}", demo::TOTP_SECRET));
        lines.push(format!("scheme_key={}", keys.scheme_key));
        lines.push(format!(
            "region_key_passphrase={}",
            crate::demo_keys::REGION_KEY_PASSPHRASE
        ));
        lines.push(format!("demo_keys={}", keys.dir.display()));
        // Every region's intake user (a report goes to the region of its gemeente), and the
        // one of the demo pharmacy's own gemeente.
        let all: Vec<String> = demo::intake_users()
            .into_iter()
            .map(|(r, u)| format!("{r}:{u}"))
            .collect();
        lines.push(format!("intake_users={}", all.join(",")));
        if let Some(home) = demo::home_intake_user() {
            lines.push(format!("home_intake_user={home}"));
        }
    }
    let text = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        tracing::warn!(error = %e, "the start-up lines could not be written to standard output");
    }
    drop(stdout);
    tracing::info!(%addr, "masker19-server listening");
    let settings = Arc::new(settings);
    let forwarder = Forwarder::new(store.clone(), settings.clone())?;
    let state = http::AppState {
        store: store.clone(),
        access: http::Access::new(&settings),
        forwarder_wake: forwarder.wake.clone(),
        stats_cache: Default::default(),
        practice_cache: Default::default(),
        stats_days_ahead: settings.stats_days_ahead,
        committer: http::Committer::start(store.clone()),
        retention: settings.retention(),
        forwarder_heartbeat: forwarder.heartbeat.clone(),
        metrics: crate::observe::Metrics::install(settings.metrics_token.as_deref())?.map(Arc::new),
        front_door: Arc::new(http::front_door::FrontDoor::from_env(
            settings.public_url.as_ref(),
            Utc::now(),
        )?),
    };
    let forwarder_heartbeat = forwarder.heartbeat.clone();
    tokio::spawn(forwarder.run());
    match notify::Notifier::new(store.clone(), settings.clone())? {
        Some(notifier) => drop(tokio::spawn(notifier.run())),
        None => tracing::info!("MASKER19_SMTP_HOST is not set: e-mail notices are queued, not sent"),
    }
    tokio::spawn(retention_task(store.clone(), settings.clone()));
    let served = http::listener::Served {
        router: http::router(state),
        limits: http::listener::Limits::for_this_process(),
        trusted_proxies: settings.trusted_proxies.clone(),
        hsts: settings.https(),
    };
    // READY=1 first, then the watchdog's pings: the service manager hears them in that order.
    crate::service::ready();
    crate::service::spawn_watchdog(store, forwarder_heartbeat);
    http::listener::serve(listener, served, shutdown()).await;
    Ok(())
}

/// Purge at start and every hour.
async fn retention_task(store: Store, settings: Arc<Settings>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let s = settings.clone();
        match store.call(move |c| retention::purge(c, &s, Utc::now())).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reports = n, "retention: personal data purged"),
            Err(e) => tracing::error!(error = %e, "retention purge failed; next hour again"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_terminal_never_gets_a_control_character() {
        assert_eq!(super::shown("Kassa 2 — Één"), "Kassa 2 — Één");
        let forged = super::shown("a\tb\nc\u{1b}[2J\u{202e}d");
        assert_eq!(forged, "a\\u{9}b\\u{a}c\\u{1b}[2J\\u{202e}d");
        assert!(!forged.chars().any(meldcode::validate::is_unprintable));
    }
}
