//! HTML whitespace collapsing at the text-node level.
//!
//! A run of HTML whitespace becomes one space, or one `\n` when the run held
//! a line break: `\n` marks a segment break whose fate (space, or nothing
//! between two CJK characters) `transform::whitespace` decides once the
//! neighbours across element boundaries are known. U+00A0 and U+3000 are
//! not HTML whitespace and are kept as they are.

/// True for the characters HTML collapses.
pub fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Collapses runs of HTML whitespace to `' '`, or `'\n'` if the run broke a line.
/// Words between runs are copied whole.
pub fn collapse_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run: Option<char> = None;
    let mut rest = text;
    loop {
        let word = word_end(rest);
        if word > 0 {
            if let Some(r) = run.take() {
                out.push(r);
            }
            out.push_str(&rest[..word]);
        }
        rest = &rest[word..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        // A BOM inside text is an invisible zero-width no-break space; kept,
        // it would be read as a file's BOM when the output starts with it.
        if c == '\u{feff}' {
            continue;
        }
        let broke = matches!(c, '\n' | '\r');
        run = Some(if broke || run == Some('\n') {
            '\n'
        } else {
            ' '
        });
    }
    if let Some(r) = run {
        out.push(r);
    }
    out
}

/// The length of the leading run of `text` that holds no HTML whitespace
/// and no BOM (all of which start with bytes no other character starts with).
fn word_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(k) = stop_at(&bytes[from..]) {
        let i = from + k;
        if bytes[i] != 0xEF || bytes[i..].starts_with("\u{feff}".as_bytes()) {
            return i;
        }
        from = i + 1;
    }
    bytes.len()
}

/// The first [`STOP`] byte. Eight bytes that all have their high bit set
/// (CJK text) and none of which is 0xEF are passed over at once.
fn stop_at(bytes: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let stop = |from: usize, to: usize| (from..to).find(|&i| STOP[usize::from(bytes[i])]);
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_ne_bytes(word.try_into().unwrap_or_default());
        // A byte of `word ^ 0xEF..` is zero where `word` holds 0xEF.
        let ef = word ^ (0xEF * ONES);
        let holds_ef = ef.wrapping_sub(ONES) & !ef & HIGH != 0;
        if (word & HIGH != HIGH || holds_ef)
            && let Some(at) = stop(i, i + 8)
        {
            return Some(at);
        }
        i += 8;
    }
    stop(i, bytes.len())
}

/// HTML whitespace bytes, and 0xEF (which a BOM starts with), as a table.
static STOP: [bool; 256] = {
    let mut table = [false; 256];
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table[0x0c] = true;
    table[0xEF] = true;
    table
};

/// Collapses every whitespace run to one space and trims (for attributes).
pub fn collapse_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(is_html_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// East Asian wide characters, between which a line break is no space
/// (CSS Text 3, segment break transformation). Hangul is excluded: Korean
/// separates words with spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF
        | 0x3000..=0x303F
        | 0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF)
}

/// `piece` at every offset of a word (up to 19 bytes in) among CJK and
/// ASCII, CJK after it: the texts the eight-byte scans are tested on.
#[cfg(test)]
pub(crate) fn placed_among_cjk(piece: &str) -> Vec<String> {
    (0..20)
        .map(|lead| {
            let before = "字".repeat(lead / 3) + &"y".repeat(lead % 3);
            format!("{before}{piece}{}", "文".repeat(lead))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_collapse_and_remember_line_breaks() {
        assert_eq!(collapse_runs("a  \t b"), "a b");
        assert_eq!(collapse_runs("a \n b"), "a\nb");
        assert_eq!(collapse_runs("\u{a0}x\u{3000}"), "\u{a0}x\u{3000}");
    }

    #[test]
    fn stops_are_found_as_a_byte_by_byte_scan_finds_them() {
        let stops = [
            " ", "\t", "\n", "\r", "\x0c", "\u{feff}", "，", "\u{a0}", "x",
        ];
        for text in stops.iter().flat_map(|stop| placed_among_cjk(stop)) {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let naive = bytes[from..].iter().position(|b| STOP[usize::from(*b)]);
                assert_eq!(stop_at(&bytes[from..]), naive, "{text:?} from {from}");
            }
        }
    }
}
