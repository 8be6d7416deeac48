//! `masker19-server`: the HTTP server and its admin CLI (contract: docs/contract.md;
//! map: ARCHITECTURE.md).

mod auth;
mod cli;
mod db;
mod demo;
mod demo_keys;
mod forward;
mod http;
mod notify;
mod observe;
mod service;
mod settings;
mod stats;
mod store;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let log = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("MASKER19_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr);
    // One JSON object per line for a log collector; plain text for a person.
    if std::env::var("MASKER19_LOG_FORMAT").is_ok_and(|f| f == "json") {
        log.json().init();
    } else {
        log.init();
    }
    match cli::run(cli::Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("masker19-server: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
