//! What a person can do about an error: the flag that fixes it, when there
//! is one. Messages come from the library (also as text, from a batch's
//! records), so they are recognized by their fixed wording.

/// A hint to print after an error message, when one applies.
pub fn for_error(message: &str) -> Option<&'static str> {
    if message.contains("invalid UTF-8") {
        Some(
            "not UTF-8: `--encoding auto` (or `encoding = \"auto\"` in mdmigrate.toml) detects GB18030 and other encodings",
        )
    } else {
        None
    }
}

/// `message`, followed by its hint on the next line when there is one.
pub fn with_hint(message: String) -> String {
    match for_error(&message) {
        Some(hint) => format!("{message}\n  hint: {hint}"),
        None => message,
    }
}
