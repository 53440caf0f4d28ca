//! A whole post: bytes → text → front matter | body → converted post.
//!
//! Decides whether the body is HTML or already Markdown (so converting a
//! converted post changes nothing), converts HTML blocks embedded in a
//! Markdown body in place, and writes the front matter for a target. It
//! never touches the file system and never prints; errors carry lines, the
//! caller adds the path.

mod embedded;

use embedded::Body;

use crate::convert::{Conversion, Options, convert_html};
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{self, FmFormat, FrontMatterError, Target};
use crate::html::ParseError;
use crate::source::{self, Encoding, FrontMatterFormat, RawFrontMatter, SourceError};

/// How to read a post's body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    /// HTML when the body starts with an HTML block, else Markdown.
    #[default]
    Auto,
    Html,
    Markdown,
}

/// What happens to the front matter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FrontMatterMode {
    /// Passed through byte for byte.
    #[default]
    Keep,
    /// Parsed, normalized and written for a site generator.
    Target(Target, FmFormat),
}

/// Line endings of the output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Eol {
    #[default]
    Lf,
    Crlf,
}

/// Everything that changes how a post converts.
#[derive(Debug, Clone, Default)]
pub struct PostOptions {
    pub body: BodyKind,
    pub front_matter: FrontMatterMode,
    pub encoding: Option<Encoding>,
    pub eol: Eol,
    pub convert: Options,
    /// Drop the first body image that repeats the front matter's cover.
    pub drop_cover_duplicate: bool,
    /// The source site (old permalinks, Liquid variables), when known.
    pub source_site: Option<std::sync::Arc<crate::site::Context>>,
    /// The post's path relative to the migrated folder (SRC), `/`-separated.
    pub source_rel: Option<String>,
}

/// Why a post could not be converted. Lines are 1-based lines of the file.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    FrontMatter(#[from] FrontMatterError),
    #[error("body (line {line}): {source}")]
    Body { line: usize, source: ParseError },
}

impl PostError {
    /// The line the error is on, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            PostError::Source(SourceError::InvalidUtf8 { line, .. })
            | PostError::Source(SourceError::Binary { line, .. })
            | PostError::Source(SourceError::UnterminatedFrontMatter { line, .. })
            | PostError::FrontMatter(FrontMatterError::Syntax { line, .. })
            | PostError::Body { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// A converted post.
#[derive(Debug, Clone)]
pub struct ConvertedPost {
    /// The whole output: front matter, a blank line, the body.
    pub text: String,
    /// The HTML that was converted, for verification ("" when none was).
    pub source_html: String,
    /// The Markdown written for `source_html`.
    pub converted_markdown: String,
    /// `source_html` already read for the round-trip check, when the
    /// options asked for it (see `convert::Options::read_source`).
    pub source: Option<crate::verify::Source>,
    pub diagnostics: Vec<Diagnostic>,
    /// The post's cover image, if the front matter names one.
    pub cover: Option<String>,
    /// Every image the post shows: the cover first, then the body's.
    pub images: Vec<String>,
}

/// Decodes bytes, then converts them as a post.
pub fn convert_bytes(bytes: &[u8], options: &PostOptions) -> Result<ConvertedPost, PostError> {
    let text = source::decode(bytes, options.encoding.unwrap_or(Encoding::Utf8))?;
    convert_post(&text, options)
}

/// Converts one post (or a bare HTML or Markdown file).
pub fn convert_post(text: &str, options: &PostOptions) -> Result<ConvertedPost, PostError> {
    let text = source::normalize_eol(text);
    let post = source::split_post(&text)?;
    let mut diagnostics = Vec::new();
    let (front, cover) = match post.front_matter {
        Some(raw) => front_matter(&raw, options, &mut diagnostics)?,
        None => (String::new(), None),
    };
    let dropping;
    let options = if options.drop_cover_duplicate && cover.is_some() {
        dropping = PostOptions {
            convert: Options {
                drop_image: cover.clone(),
                ..options.convert.clone()
            },
            ..options.clone()
        };
        &dropping
    } else {
        options
    };
    let body_text = resolve_liquid(post.body, options, &mut diagnostics);
    let body = convert_body(&body_text, post.body_line, options)?;
    diagnostics.extend(body.diagnostics);
    let mut images: Vec<String> = cover.iter().cloned().collect();
    images.extend(
        body.images
            .into_iter()
            .filter(|u| Some(u) != cover.as_ref()),
    );
    let mut out = front;
    if !out.is_empty() && !body.markdown.is_empty() {
        out.push('\n');
    }
    out.push_str(&body.markdown);
    if options.eol == Eol::Crlf {
        out = out.replace('\n', "\r\n");
    }
    Ok(ConvertedPost {
        text: out,
        source_html: body.source_html,
        converted_markdown: body.converted_markdown,
        source: body.source,
        diagnostics,
        cover,
        images,
    })
}

/// Reads the front matter and writes it as asked. The cover image goes
/// through the same image map as the body's images (targets only: a kept
/// block is never edited).
fn front_matter(
    raw: &RawFrontMatter,
    options: &PostOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(String, Option<String>), PostError> {
    let (mut fm, warnings) = frontmatter::parse_with(raw, &frontmatter::ParseOptions::default())?;
    for w in warnings {
        diagnostics.push(Diagnostic::warning(w.code, w.message));
    }
    let cover = fm.cover.clone();
    if let FrontMatterMode::Target(target, _) = options.front_matter {
        old_url(&mut fm, target, options, diagnostics);
    }
    let text = match options.front_matter {
        FrontMatterMode::Keep => keep_front_matter(raw),
        FrontMatterMode::Target(target, format) => {
            if let (Some(c), Some(map)) = (fm.cover.as_mut(), options.convert.images.as_ref())
                && let Some(new) = (map.0)(c)
            {
                *c = new;
            }
            frontmatter::emit(&fm, target, format)
        }
    };
    Ok((text, cover))
}

/// Writes the post's old URL into its front matter (see
/// [`frontmatter::add_old_url`]), when the source site or a pattern says it.
fn old_url(
    fm: &mut frontmatter::FrontMatter,
    target: Target,
    options: &PostOptions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(site) = &options.source_site else {
        return;
    };
    let mut paths = match site.old_url(fm, options.source_rel.as_deref()) {
        Ok(path) => path.into_iter().collect(),
        Err(why) => {
            diagnostics.push(Diagnostic::warning(
                "old-url-unknown",
                format!("the old URL cannot be kept: {why}"),
            ));
            Vec::new()
        }
    };
    // Hexo serves a post at one path only: its permalink.
    if target != Target::Hexo {
        paths.extend(site.old_redirects(fm));
    }
    for path in paths {
        if frontmatter::add_old_url(fm, &path, target) {
            diagnostics.push(old_url_note(&path));
        }
    }
}

/// The note that a post keeps its old URL, for folders and exports alike.
pub(crate) fn old_url_note(path: &str) -> Diagnostic {
    Diagnostic::info("old-url", format!("the old URL {path} leads to this post"))
}

/// The Liquid of a Jekyll source resolved from its config (`site.*`,
/// `post_url`, `link`) before conversion; what is left is reported.
fn resolve_liquid<'a>(
    body: &'a str,
    options: &PostOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::borrow::Cow<'a, str> {
    let Some((resolved, left)) = options
        .source_site
        .as_ref()
        .and_then(|site| site.resolve_liquid(body))
    else {
        return body.into();
    };
    if !left.is_empty() {
        let shown: Vec<&str> = left.iter().take(3).map(String::as_str).collect();
        diagnostics.push(Diagnostic::warning(
            "liquid-left",
            format!(
                "{} Liquid tag(s) left unresolved (kept as text): {}",
                left.len(),
                shown.join(", ")
            ),
        ));
    }
    resolved.into()
}

/// The block as it was, with its delimiters.
fn keep_front_matter(raw: &RawFrontMatter) -> String {
    let text = raw.text.trim_end_matches('\n');
    match raw.format {
        FrontMatterFormat::Yaml => format!("---\n{text}\n---\n"),
        FrontMatterFormat::Toml => format!("+++\n{text}\n+++\n"),
        FrontMatterFormat::Json => format!("{text}\n;;;\n"),
    }
}

fn convert_body(body: &str, line: usize, options: &PostOptions) -> Result<Body, PostError> {
    let is_html = match options.body {
        BodyKind::Html => true,
        BodyKind::Markdown => false,
        BodyKind::Auto => starts_with_html_block(body) && embedded::only_html_blocks(body),
    };
    if is_html && let Some((before, after)) = split_at_divider(body) {
        return convert_divided(body, before, after, line, options);
    }
    if is_html {
        let Conversion {
            markdown,
            diagnostics,
            images,
            source,
        } = convert_html(body, &options.convert)
            .map_err(|source| PostError::Body { line, source })?;
        return Ok(Body {
            source_html: body.to_owned(),
            converted_markdown: markdown.clone(),
            markdown,
            diagnostics,
            images,
            source,
        });
    }
    let mut converted = embedded::convert_html_blocks(body, &options.convert)
        .map_err(|source| PostError::Body { line, source })?;
    converted.markdown = tidy_markdown(&converted.markdown);
    Ok(converted)
}

/// The summary divider (`<!--more-->`, `<!-- more -->`) on a line of its
/// own in an HTML body: the body before it and after it.
fn split_at_divider(body: &str) -> Option<(&str, &str)> {
    // Both spellings open a comment: most bodies have none.
    memchr::memmem::find(body.as_bytes(), b"<!--")?;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed == "<!--more-->" || trimmed == "<!-- more -->" {
            return Some((&body[..offset], &body[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// An HTML body with a summary divider: each side converted on its own,
/// the divider kept between them (the converter drops comments, but this
/// one means something to the site: Hugo, Hexo and Jekyll cut the summary
/// there). Verified whole, from the source.
fn convert_divided(
    body: &str,
    before: &str,
    after: &str,
    line: usize,
    options: &PostOptions,
) -> Result<Body, PostError> {
    let options = &crate::convert::Options {
        read_source: false,
        ..options.convert.clone()
    };
    let first = convert_html(before, options).map_err(|source| PostError::Body { line, source })?;
    let after_line = line + before.matches('\n').count() + 1;
    let second = convert_html(after, options).map_err(|source| PostError::Body {
        line: after_line,
        source,
    })?;
    let mut markdown = first.markdown;
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    markdown.push_str("<!--more-->\n");
    if !second.markdown.is_empty() {
        markdown.push('\n');
        markdown.push_str(&second.markdown);
    }
    let mut diagnostics = first.diagnostics;
    diagnostics.extend(second.diagnostics);
    let mut images = first.images;
    images.extend(second.images);
    Ok(Body {
        source_html: body.to_owned(),
        converted_markdown: markdown.clone(),
        markdown,
        diagnostics,
        images,
        source: None,
    })
}

/// A Markdown body is kept as it is, but for the blank lines at its edges,
/// trailing spaces at its end and its final newline. (Only ASCII white
/// space: a trailing NBSP or U+3000 is content.)
fn tidy_markdown(body: &str) -> String {
    let trimmed = body
        .trim_start_matches('\n')
        .trim_end_matches([' ', '\t', '\n', '\r']);
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

/// The body kind for a file: an `.html`/`.htm` file is HTML whatever it
/// starts with; otherwise what was asked.
pub fn body_kind_for(asked: BodyKind, path: Option<&std::path::Path>) -> BodyKind {
    let html_file = path
        .and_then(std::path::Path::extension)
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if asked == BodyKind::Auto && html_file {
        BodyKind::Html
    } else {
        asked
    }
}

/// True when the body's first non-blank line starts an HTML block.
pub fn starts_with_html_block(body: &str) -> bool {
    let Some(line) = body.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let line = line.trim_start();
    if line.to_ascii_lowercase().starts_with("<!doctype") {
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
    crate::html::elements::element(&name).html_block
}

/// Splits `---` front matter from the body (for tools that only need the body).
pub fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    match source::split_post(text) {
        Ok(post) => match post.front_matter {
            Some(raw) => (Some(raw.text), post.body),
            None => (None, text),
        },
        Err(_) => (None, text),
    }
}
