//! Arbitrary text → `split_post` → `parse` → `emit` (every target, YAML and
//! TOML) → `parse` again gives the same model.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        checks::front_matter(text);
    }
});
