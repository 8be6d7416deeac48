//! Platform shims: where the app keeps its data, and where the outbox key lives. Everything that
//! differs between Linux, macOS, Windows, Android and iOS sits here, behind small functions.
//!
//! The key of the encrypted outbox is kept in the OS keyring where there is one (macOS/iOS
//! Keychain, Windows Credential Manager, the Secret Service on a Linux desktop session), else in a
//! key file `outbox.key` with mode 0600 beside the database. There is no keyring under Xvfb or
//! in CI; `MASKER19_KEYRING=off` forces the key file.

use std::path::{Path, PathBuf};

/// The local data directory: `MASKER19_DATA_DIR`, else the platform's data directory.
pub fn data_dir() -> Result<PathBuf, KeyError> {
    if let Some(dir) = std::env::var_os("MASKER19_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    platform_data_dir().ok_or(KeyError::NoDataDir)
}

#[cfg(not(any(target_os = "android", target_os = "ios")))]
fn platform_data_dir() -> Option<PathBuf> {
    dirs::data_local_dir().map(|d| d.join("masker19"))
}

/// Android: the app's private files directory (set by the launcher as `MASKER19_DATA_DIR`, or the
/// conventional path of the package). iOS: the app container's Application Support.
#[cfg(target_os = "android")]
fn platform_data_dir() -> Option<PathBuf> {
    Some(PathBuf::from("/data/data/nl.masker19.app/files"))
}

#[cfg(target_os = "ios")]
fn platform_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("masker19"))
}

/// The window's class and application id on a Linux desktop (`WM_CLASS` "apotheek",
/// "Apotheek"; the Wayland app id): what taskbars group by and may show, so as neutral as the
/// title.
pub const WINDOW_CLASS: &str = "apotheek";

/// Name the window's class before the first window exists: GTK takes the program's name (and
/// the same, capitalised, as the class) otherwise. Elsewhere the title is all there is.
#[cfg(all(target_os = "linux", feature = "desktop"))]
pub fn name_window_class() {
    glib::set_prgname(Some(WINDOW_CLASS));
}

#[cfg(not(all(target_os = "linux", feature = "desktop")))]
pub fn name_window_class() {}

/// The window's icon, a plain pharmacy cross (`assets/icon/apotheek.png`), as RGBA pixels with
/// its width and height; `None` if it cannot be read (the window then shows the default).
pub fn window_icon() -> Option<(Vec<u8>, u32, u32)> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(WINDOW_ICON_PNG));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
        png::ColorType::GrayscaleAlpha => buf.chunks(2).flat_map(|p| [p[0], p[0], p[0], p[1]]).collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return None,
    };
    Some((rgba, info.width, info.height))
}

const WINDOW_ICON_PNG: &[u8] = include_bytes!("../../assets/icon/apotheek.png");

pub use cipherdb::DbKey;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("no data directory: set MASKER19_DATA_DIR")]
    NoDataDir,
    #[error("the outbox exists but its key is missing (no key file, nothing in the keyring)")]
    Missing,
    /// The key's own rules (never empty or short, a key file only its owner can read).
    #[error(transparent)]
    Key(#[from] cipherdb::KeyError),
}

/// The key file beside the database.
pub fn key_file(dir: &Path) -> PathBuf {
    dir.join("outbox.key")
}

/// The key of the outbox in `dir`: from the key file, else from the keyring. When there is no
/// key and `db_exists` is false a new one is made and stored (keyring first, else key file); when
/// the database exists but its key is gone this fails: a new key would never open it.
/// `use_keyring` is normally [`keyring_enabled`]; tests pass `false`.
pub fn load_or_create_key(dir: &Path, db_exists: bool, use_keyring: bool) -> Result<DbKey, KeyError> {
    let file = key_file(dir);
    if let Some(key) = cipherdb::read_key_file(&file, DbKey::raw)? {
        return Ok(key);
    }
    if let Some(hex) = use_keyring.then(|| keyring::get(dir)).flatten() {
        return Ok(DbKey::raw(&hex)?);
    }
    if db_exists {
        return Err(KeyError::Missing);
    }
    let key = DbKey::random()?;
    if !(use_keyring && keyring::set(dir, key.as_text())) {
        cipherdb::create_key_file(&file, &key)?;
    }
    Ok(key)
}

/// Whether the OS keyring is used here (`MASKER19_KEYRING=off|on` overrides the platform's
/// default).
pub fn keyring_enabled() -> bool {
    keyring::enabled()
}

/// Restrict a file to its owner (the database and its WAL).
pub fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The OS keyring, through the `keyring` crate; every failure means "no keyring here".
mod keyring {
    use std::path::Path;

    const SERVICE: &str = "nl.masker19.outbox";

    pub fn enabled() -> bool {
        match std::env::var("MASKER19_KEYRING").as_deref() {
            Ok("off") | Ok("0") => false,
            Ok("on") | Ok("1") => true,
            // A Linux desktop has a Secret Service only inside a session bus; never autolaunch one.
            _ if cfg!(all(target_os = "linux", not(target_os = "android"))) => {
                std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
            }
            _ => cfg!(any(target_os = "macos", target_os = "ios", target_os = "windows")),
        }
    }

    /// One entry per data directory, so that two installations never share a key.
    fn entry(dir: &Path) -> Option<::keyring::Entry> {
        let user = hex::encode(dir.to_string_lossy().as_bytes());
        ::keyring::Entry::new(SERVICE, &user).ok()
    }

    pub fn get(dir: &Path) -> Option<String> {
        entry(dir)?.get_password().ok()
    }

    /// Store the key and read it back; `false` when there is no working keyring.
    pub fn set(dir: &Path, hex: &str) -> bool {
        let Some(e) = entry(dir) else { return false };
        e.set_password(hex).is_ok() && e.get_password().ok().as_deref() == Some(hex)
    }
}

/// Open the phone's dialer for `number` where the platform has one; on desktop the screen shows
/// the number to call on a phone. Android/iOS: wire to an `ACTION_DIAL`/`tel:` intent in the
/// platform shell (see the README); not possible to build here.
pub fn can_dial() -> bool {
    cfg!(any(target_os = "android", target_os = "ios"))
}
