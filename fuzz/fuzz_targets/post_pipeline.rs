//! Arbitrary bytes → `decode` → `convert_post(Auto)`: no panic, and
//! `convert_post(output, Auto) == output`.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    checks::post(data);
});
