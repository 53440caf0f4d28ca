//! A whole post: front matter passed through, body converted.
//!
//! Decides whether the body is HTML or already Markdown, so that converting
//! a converted post changes nothing. It does not parse the front matter
//! (that is `frontmatter`'s job) and never touches the file system.

use crate::convert::{Conversion, Options, convert_html};
use crate::diagnostic::Diagnostic;
use crate::html::ParseError;

/// How to read a post's body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
pub enum BodyKind {
    /// HTML when the body starts with an HTML block, else Markdown.
    #[default]
    Auto,
    Html,
    Markdown,
}

/// A converted post.
#[derive(Debug, Clone)]
pub struct ConvertedPost {
    /// The whole output: front matter (as it was), a blank line, the body.
    pub text: String,
    /// The HTML that was converted ("" when the body was Markdown).
    pub source_html: String,
    /// The body Markdown alone.
    pub body: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts one post (or a bare HTML file).
pub fn convert_post(
    text: &str,
    body_kind: BodyKind,
    options: &Options,
) -> Result<ConvertedPost, ParseError> {
    let (front, body) = split_front_matter(text);
    let is_html = match body_kind {
        BodyKind::Html => true,
        BodyKind::Markdown => false,
        BodyKind::Auto => starts_with_html_block(body),
    };
    let (markdown, diagnostics, source_html) = if is_html {
        let Conversion {
            markdown,
            diagnostics,
        } = convert_html(body, options)?;
        (markdown, diagnostics, body.to_owned())
    } else {
        (normalize_markdown(body), Vec::new(), String::new())
    };
    let mut out = String::new();
    if let Some(front) = front {
        out.push_str(front.trim_end_matches('\n'));
        out.push_str("\n\n");
    }
    out.push_str(&markdown);
    Ok(ConvertedPost {
        text: out,
        source_html,
        body: markdown,
        diagnostics,
    })
}

/// A Markdown body is kept as it is, but for the blank lines at its edges
/// and its final newline.
fn normalize_markdown(body: &str) -> String {
    let trimmed = body.trim_start_matches('\n').trim_end();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

/// Splits `---`-delimited front matter (after optional blank lines) from
/// the body. Returns the front matter with its delimiters.
pub fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.len() - text.trim_start_matches(['\n', '\r']).len();
    let rest = &text[start..];
    let Some(after_open) = rest
        .strip_prefix("---\n")
        .or_else(|| rest.strip_prefix("---\r\n"))
    else {
        return (None, text);
    };
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let end = start + 4 + offset + line.len();
            let end = end.min(text.len());
            let front = &text[start..end];
            return (Some(front), &text[end..]);
        }
        offset += line.len();
    }
    (None, text)
}

/// Block-level tags that start a CommonMark HTML block (type 6), plus the
/// raw-text ones (type 1).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "textarea",
    "iframe",
];

/// True when the body's first line starts an HTML block.
pub fn starts_with_html_block(body: &str) -> bool {
    let Some(line) = body.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let line = line.trim_start();
    if line.starts_with("<!--") || line.to_ascii_lowercase().starts_with("<!doctype") {
        return true;
    }
    let Some(rest) = line.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str())
}
