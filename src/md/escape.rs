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
pub fn text(out: &mut String, text: &str, next: Option<char>, ctx: Context) {
    let chars: Vec<char> = text.chars().collect();
    let mut before = out.chars().next_back();
    let block_mark = if ctx.line_start {
        starts_block(&chars, next)
    } else {
        None
    };
    for (i, &c) in chars.iter().enumerate() {
        let after = chars.get(i + 1).copied().or(next);
        let at_line_start = i == 0 && ctx.line_start;
        if c == '{' && opens_template(ctx.templates, &chars[i..], next) {
            // An entity: the template engine sees no `{{`, the reader sees `{`.
            out.push_str("&#123;");
            before = Some(c);
            continue;
        }
        if block_mark == Some(i) || needs_escape(c, before, after, &chars[i..], at_line_start, ctx)
        {
            out.push('\\');
        }
        out.push(c);
        before = Some(c);
    }
}

/// Whether `rest` (starting at a `{`) opens template syntax.
fn opens_template(templates: Templates, rest: &[char], next: Option<char>) -> bool {
    let second = rest
        .get(1)
        .copied()
        .or(if rest.len() == 1 { next } else { None });
    match templates {
        Templates::Off => false,
        Templates::All => matches!(second, Some('{' | '%')),
        Templates::Shortcodes => {
            second == Some('{') && rest.get(2).is_none_or(|c| matches!(c, '<' | '%'))
        }
    }
}

fn needs_escape(
    c: char,
    before: Option<char>,
    after: Option<char>,
    rest: &[char],
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
/// index of the character whose escape prevents it.
fn starts_block(rest: &[char], next: Option<char>) -> Option<usize> {
    let first = *rest.first()?;
    let line: String = rest.iter().collect();
    let trimmed_end = line.trim_end_matches([' ', '\t']);
    let end_or_space = |i: usize| match rest.get(i) {
        Some(c) => matches!(c, ' ' | '\t'),
        None => next.is_none_or(|n| n == ' '),
    };
    let opens = match first {
        '#' => {
            let run = rest.iter().take_while(|c| **c == '#').count();
            run <= 6 && end_or_space(run)
        }
        '>' => true,
        '-' | '+' | '*' => end_or_space(1) || is_rule_or_underline(trimmed_end),
        '_' | '=' => is_rule_or_underline(trimmed_end),
        '0'..='9' => {
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            let marker = digits <= 9
                && matches!(rest.get(digits), Some('.' | ')'))
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

/// `&name;`, `&#123;` or `&#x1F;` follows.
fn starts_entity(rest: &[char]) -> bool {
    let end = rest.iter().take(34).position(|c| *c == ';');
    let Some(end) = end else { return false };
    let body = &rest[..end];
    match body {
        ['#', 'x' | 'X', hex @ ..] => {
            !hex.is_empty() && hex.len() <= 6 && hex.iter().all(char::is_ascii_hexdigit)
        }
        ['#', dec @ ..] => {
            !dec.is_empty() && dec.len() <= 7 && dec.iter().all(char::is_ascii_digit)
        }
        [first, more @ ..] => {
            first.is_ascii_alphabetic() && more.iter().all(char::is_ascii_alphanumeric)
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
}
