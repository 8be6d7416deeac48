//! On Windows the executable carries a neutral name and icon in its resources: Explorer, the
//! taskbar and Task Manager show "Apotheek" and a plain pharmacy cross, never what the app is
//! for. Other targets need nothing here.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../assets/icon/apotheek.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let Ok(manifest_dir) = std::env::var("CARGO_MANIFEST_DIR") else {
        panic!("cargo sets CARGO_MANIFEST_DIR for build scripts");
    };
    let icon = std::path::Path::new(&manifest_dir).join("../assets/icon/apotheek.ico");
    let mut res = winresource::WindowsResource::new();
    res.set_icon(&icon.to_string_lossy())
        .set("ProductName", "Apotheek")
        .set("FileDescription", "Apotheek")
        .set("InternalName", "Apotheek")
        .set("OriginalFilename", "Apotheek.exe")
        .set("LegalCopyright", "EUPL-1.2")
        // Dutch (Netherlands).
        .set_language(0x0413);
    // Only the program itself: tests and examples link without it.
    if let Err(e) = res.compile_for("masker19") {
        panic!("the Windows resources (icon, name) did not compile with windres: {e}");
    }
}
