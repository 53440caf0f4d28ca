//! CommonMark's flanking rules, for deciding whether an emphasis delimiter
//! we write will actually open and close.
//!
//! Renderers disagree on what "punctuation" is (CommonMark 0.31 counts
//! Unicode symbols, older renderers only punctuation), so a delimiter is
//! accepted only when it works under both readings.

use regex::Regex;
use std::sync::LazyLock;

static PUNCT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{P}$").expect("valid regex"));
static SYMBOL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{S}$").expect("valid regex"));

/// A character class as the flanking rules see it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Class {
    Space,
    Punct,
    Other,
}

/// Unicode punctuation (category P), ASCII punctuation included.
pub fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    // Letters and digits (CJK ideographs among them) are never P or S.
    if c.is_alphanumeric() {
        return false;
    }
    let mut buf = [0u8; 4];
    PUNCT.is_match(c.encode_utf8(&mut buf))
}

/// Unicode symbols (category S), which CommonMark 0.31 counts as punctuation.
pub fn is_symbol(c: char) -> bool {
    if c.is_ascii() || c.is_alphanumeric() {
        return false;
    }
    let mut buf = [0u8; 4];
    SYMBOL.is_match(c.encode_utf8(&mut buf))
}

/// Classes under the two readings: (P only, P and S). `None` is a line edge.
fn classes(c: Option<char>) -> [Class; 2] {
    match c {
        None => [Class::Space, Class::Space],
        Some(c) if c.is_whitespace() => [Class::Space, Class::Space],
        Some(c) if is_punctuation(c) => [Class::Punct, Class::Punct],
        Some(c) if is_symbol(c) => [Class::Other, Class::Punct],
        Some(_) => [Class::Other, Class::Other],
    }
}

fn left_flanking(before: Class, after: Class) -> bool {
    after != Class::Space
        && (after != Class::Punct || matches!(before, Class::Space | Class::Punct))
}

/// Whether a `*`/`~` run between `before` and `after` can open, in both readings.
pub fn can_open(before: Option<char>, after: Option<char>) -> bool {
    let (b, a) = (classes(before), classes(after));
    (0..2).all(|i| left_flanking(b[i], a[i]))
}

/// Whether a `*`/`~` run between `before` and `after` can close, in both readings.
pub fn can_close(before: Option<char>, after: Option<char>) -> bool {
    let (b, a) = (classes(before), classes(after));
    (0..2).all(|i| left_flanking(a[i], b[i]))
}

/// Whether a `*` run could open or close at all here (so text must escape it).
pub fn may_flank(before: Option<char>, after: Option<char>) -> bool {
    let (b, a) = (classes(before), classes(after));
    (0..2).any(|i| left_flanking(b[i], a[i]) || left_flanking(a[i], b[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_punctuation_before_a_letter_cannot_close() {
        assert!(!can_close(Some('：'), Some('上')));
        assert!(can_close(Some('围'), Some('：')));
        assert!(can_open(None, Some('统')));
    }

    #[test]
    fn spaces_on_both_sides_never_flank() {
        assert!(!may_flank(Some(' '), Some(' ')));
        assert!(may_flank(None, Some('S')));
    }
}
