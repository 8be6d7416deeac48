//! The fonts the app carries for the client's languages: a computer without an Ethiopic font
//! shows Tigrinya as empty boxes, so Noto Sans Ethiopic (SIL Open Font License 1.1, licence in
//! `assets/fonts/OFL.txt`) is compiled in and declared as a `@font-face` with a `data:` URI,
//! limited to the Ethiopic blocks. Arabic, Cyrillic (Ukrainian) and the Latin languages are
//! covered by the fonts every supported system has (DejaVu on Linux, Segoe UI and Arial on
//! Windows), so nothing else is carried.

use std::sync::LazyLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The family name the client's screen lists (`.client` in `client.css`).
pub const ETHIOPIC_FAMILY: &str = "Noto Sans Ethiopic";

const ETHIOPIC_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSansEthiopic-Regular.ttf");

/// The `@font-face` rules, built once: a font installed on the computer wins, the carried one
/// is the fallback.
pub static FONTS_CSS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "@font-face {{ font-family: \"{ETHIOPIC_FAMILY}\"; font-style: normal; font-weight: 400; \
         src: local(\"{ETHIOPIC_FAMILY}\"), local(\"NotoSansEthiopic-Regular\"), \
         url(data:font/ttf;base64,{}) format(\"truetype\"); \
         unicode-range: U+1200-139F, U+2D80-2DDF, U+AB00-AB2F; }}\n",
        STANDARD.encode(ETHIOPIC_TTF)
    )
});
