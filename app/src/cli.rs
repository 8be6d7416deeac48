//! The command line (docs/contract.md): `masker19` opens the window;
//! `masker19 --server URL --enroll CODE` enrolls and exits; `masker19 --sync` sends what is
//! queued and exits.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Run,
    Enroll {
        server: String,
        code: String,
        pin: Option<String>,
        device_name: String,
        /// The scheme's minisign public key (`RW…`): only region key lists it signed are used
        /// to seal reports.
        scheme_key: Option<String>,
    },
    /// Send every queued report now (one sync pass), then exit: 0 when nothing is left to send.
    Sync,
    Help,
}

pub const USAGE: &str = "\
masker19 — de apotheek-app van Masker 19

  masker19                                   open het venster
  masker19 --server URL --enroll CODE [--pin PIN] [--device-name NAAM] [--scheme-key RW…]
                                             koppel dit apparaat en stop (exit 0 als gekoppeld);
                                             --scheme-key: de publieke sleutel van de regeling
                                             waarmee de sleutellijst van Veilig Thuis is getekend
  masker19 --sync                            verstuur wat klaarstaat en stop
                                             (exit 0 als er niets meer te versturen is)

MASKER19_DATA_DIR   de lokale gegevensmap (standaard: de gegevensmap van het platform)
";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    #[error("unknown argument {0:?}")]
    Unknown(String),
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error("--server and --enroll go together")]
    Incomplete,
    #[error("--sync stands alone")]
    SyncAlone,
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, CliError> {
    let mut args = args.into_iter();
    let (mut server, mut code, mut pin, mut device, mut scheme_key) = (None, None, None, None, None);
    let mut sync = false;
    while let Some(a) = args.next() {
        if a == "--sync" {
            sync = true;
            continue;
        }
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (a.clone(), None),
        };
        let slot = match flag.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--server" => &mut server,
            "--enroll" => &mut code,
            "--pin" => &mut pin,
            "--device-name" => &mut device,
            "--scheme-key" => &mut scheme_key,
            _ => return Err(CliError::Unknown(a)),
        };
        let value = inline.or_else(|| args.next()).ok_or(CliError::MissingValue(flag))?;
        *slot = Some(value);
    }
    if sync {
        let alone = server.is_none() && code.is_none() && pin.is_none() && device.is_none() && scheme_key.is_none();
        return if alone {
            Ok(Command::Sync)
        } else {
            Err(CliError::SyncAlone)
        };
    }
    match (server, code) {
        (None, None) if pin.is_none() && device.is_none() && scheme_key.is_none() => Ok(Command::Run),
        (Some(server), Some(code)) => Ok(Command::Enroll {
            server,
            code,
            pin,
            device_name: device.unwrap_or_else(|| "apotheek-app".to_owned()),
            scheme_key,
        }),
        _ => Err(CliError::Incomplete),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, CliError> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn the_contract_commands_parse() {
        assert_eq!(p(&[]), Ok(Command::Run));
        assert_eq!(
            p(&["--server", "https://x.nl", "--enroll=abc"]),
            Ok(Command::Enroll {
                server: "https://x.nl".into(),
                code: "abc".into(),
                pin: None,
                device_name: "apotheek-app".into(),
                scheme_key: None,
            })
        );
        assert!(matches!(
            p(&["--server", "https://x.nl", "--enroll", "abc", "--scheme-key", "RWabc"]),
            Ok(Command::Enroll { scheme_key: Some(k), .. }) if k == "RWabc"
        ));
        assert_eq!(p(&["--server", "https://x.nl"]), Err(CliError::Incomplete));
        assert_eq!(p(&["--enroll"]), Err(CliError::MissingValue("--enroll".into())));
        assert!(matches!(p(&["--bogus"]), Err(CliError::Unknown(_))));
        assert_eq!(p(&["-h"]), Ok(Command::Help));
        assert_eq!(p(&["--sync"]), Ok(Command::Sync));
        assert_eq!(p(&["--sync", "--server", "https://x.nl"]), Err(CliError::SyncAlone));
        assert_eq!(p(&["--sync=1"]), Err(CliError::Unknown("--sync=1".into())));
    }
}
