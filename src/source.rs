//! Source stage: raw bytes → text → (front matter | body).
//!
//! This stage decodes a file's bytes into a `String` ([`decode`]), optionally
//! normalises line endings ([`normalize_eol`]) and cuts the text into its
//! front-matter block and its body ([`split_post`]).
//!
//! It must not interpret the front matter (that is `crate::frontmatter`'s
//! job), must not touch the body, must not know file paths (callers wrap
//! [`SourceError`] with the path), and never prints or panics.

use std::borrow::Cow;
use std::fmt;

/// How to decode a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a BOM is stripped); invalid bytes are an error.
    Utf8,
    /// GB18030 (a superset of GBK / GB2312).
    Gb18030,
    /// Valid UTF-8 stays UTF-8; anything else is guessed with chardetng.
    Auto,
}

/// The syntax of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterFormat {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
    /// Hexo JSON: an object (or bare key/values) closed by a `;;;` line.
    Json,
}

impl fmt::Display for FrontMatterFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FrontMatterFormat::Yaml => "YAML",
            FrontMatterFormat::Toml => "TOML",
            FrontMatterFormat::Json => "JSON",
        })
    }
}

/// A front-matter block, not yet parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawFrontMatter<'a> {
    /// Which syntax the block uses.
    pub format: FrontMatterFormat,
    /// The block's text, without its delimiter lines.
    pub text: &'a str,
    /// 1-based line (in the whole file) of the first line of `text`.
    pub line: usize,
}

/// A post cut into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Post<'a> {
    /// The front matter, if the text has one.
    pub front_matter: Option<RawFrontMatter<'a>>,
    /// Everything after the front matter (the whole text if there is none).
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Why a source could not be read. Carries positions, never a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at byte {offset} (line {line}, column {column})")]
    InvalidUtf8 {
        /// Byte offset of the first bad byte.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
        /// 1-based column (in characters) of that byte.
        column: usize,
    },
    /// The bytes are not valid in the named encoding.
    #[error("text is not valid {encoding}")]
    Undecodable {
        /// Name of the encoding tried.
        encoding: &'static str,
    },
    /// The text holds a NUL character: this is a binary file.
    #[error("binary file: NUL byte at byte {offset} (line {line})")]
    Binary {
        /// Byte offset of the NUL (in the input bytes; for UTF-16 input, in the decoded UTF-8 text).
        offset: usize,
        /// 1-based line of the NUL.
        line: usize,
    },
    /// A front-matter block was opened and never closed.
    #[error("front matter opened at line {line} is never closed (no closing `{delimiter}` line)")]
    UnterminatedFrontMatter {
        /// 1-based line of the opening delimiter.
        line: usize,
        /// The closing delimiter that was expected.
        delimiter: &'static str,
    },
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes `bytes` into text according to `enc`.
///
/// A UTF-8 BOM is stripped; a UTF-16 BOM (LE or BE) selects UTF-16 whatever
/// `enc` says. A NUL anywhere makes the input [`SourceError::Binary`].
/// Valid UTF-8 (nearly every post) is lent, not copied.
pub fn decode(bytes: &[u8], enc: Encoding) -> Result<Cow<'_, str>, SourceError> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, encoding_rs::UTF_16LE).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, encoding_rs::UTF_16BE).map(Cow::Owned);
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    check_no_nul(bytes)?;
    match enc {
        Encoding::Utf8 => decode_utf8(bytes),
        Encoding::Gb18030 => decode_with(bytes, encoding_rs::GB18030).map(Cow::Owned),
        Encoding::Auto => decode_auto(bytes),
    }
}

fn decode_utf16(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> Result<String, SourceError> {
    let text = decode_with(bytes, enc)?;
    check_no_nul(text.as_bytes())?;
    Ok(text)
}

fn decode_utf8(bytes: &[u8]) -> Result<Cow<'_, str>, SourceError> {
    match valid_utf8(bytes) {
        Some(s) => Ok(Cow::Borrowed(s)),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(e) => Err(invalid_utf8_at(bytes, e.valid_up_to())),
        },
    }
}

/// `bytes` as text when they are valid UTF-8, checked with SIMD (several
/// times faster than the standard check on CJK text; the standard check
/// then finds where invalid input goes wrong).
pub fn valid_utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

fn invalid_utf8_at(bytes: &[u8], offset: usize) -> SourceError {
    let valid = bytes.get(..offset).unwrap_or_default();
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let last_line = std::str::from_utf8(valid.get(line_start..).unwrap_or_default()).unwrap_or("");
    SourceError::InvalidUtf8 {
        offset,
        line: line_of(valid, offset),
        column: last_line.chars().count() + 1,
    }
}

fn decode_with(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> Result<String, SourceError> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(SourceError::Undecodable {
            encoding: enc.name(),
        });
    }
    Ok(text.into_owned())
}

fn decode_auto(bytes: &[u8]) -> Result<Cow<'_, str>, SourceError> {
    if let Some(s) = valid_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    decode_with(bytes, detector.guess(None, chardetng::Utf8Detection::Deny)).map(Cow::Owned)
}

fn check_no_nul(bytes: &[u8]) -> Result<(), SourceError> {
    // A vectorized search: most inputs hold no NUL.
    match memchr::memchr(0, bytes) {
        Some(offset) => Err(SourceError::Binary {
            offset,
            line: line_of(bytes, offset),
        }),
        None => Ok(()),
    }
}

/// 1-based line number of byte `offset` in `bytes`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let upto = bytes.get(..offset).unwrap_or(bytes);
    upto.iter().filter(|&&b| b == b'\n').count() + 1
}

/// Turns CRLF and lone CR line endings into LF. Copies whole stretches
/// between carriage returns (most texts have none: lent as they are).
pub fn normalize_eol(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(cr) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..cr]);
        out.push('\n');
        rest = &rest[cr + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// One line of the text: where it starts, its content without line ending,
/// and where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    content: &'a str,
    next: usize,
    number: usize,
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    let mut number = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let rest = text.get(start..)?;
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = Line {
            start,
            content: rest.get(..len)?.trim_end_matches(['\n', '\r']),
            next: start + len,
            number: number + 1,
        };
        start += len;
        number += 1;
        Some(line)
    })
}

/// Whether `line` is the delimiter `delim`, allowing trailing blanks.
fn is_delim(line: &str, delim: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r']) == delim
}

fn is_blank(line: &str) -> bool {
    line.trim_matches([' ', '\t', '\r']).is_empty()
}

/// Splits `text` into front matter and body.
///
/// Recognised blocks, after any blank lines: YAML between `---` lines, TOML
/// between `+++` lines, and Hexo JSON (a line starting with `{` or `"`, up to
/// a `;;;` line). Without any of these the whole text is the body. An opened
/// but unclosed YAML/TOML block is [`SourceError::UnterminatedFrontMatter`].
pub fn split_post(text: &str) -> Result<Post<'_>, SourceError> {
    let text_no_bom = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let Some(first) = lines(text_no_bom).find(|l| !is_blank(l.content)) else {
        return Ok(no_front_matter(text));
    };
    let found = if is_delim(first.content, "---") {
        delimited(text_no_bom, first, "---", FrontMatterFormat::Yaml)?
    } else if is_delim(first.content, "+++") {
        delimited(text_no_bom, first, "+++", FrontMatterFormat::Toml)?
    } else if first.content.starts_with(['{', '"']) {
        json_block(text_no_bom, first)
    } else {
        None
    };
    Ok(found.unwrap_or_else(|| no_front_matter(text)))
}

fn no_front_matter(text: &str) -> Post<'_> {
    Post {
        front_matter: None,
        body: text,
        body_line: 1,
    }
}

fn delimited<'a>(
    text: &'a str,
    open: Line<'a>,
    delim: &'static str,
    format: FrontMatterFormat,
) -> Result<Option<Post<'a>>, SourceError> {
    let close = lines(text)
        .skip(open.number)
        .find(|l| is_delim(l.content, delim))
        .ok_or(SourceError::UnterminatedFrontMatter {
            line: open.number,
            delimiter: delim,
        })?;
    Ok(Some(Post {
        front_matter: Some(RawFrontMatter {
            format,
            text: text.get(open.next..close.start).unwrap_or(""),
            line: open.number + 1,
        }),
        body: text.get(close.next..).unwrap_or(""),
        body_line: close.number + 1,
    }))
}

fn json_block<'a>(text: &'a str, open: Line<'a>) -> Option<Post<'a>> {
    let close = lines(text)
        .skip(open.number)
        .find(|l| is_delim(l.content, ";;;"))?;
    Some(Post {
        front_matter: Some(RawFrontMatter {
            format: FrontMatterFormat::Json,
            text: text.get(open.start..close.start)?,
            line: open.number,
        }),
        body: text.get(close.next..)?,
        body_line: close.number + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::normalize_eol;

    #[test]
    fn line_endings_become_lf_and_text_between_them_is_kept() {
        assert_eq!(normalize_eol(""), "");
        assert_eq!(normalize_eol("no endings 中文"), "no endings 中文");
        assert_eq!(normalize_eol("\r"), "\n");
        assert_eq!(normalize_eol("a\r\r\nb\n\rc\r"), "a\n\nb\n\nc\n");
        assert_eq!(normalize_eol("é\r\n中\r文"), "é\n中\n文");
    }

    use super::*;

    #[test]
    fn invalid_utf8_reports_offset_line_column() {
        let err = decode(b"ab\ncd\xFFe", Encoding::Utf8).unwrap_err();
        assert_eq!(
            err,
            SourceError::InvalidUtf8 {
                offset: 5,
                line: 2,
                column: 3
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at byte 5 (line 2, column 3)"
        );
    }

    #[test]
    fn lines_iterates_with_numbers() {
        let ls: Vec<_> = lines("a\r\nb\n\nc")
            .map(|l| (l.number, l.content))
            .collect();
        assert_eq!(ls, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]);
    }

    #[test]
    fn delimiter_allows_trailing_blanks() {
        assert!(is_delim("---  \t", "---"));
        assert!(!is_delim("----", "---"));
        assert!(!is_delim(" ---", "---"));
    }
}
