//! The module's C ABI for the page's script (no generated bindings): the script copies bytes in
//! with `m19_alloc`, calls, and reads the answer at `m19_output_ptr` (`m19_output_len` bytes of
//! UTF-8 JSON). The unlocked identity stays in this module's memory until `m19_forget`.

use std::sync::Mutex;

static IDENTITY: Mutex<Option<String>> = Mutex::new(None);
static OUTPUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    /// `crypto.getRandomValues` on `len` bytes at `ptr` of this module's memory.
    fn m19_random(ptr: *mut u8, len: usize);
}

fn random(buf: &mut [u8]) -> Result<(), getrandom02::Error> {
    // SAFETY: the page writes exactly `len` bytes into this module's memory at `ptr`.
    unsafe { m19_random(buf.as_mut_ptr(), buf.len()) };
    Ok(())
}
getrandom02::register_custom_getrandom!(random);

/// Room for `len` bytes the script writes into; give it back with [`m19_free`].
#[unsafe(no_mangle)]
pub extern "C" fn m19_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len.max(1));
    let ptr = v.as_mut_ptr();
    std::mem::forget(v);
    ptr
}

/// Wipe and give back what [`m19_alloc`] gave.
///
/// # Safety
/// `ptr` and `len` are exactly one earlier `m19_alloc`'s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn m19_free(ptr: *mut u8, len: usize) {
    // SAFETY: the caller passes back one allocation of `len.max(1)` bytes, written up to `len`.
    let mut v = unsafe { Vec::from_raw_parts(ptr, len, len.max(1)) };
    v.iter_mut().for_each(|b| *b = 0);
}

/// # Safety
/// `ptr..ptr+len` lies in this module's memory.
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    // SAFETY: as the caller promised.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

fn answer(value: serde_json::Value) -> usize {
    let mut out = OUTPUT.lock().unwrap_or_else(|e| e.into_inner());
    out.iter_mut().for_each(|b| *b = 0);
    *out = value.to_string().into_bytes();
    out.len()
}

/// Unlock the wrapped key with the passphrase and keep the identity: the answer is
/// `{"ok": true}` or `{"ok": false, "error"}`; its length is returned.
///
/// # Safety
/// Both ranges lie in this module's memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn m19_unlock(wrapped: *const u8, wrapped_len: usize, pass: *const u8, pass_len: usize) -> usize {
    // SAFETY: as the caller promised.
    let (wrapped, pass) = unsafe { (bytes(wrapped, wrapped_len), bytes(pass, pass_len)) };
    let passphrase = String::from_utf8_lossy(pass);
    match crate::unlock(wrapped, &passphrase) {
        Ok(identity) => {
            *IDENTITY.lock().unwrap_or_else(|e| e.into_inner()) = Some(identity);
            answer(serde_json::json!({"ok": true}))
        }
        Err(error) => answer(serde_json::json!({"ok": false, "error": error})),
    }
}

/// Open a sealed report's envelope (JSON) with the unlocked identity; the answer is
/// [`crate::open_json`]'s. The gemeente of the pharmacy may be empty.
///
/// # Safety
/// Both ranges lie in this module's memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn m19_open(
    envelope: *const u8,
    envelope_len: usize,
    gemeente: *const u8,
    gemeente_len: usize,
) -> usize {
    // SAFETY: as the caller promised.
    let (envelope, gemeente) = unsafe { (bytes(envelope, envelope_len), bytes(gemeente, gemeente_len)) };
    let gemeente = std::str::from_utf8(gemeente).ok().filter(|g| !g.is_empty());
    let identity = IDENTITY.lock().unwrap_or_else(|e| e.into_inner());
    match identity.as_deref() {
        Some(id) => answer(crate::open_json(id, envelope, gemeente)),
        None => answer(serde_json::json!({"ok": false, "error": "Ontgrendel eerst uw sleutel."})),
    }
}

/// Forget the identity (sign-out, idle time, leaving the page).
#[unsafe(no_mangle)]
pub extern "C" fn m19_forget() {
    let mut identity = IDENTITY.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(id) = identity.take() {
        let mut bytes = id.into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
    answer(serde_json::Value::Null);
}

#[unsafe(no_mangle)]
pub extern "C" fn m19_output_ptr() -> *const u8 {
    OUTPUT.lock().unwrap_or_else(|e| e.into_inner()).as_ptr()
}
