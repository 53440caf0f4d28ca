//! Context-aware escaping of text, used only by the writer.
//!
//! A character is escaped only where, unescaped, it would change what the
//! Markdown renders: so `*ST`, `snake_case`, `比值<1`, `H&M` and `[1]` come
//! back exactly, with as few backslashes as the context allows.

use super::flanking::may_flank;

/// Where a piece of text sits.
#[derive(Clone, Copy, Default)]
pub struct Context {
    /// The text starts a line (block start, or after a hard break).
    pub line_start: bool,
    /// Inside `[...]` of a link or image.
    pub link_text: bool,
    /// Inside a GFM table cell.
    pub table: bool,
    /// What the site's template engine would run in text.
    pub templates: Templates,
    /// The Markdown reader of the target site, whose extensions read more
    /// into plain text than CommonMark does.
    pub dialect: Dialect,
}

/// The Markdown reader a target site uses, for what it reads into text
/// beyond CommonMark + GFM tables.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub enum Dialect {
    /// pulldown-cmark (Zola, plain Markdown): nothing more.
    #[default]
    CommonMark,
    /// Hugo's goldmark: bare URLs become links, `: ` under a line makes a
    /// definition list, `{#id}` ends a heading with attributes (its
    /// typographer is turned off by the config `migrate` writes).
    Goldmark,
    /// Hexo's marked (GFM): bare URLs become links, quotes, `--` and
    /// `...` become typographic ones (`smartypants`), `: ` under a line
    /// makes a definition list.
    Marked,
    /// Jekyll's kramdown: smart quotes and typographic symbols, any `|` in
    /// a paragraph line makes a table, `{:` an attribute list, `$$` math.
    Kramdown,
}

impl Dialect {
    /// Bare `http://`, `https://`, `ftp://` and `www.` become links.
    pub fn linkifies(self) -> bool {
        matches!(self, Dialect::Goldmark | Dialect::Marked)
    }

    /// Quotes, dashes and dots become typographic characters.
    pub fn smart_punctuation(self) -> bool {
        matches!(self, Dialect::Marked | Dialect::Kramdown)
    }
}

/// Template syntax a site would execute in content.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Templates {
    #[default]
    Off,
    /// Hugo: only `{{<` and `{{%` (shortcodes).
    Shortcodes,
    /// Liquid, Nunjucks, Tera: any `{{` or `{%`.
    All,
}

/// Appends `text` to `out`, escaped. `next` is the first character the
/// writer will put after this text, if known.
///
/// Only ASCII punctuation can need a backslash, so runs between those bytes
/// are copied whole; each candidate is judged from its neighbours.
pub fn text(out: &mut String, text: &str, next: Option<char>, ctx: Context) {
    out.reserve(text.len());
    let first_before = out.chars().next_back();
    let block_mark = if ctx.line_start {
        starts_block(text, next)
    } else {
        None
    };
    // No block mark is the same as one past the end.
    let block_mark = block_mark.unwrap_or(usize::MAX);
    let mut copied = 0;
    let candidate = if ctx.dialect == Dialect::CommonMark {
        &CANDIDATE
    } else {
        &DIALECT_CANDIDATE
    };
    let mut from = 0;
    while let Some(i) = next_candidate(text.as_bytes(), from, candidate, block_mark) {
        from = i + 1;
        let b = text.as_bytes()[i];
        out.push_str(&text[copied..i]);
        copied = i + 1;
        let c = char::from(b);
        let rest = &text[i..];
        let before = text[..i].chars().next_back().or(first_before);
        let after = text[i + 1..].chars().next().or(next);
        if let Some(entity) = entity_for(c, rest, next, after, out, ctx) {
            out.push_str(entity);
            continue;
        }
        let at_line_start = i == 0 && ctx.line_start;
        if i == block_mark
            || needs_escape(c, before, after, rest, at_line_start, ctx)
            || dialect_reads(ctx.dialect, c, after, out)
        {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str(&text[copied..]);
}

/// The first index from `from` on whose byte is a candidate, or is the
/// block mark. Every candidate is ASCII: eight bytes that all have their
/// high bit set (CJK text) are passed over at once.
fn next_candidate(
    bytes: &[u8],
    from: usize,
    candidate: &[bool; 256],
    block_mark: usize,
) -> Option<usize> {
    let found = |from: usize, to: usize| {
        (from..to).find(|&i| candidate[usize::from(bytes[i])] || i == block_mark)
    };
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_ne_bytes(word.try_into().unwrap_or_default());
        if (word & HIGH_BITS != HIGH_BITS || (i..i + 8).contains(&block_mark))
            && let Some(at) = found(i, i + 8)
        {
            return Some(at);
        }
        i += 8;
    }
    found(i, bytes.len())
}

/// An entity for `c` where a backslash would not do: the template engine
/// must see no `{{`; kramdown shows `\&` with its backslash;
/// hexo-renderer-marked makes a definition list of `<br>: ` in its HTML,
/// escaped or not.
fn entity_for(
    c: char,
    rest: &str,
    next: Option<char>,
    after: Option<char>,
    written: &str,
    ctx: Context,
) -> Option<&'static str> {
    match c {
        '{' if opens_template(ctx.templates, rest, next) => Some("&#123;"),
        '&' if ctx.dialect == Dialect::Kramdown && starts_entity(&rest[1..]) => Some("&amp;"),
        ':' if ctx.dialect == Dialect::Marked && opens_definition(after, written) => Some("&#58;"),
        _ => None,
    }
}

/// The high bit of each byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The bytes that may need an escape in CommonMark, as a table.
static CANDIDATE: [bool; 256] = byte_table(b"\\*~_`[]!<&|{");

/// ... and for a target's reader that reads more into text (`Dialect`).
static DIALECT_CANDIDATE: [bool; 256] = byte_table(b"\\*~_`[]!<&|{\"'-.:$>");

const fn byte_table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// Whether the target's reader would read more into `c` than CommonMark
/// does. `written` ends with everything before `c`.
fn dialect_reads(dialect: Dialect, c: char, after: Option<char>, written: &str) -> bool {
    let tail_is = |word: &str| {
        written.len() >= word.len()
            && written.is_char_boundary(written.len() - word.len())
            && written[written.len() - word.len()..].eq_ignore_ascii_case(word)
    };
    let linkify = dialect.linkifies()
        && match c {
            // `https\://`: no bare URL starts here, so none swallows what follows.
            ':' => after == Some('/') && (tail_is("http") || tail_is("https") || tail_is("ftp")),
            '.' => tail_is("www"),
            _ => false,
        };
    let smart = dialect.smart_punctuation()
        && match c {
            '"' | '\'' => true,
            '-' => after == Some('-'),
            '.' => after == Some('.'),
            _ => false,
        };
    // Definition lists (goldmark, kramdown, and Hexo's marked): `: `
    // opening a line under a paragraph line.
    let definition = dialect != Dialect::CommonMark && c == ':' && opens_definition(after, written);
    // goldmark's heading attributes `{#id .class}` (on in Hugo).
    let attributes = dialect == Dialect::Goldmark && c == '{' && matches!(after, Some('#' | '.'));
    let kramdown = dialect == Dialect::Kramdown
        && match c {
            '|' => true,
            // `{:` attribute lists, `{#id}` header ids.
            '{' => matches!(after, Some(':' | '#')),
            '$' => after == Some('$'),
            '<' | '>' => after == Some(c),
            _ => false,
        };
    linkify || smart || definition || attributes || kramdown
}

/// A `:` here, with `written` before it, opens a line as `: `.
fn opens_definition(after: Option<char>, written: &str) -> bool {
    (written.is_empty() || written.ends_with('\n')) && matches!(after, Some(' ' | '\t'))
}

/// Whether `rest` (starting at a `{`) opens template syntax.
fn opens_template(templates: Templates, rest: &str, next: Option<char>) -> bool {
    let mut chars = rest.chars().skip(1);
    let second = chars.next().or(if rest.len() == 1 { next } else { None });
    let third = chars.next();
    match templates {
        Templates::Off => false,
        Templates::All => matches!(second, Some('{' | '%')),
        Templates::Shortcodes => {
            second == Some('{') && third.is_none_or(|c| matches!(c, '<' | '%'))
        }
    }
}

fn needs_escape(
    c: char,
    before: Option<char>,
    after: Option<char>,
    rest: &str,
    line_start: bool,
    ctx: Context,
) -> bool {
    match c {
        '\\' => after.is_none_or(|a| a.is_ascii_punctuation()),
        '*' | '~' => may_flank(before, after),
        '_' => !(is_word(before) && is_word(after)) && may_flank(before, after),
        '`' => true,
        '[' => ctx.link_text || line_start,
        ']' => ctx.link_text || matches!(after, Some('(' | '[' | ':')),
        '!' => after == Some('['),
        '<' => after.is_some_and(|a| a.is_ascii_alphabetic() || matches!(a, '/' | '!' | '?')),
        '&' => starts_entity(&rest[1..]),
        '|' => ctx.table,
        _ => false,
    }
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        !c.is_whitespace() && !super::flanking::is_punctuation(c) && !super::flanking::is_symbol(c)
    })
}

/// Where a line starting with `rest` would open a block construct: the
/// byte index of the character whose escape prevents it (always ASCII).
fn starts_block(rest: &str, next: Option<char>) -> Option<usize> {
    let bytes = rest.as_bytes();
    let first = *bytes.first()?;
    let trimmed_end = rest.trim_end_matches([' ', '\t']);
    // Every byte before `i` is ASCII here, so byte and char indices agree.
    let end_or_space = |i: usize| match bytes.get(i) {
        Some(c) => matches!(c, b' ' | b'\t'),
        None => next.is_none_or(|n| n == ' '),
    };
    let opens = match first {
        b'#' => {
            let run = bytes.iter().take_while(|c| **c == b'#').count();
            run <= 6 && end_or_space(run)
        }
        b'>' => true,
        b'-' | b'+' | b'*' => end_or_space(1) || is_rule_or_underline(trimmed_end),
        b'_' | b'=' => is_rule_or_underline(trimmed_end),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
            let marker = digits <= 9
                && matches!(bytes.get(digits), Some(b'.' | b')'))
                && end_or_space(digits + 1);
            return marker.then_some(digits);
        }
        _ => false,
    };
    opens.then_some(0)
}

/// `---`, `***`, `___` (spaced or not) and setext underlines `===`, `--`.
fn is_rule_or_underline(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    let marks = line.chars().filter(|c| *c == first).count();
    let only = line.chars().all(|c| c == first || c == ' ' || c == '\t');
    only && (first == '=' || first == '-' || marks >= 3)
}

/// `&name;`, `&#123;` or `&#x1F;` follows. Entity bodies are ASCII, so a
/// byte window is enough.
fn starts_entity(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    let Some(end) = bytes.iter().take(34).position(|c| *c == b';') else {
        return false;
    };
    match &bytes[..end] {
        [b'#', b'x' | b'X', hex @ ..] => {
            !hex.is_empty() && hex.len() <= 6 && hex.iter().all(u8::is_ascii_hexdigit)
        }
        [b'#', dec @ ..] => !dec.is_empty() && dec.len() <= 7 && dec.iter().all(u8::is_ascii_digit),
        [first, more @ ..] => {
            first.is_ascii_alphabetic() && more.iter().all(u8::is_ascii_alphanumeric)
        }
        [] => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut out = String::new();
        text(
            &mut out,
            s,
            None,
            Context {
                line_start: true,
                ..Context::default()
            },
        );
        out
    }

    #[test]
    fn escapes_only_what_would_render() {
        assert_eq!(esc("*ST"), "\\*ST");
        assert_eq!(esc("snake_case"), "snake_case");
        assert_eq!(esc("C:\\path\\*.*"), "C:\\path\\\\\\*.\\*");
        assert_eq!(esc("1. not a list"), "1\\. not a list");
        assert_eq!(esc("[1]"), "\\[1]");
        assert_eq!(esc("比值<1"), "比值<1");
        assert_eq!(esc("H&M"), "H&M");
        assert_eq!(esc("&ouml;"), "\\&ouml;");
        assert_eq!(esc("a * b"), "a * b");
        assert_eq!(esc("# x"), "\\# x");
        assert_eq!(esc("#hashtag"), "#hashtag");
        assert_eq!(esc("<div>"), "\\<div>");
        assert_eq!(esc("2021年"), "2021年");
    }

    fn esc_for(s: &str, dialect: Dialect) -> String {
        let mut out = String::new();
        let ctx = Context {
            dialect,
            ..Context::default()
        };
        text(&mut out, s, None, ctx);
        out
    }

    #[test]
    fn issue_11_linkifiers_find_no_bare_url() {
        let url = "https://twitter.com/Jean";
        assert_eq!(
            esc_for(url, Dialect::Goldmark),
            "https\\://twitter.com/Jean"
        );
        assert_eq!(esc_for("see www.x.com", Dialect::Marked), "see www\\.x.com");
        assert_eq!(esc_for(url, Dialect::CommonMark), url);
        assert_eq!(esc_for(url, Dialect::Kramdown), url);
    }

    #[test]
    fn issue_11_kramdown_reads_no_table_math_or_smart_quotes() {
        assert_eq!(
            esc_for("svn diff | colordiff | less -R", Dialect::Kramdown),
            "svn diff \\| colordiff \\| less -R"
        );
        assert_eq!(
            esc_for("do |admin| x", Dialect::Kramdown),
            "do \\|admin\\| x"
        );
        assert_eq!(
            esc_for("a {: .x} $$1$$", Dialect::Kramdown),
            "a \\{: .x} \\$$1\\$$"
        );
        assert_eq!(
            esc_for("\"a\" -- b...", Dialect::Kramdown),
            "\\\"a\\\" \\-- b\\.\\.."
        );
        assert_eq!(esc_for("a | b \"c\"", Dialect::CommonMark), "a | b \"c\"");
        assert_eq!(esc_for(": a {#id}", Dialect::Kramdown), "\\: a \\{#id}");
        assert_eq!(esc_for(": a", Dialect::Goldmark), "\\: a");
        assert_eq!(esc_for(": a {#b}", Dialect::Marked), "&#58; a {#b}");
        assert_eq!(esc_for("a {#b}", Dialect::Goldmark), "a \\{#b}");
    }

    #[test]
    fn candidates_are_found_as_a_byte_by_byte_scan_finds_them() {
        use crate::lower::whitespace::placed_among_cjk;
        let naive = |bytes: &[u8], from: usize, table: &[bool; 256], mark: usize| {
            (from..bytes.len()).find(|&i| table[usize::from(bytes[i])] || i == mark)
        };
        let specials = ["*", "[", "&", "{", "é", "中文", "，", "\u{feff}", "-", "a"];
        for table in [&CANDIDATE, &DIALECT_CANDIDATE] {
            for text in specials.iter().flat_map(|s| placed_among_cjk(s)) {
                let bytes = text.as_bytes();
                for mark in [usize::MAX, 0, 7, 8, bytes.len() / 2] {
                    for from in 0..=bytes.len() {
                        assert_eq!(
                            next_candidate(bytes, from, table, mark),
                            naive(bytes, from, table, mark),
                            "{text:?} from {from} mark {mark}"
                        );
                    }
                }
            }
        }
    }
}
