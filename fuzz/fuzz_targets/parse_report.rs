//! The report parser and every rule of report v1 on arbitrary bytes: no panic, whatever comes in.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    let _ = meldcode::parse_report(data, now);
});
