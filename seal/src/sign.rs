//! Making keys and signing lists, for `serve --demo` and tests only: a real scheme makes its keys
//! with `age-keygen` and `minisign -G`, and signs each list with `minisign -S`, offline.

use std::io::{Cursor, Write};
use std::str::FromStr;

use age::armor::{ArmoredWriter, Format};
use age::secrecy::{ExposeSecret, SecretString};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SignError(String);

/// A scheme key pair (minisign, Ed25519, no password on the secret key).
pub struct SchemeKey {
    keys: minisign::KeyPair,
}

impl SchemeKey {
    pub fn generate() -> Result<SchemeKey, SignError> {
        let keys = minisign::KeyPair::generate_unencrypted_keypair().map_err(|e| SignError(e.to_string()))?;
        Ok(SchemeKey { keys })
    }

    /// The public key as devices and `MASKER19_SCHEME_KEY` take it: `RW…`.
    pub fn public(&self) -> String {
        self.keys.pk.to_base64()
    }

    /// The text of a minisign `.pub` file.
    pub fn public_file(&self) -> Result<String, SignError> {
        self.keys
            .pk
            .to_box()
            .map(|b| b.to_string())
            .map_err(|e| SignError(e.to_string()))
    }

    /// The text of a minisign secret key file (unencrypted).
    pub fn secret_file(&self) -> Result<String, SignError> {
        self.keys
            .sk
            .to_box(None)
            .map(|b| b.to_string())
            .map_err(|e| SignError(e.to_string()))
    }

    /// The text of the `.minisig` file `minisign -S -m` would write for `list`.
    pub fn sign(&self, list: &[u8]) -> Result<String, SignError> {
        minisign::sign(
            Some(&self.keys.pk),
            &self.keys.sk,
            Cursor::new(list),
            Some("Masker 19 region key list"),
            Some("signature from the Masker 19 scheme key"),
        )
        .map(|b| b.to_string())
        .map_err(|e| SignError(e.to_string()))
    }
}

/// A new age X25519 identity: the text of an identity file as `age-keygen` writes it, and its
/// recipient (`age1…`).
pub fn new_identity(created: &str) -> (String, String) {
    let identity = age::x25519::Identity::generate();
    let public = identity.to_public().to_string();
    let file = format!(
        "# created: {created}\n# public key: {public}\n{}\n",
        identity.to_string().expose_secret()
    );
    (file, public)
}

/// `plaintext` encrypted with a passphrase (`age -p`, scrypt with work factor `2^log_n`), armored.
pub fn wrap_with_passphrase(plaintext: &[u8], passphrase: &str, log_n: u8) -> Result<String, SignError> {
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
    recipient.set_work_factor(log_n);
    let err = |e: &dyn std::fmt::Display| SignError(e.to_string());
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient)).map_err(|e| err(&e))?;
    let mut out = Vec::new();
    let armored = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).map_err(|e| err(&e))?;
    let mut writer = encryptor.wrap_output(armored).map_err(|e| err(&e))?;
    writer.write_all(plaintext).map_err(|e| err(&e))?;
    writer.finish().and_then(|a| a.finish()).map_err(|e| err(&e))?;
    String::from_utf8(out).map_err(|e| err(&e))
}

/// Whether `identity_file` holds an age identity whose recipient is `public`.
pub fn identity_matches(identity_file: &str, public: &str) -> bool {
    identity_file
        .lines()
        .filter_map(|l| age::x25519::Identity::from_str(l.trim()).ok())
        .any(|i| i.to_public().to_string() == public)
}
