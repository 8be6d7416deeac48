//! The CLI's arguments (the contract: docs/contract.md, "Command line"): what clap parses,
//! nothing that runs; [`super::run`] carries them out.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "masker19-server",
    version,
    about = "Masker 19: reports from pharmacies to the regional Veilig Thuis"
)]
pub struct Cli {
    /// The SQLite (SQLCipher) database file.
    #[arg(long, global = true, default_value = "masker19.db")]
    pub db: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the HTTP server.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8019")]
        listen: String,
        /// Seed demo data once (pharmacy, users, counting records) and print how to use it.
        #[arg(long)]
        demo: bool,
    },
    /// Pharmacies and their enrollment codes.
    #[command(subcommand)]
    Pharmacy(PharmacyCommand),
    /// Enrolled devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Intake and evaluator users.
    #[command(subcommand)]
    User(UserCommand),
    /// A Veilig Thuis region's webhook.
    #[command(subcommand)]
    Region(RegionCommand),
    /// The region key list: which regions receive sealed reports, sealed to which keys.
    #[command(subcommand, name = "region-keys")]
    RegionKeys(RegionKeysCommand),
    /// Deliveries that failed seven retries.
    #[command(subcommand)]
    Deadletters(DeadlettersCommand),
    /// Purge personal data that is past its retention now (the server also does this hourly).
    Purge,
    /// Write a consistent, encrypted copy of the database (also while the server runs), check it,
    /// and print `backup=FILE sha256=HEX reports=N`. Never overwrites a file.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the database by a backup (the server must be stopped); the current file is kept
    /// as `DB.before-restore-<UTC time>`.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Re-encrypt the database with the key in FILE (mode 0600; the server must be stopped).
    Rekey {
        #[arg(long)]
        new_key_file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum RegionCommand {
    /// Set (and re-enable) the region's webhook: https, or http on loopback only.
    SetWebhook {
        /// VT01 … VT27
        region: String,
        #[arg(long)]
        url: String,
        /// A file holding the secret, `whsec_` followed by base64; `-` reads standard input.
        #[arg(long, required_unless_present = "secret", conflicts_with = "secret")]
        secret_file: Option<PathBuf>,
        /// The secret itself (visible in `ps` and shell history: prefer --secret-file).
        #[arg(long)]
        secret: Option<String>,
        /// Sign with the previous secret too for this many hours, so that the region can switch
        /// its receiver over in that time.
        #[arg(long, value_name = "HOURS", value_parser = clap::value_parser!(u32).range(1..=8760))]
        keep_previous: Option<u32>,
    },
    /// Set the region's notification address: an e-mail without report content on each new or
    /// transferred report (SMTP from `MASKER19_SMTP_*`).
    SetNotify {
        /// VT01 … VT27
        region: String,
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
pub enum DeadlettersCommand {
    /// List dead letters.
    List,
    /// Queue dead letters again: one by its delivery id, or all.
    Replay { delivery_id: Option<String> },
}

#[derive(Subcommand)]
pub enum PharmacyCommand {
    /// Add a pharmacy; prints its one-time enrollment code (valid 7 days).
    Add {
        #[arg(long)]
        name: String,
        /// CBS municipality code, e.g. GM0363.
        #[arg(long)]
        gemeente: String,
        #[arg(long)]
        phone: Option<String>,
        /// Street, number and place, shown to Veilig Thuis intake staff.
        #[arg(long)]
        address: Option<String>,
    },
    /// List pharmacies.
    List,
    /// Print a fresh one-time enrollment code (valid 7 days) for an existing pharmacy.
    Code {
        /// The pharmacy's name, or its id from `pharmacy list`.
        name_or_id: String,
    },
}

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// One line per active device: device id, pharmacy, device name, enrolled, last seen.
    List {
        /// Also revoked devices, with the time of revocation in a sixth column.
        #[arg(long)]
        all: bool,
    },
    /// Revoke a device by its id (from `device list`): its token answers 401 from then on.
    Revoke { device_id: i64 },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Intake,
    Evaluator,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is the first line of standard input (at least 12 characters).
    Add {
        #[arg(long)]
        role: RoleArg,
        /// The Veilig Thuis region (intake users), e.g. VT01.
        #[arg(long)]
        region: Option<String>,
        /// The login name.
        #[arg(long)]
        name: String,
    },
    /// Disable a user; their sessions end at once.
    Disable { name: String },
    /// Set a new password, read from the first line of standard input.
    ResetPassword { name: String },
    /// Remove the user's second factor and recovery codes and end their sessions: the next
    /// sign-in on the login page sets up a new one.
    #[command(name = "reset-2fa")]
    Reset2fa { name: String },
}

#[derive(Subcommand)]
pub enum RegionKeysCommand {
    /// Put a new version of the region key list in force, after checking its minisign signature
    /// with the scheme's public key in MASKER19_SCHEME_KEY (`RW…`). Refused: a bad signature, a
    /// version not above the one in force, an unknown region, a malformed key, a region without
    /// a recovery key.
    Set {
        /// The list (UTF-8 JSON) exactly as signed.
        #[arg(long)]
        list: PathBuf,
        /// Its signature, as `minisign -S -m LIST` wrote it (`LIST.minisig`).
        #[arg(long)]
        sig: PathBuf,
    },
    /// Print the version in force, when it was issued, and the key ids per region.
    Show,
}
