//! Reading an armored age v1 file's header without any key: how many recipient stanzas of
//! which type it has. The armor is undone by the `age` crate; the header is lines of text
//! (age-encryption.org/v1): the version line, stanzas `-> TYPE ARGS` each followed by its body
//! wrapped at 64 columns, and the MAC line `--- …`.

use std::io::Read;

use age::armor::ArmoredReader;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// The recipient stanzas of an age file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// X25519 stanzas with a 32-byte ephemeral share and a 32-byte wrapped key.
    pub x25519: usize,
    /// Stanzas of any other type (scrypt, ssh-ed25519, plugins).
    pub other: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderProblem {
    #[error("the ASCII armor is broken: {0}")]
    Armor(String),
    #[error("it does not start with age-encryption.org/v1")]
    Version,
    #[error("a recipient stanza is malformed")]
    Stanza,
    #[error("the header has no MAC line")]
    NoMac,
}

const VERSION_LINE: &[u8] = b"age-encryption.org/v1";
const MAX_HEADER_LINES: usize = 4096;

/// The recipient stanzas of an armored age file.
pub fn read_header(armored: &str) -> Result<Header, HeaderProblem> {
    let mut bytes = Vec::new();
    ArmoredReader::new(armored.as_bytes())
        .read_to_end(&mut bytes)
        .map_err(|e| HeaderProblem::Armor(e.to_string()))?;
    let mut lines = bytes.split(|b| *b == b'\n');
    if lines.next() != Some(VERSION_LINE) {
        return Err(HeaderProblem::Version);
    }
    let mut header = Header { x25519: 0, other: 0 };
    let mut in_body = false;
    for line in lines.take(MAX_HEADER_LINES) {
        if in_body {
            if STANDARD_NO_PAD.decode(line).is_err() || line.len() > 64 {
                return Err(HeaderProblem::Stanza);
            }
            in_body = line.len() == 64;
            continue;
        }
        if line.starts_with(b"--- ") {
            return Ok(header);
        }
        let Some(args) = line.strip_prefix(b"-> ") else {
            return Err(HeaderProblem::Stanza);
        };
        let args: Vec<&[u8]> = args.split(|b| *b == b' ').collect();
        let share_ok = |s: &[u8]| STANDARD_NO_PAD.decode(s).is_ok_and(|k| k.len() == 32);
        match args.as_slice() {
            [b"X25519", share] if share_ok(share) => header.x25519 += 1,
            [b"X25519", ..] => return Err(HeaderProblem::Stanza),
            [kind, ..] if !kind.is_empty() => header.other += 1,
            _ => return Err(HeaderProblem::Stanza),
        }
        in_body = true;
    }
    Err(HeaderProblem::NoMac)
}
