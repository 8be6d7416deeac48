//! The admin CLI and `serve`: the edge where errors become messages and exit codes.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::Utc;

use crate::db::{DbConfig, Store};
use crate::store::directory::{self, Role};
use crate::{Cli, Command, DeviceCommand, PharmacyCommand, RoleArg, UserCommand, auth, demo, http};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let db = DbConfig::resolve(&cli.db)?;
    let now = Utc::now();
    match cli.command {
        Command::Serve { listen, demo } => serve(db, &listen, demo),
        Command::Pharmacy(PharmacyCommand::Add { name, gemeente, phone }) => {
            let vt_region = region_of_gemeente(&gemeente)?;
            let conn = db.open()?;
            let id = directory::add_pharmacy(&conn, name.trim(), &gemeente, &vt_region, phone.as_deref(), now)?;
            println!("{}", directory::issue_enrollment_code(&conn, id, now)?);
            Ok(())
        }
        Command::Pharmacy(PharmacyCommand::List) => {
            let conn = db.open()?;
            println!("id\tname\tgemeente\tvt_region\tdevices");
            for p in directory::list_pharmacies(&conn)? {
                println!("{}\t{}\t{}\t{}\t{}", p.id, p.name, p.gemeente, p.vt_region, p.devices);
            }
            Ok(())
        }
        Command::Device(DeviceCommand::Revoke { token_prefix }) => {
            if token_prefix.chars().count() < 6 {
                bail!("give at least the first 6 characters of the device token");
            }
            let n = directory::revoke_devices(&db.open()?, &token_prefix, now)?;
            if n == 0 {
                bail!("no active device token starts with {token_prefix}");
            }
            println!("revoked {n} device(s)");
            Ok(())
        }
        Command::User(UserCommand::Add { role, region, name }) => {
            let (role, region) = match (role, region) {
                (RoleArg::Intake, Some(r)) if meldcode::regions::latest().region(&r).is_some() => (Role::Intake, Some(r)),
                (RoleArg::Intake, Some(r)) => bail!("{r} is not a Veilig Thuis region (VT01 … VT27)"),
                (RoleArg::Intake, None) => bail!("an intake user needs --region VTnn"),
                (RoleArg::Evaluator, None) => (Role::Evaluator, None),
                (RoleArg::Evaluator, Some(_)) => bail!("an evaluator sees every region: leave out --region"),
            };
            if name.trim().is_empty() || name.chars().count() > 200 {
                bail!("the name must be 1 to 200 characters");
            }
            let hash = auth::hash_password(&read_password()?)?;
            if !directory::add_user(&db.open()?, &name, role, region.as_deref(), &hash, now)? {
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
    }
}

fn region_of_gemeente(gemeente: &str) -> anyhow::Result<String> {
    let table = meldcode::regions::table_for_year(meldcode::amsterdam_year(Utc::now()));
    match table.region_of(gemeente) {
        Some(r) => Ok(r.code.clone()),
        None => bail!("{gemeente} is not a municipality code of {} (e.g. GM0363 for Amsterdam)", table.year),
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < auth::MIN_PASSWORD_CHARS {
        bail!("the password (first line of standard input) needs at least {} characters", auth::MIN_PASSWORD_CHARS);
    }
    Ok(password)
}

fn serve(db: DbConfig, listen: &str, seed_demo: bool) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let store = Store::open(&db).await.with_context(|| format!("opening {}", db.path.display()))?;
        let demo_info = if seed_demo { Some(store.call(|c| demo::seed(c, Utc::now())).await?) } else { None };
        let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
        let addr = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "url=http://{addr}")?;
        if let Some(info) = demo_info {
            writeln!(out, "enrollment_code={}", info.enrollment_code)?;
            writeln!(out, "intake_user={}", demo::INTAKE_USER)?;
            writeln!(out, "evaluator_user={}", demo::EVALUATOR_USER)?;
            writeln!(out, "password={}", demo::PASSWORD)?;
        }
        out.flush()?;
        drop(out);
        tracing::info!(%addr, "masker19-server listening");
        let state = http::AppState { store, limiter: Arc::new(auth::LoginLimiter::default()) };
        let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
        Ok(())
    })
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
