//! Arbitrary bytes → lossy UTF-8 → `convert_html`: no panic, and the output
//! is a fixed point of `convert_post` (Markdown and Auto).
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    checks::body(&String::from_utf8_lossy(data));
});
