//! Verification: render our Markdown back and compare it with the source.
//!
//! The Markdown is rendered with pulldown-cmark (CommonMark, tables,
//! strikethrough); the source is parsed with the guarded parser. Both are
//! read into one canonical form (`canon`): the source's tree, and the
//! rendering straight from pulldown-cmark's events (`events`), through the
//! tree that parser would build from its HTML where that reading gives up,
//! and through that HTML, written and parsed, where the events hold what
//! neither mirrors. Then four
//! facets are compared (`facets`): the visible text (all whitespace
//! removed, image alts excluded), the link targets and image sources (as
//! multisets) and the block skeleton (inline detail too in strict mode).
//! It is the in-library counterpart of `shared/tools/fidelity.py`. The
//! Markdown is read as the target site's reader reads it (`target`), so
//! what the site would drop or misread counts as loss.
//!
//! What the converter changes on purpose (lazy image sources, embeds as
//! links, captions, project links in `text` mode) is read the same way on
//! both sides and never counts. Verification reports; it never fixes,
//! prints or panics.

mod canon;
mod diff;
mod embeds;
mod events;
mod facets;
mod target;

pub use target::Reader;

use crate::convert::Options;
use crate::html::{self, Limits};
use facets::{Facets, Token};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// What the converter did on purpose, so that it is not read as loss.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Images take their source from lazy-loading attributes or `srcset`
    /// when `src` is missing or a placeholder, as the converter does.
    pub lazy_images: bool,
    /// A figure's caption goes under its image as an italic paragraph.
    pub captions_as_alt: bool,
    /// Also compare inline emphasis, code and links within each block.
    pub strict: bool,
    /// Parser bounds for both sides.
    pub limits: Limits,
    /// The map the converter rewrote image sources with (rewrite rules,
    /// downloads): source images are compared after it.
    pub images: Option<crate::transform::images::ImageMap>,
    /// The map the converter rewrote relative link targets with: source
    /// links are compared after it.
    pub links: Option<crate::transform::images::ImageMap>,
    /// The site rules the conversion applied (project links among them).
    pub rules: std::sync::Arc<Vec<crate::lower::site::SiteRule>>,
    /// An image the converter dropped on purpose (the cover's duplicate).
    pub dropped_image: Option<String>,
    /// What the converter made of embeds: a video shortcode reads as the
    /// embed it stands for, not as lost content.
    pub embeds: crate::lower::media::Embeds,
    /// How the target site reads the Markdown (`target`).
    pub reader: Reader,
}

impl Default for VerifyOptions {
    /// Matches the converter's defaults.
    fn default() -> Self {
        VerifyOptions {
            lazy_images: true,
            captions_as_alt: true,
            strict: false,
            limits: Limits::default(),
            images: None,
            links: None,
            rules: Options::default().site_rules(),
            dropped_image: None,
            embeds: crate::lower::media::Embeds::Link,
            reader: Reader::default(),
        }
    }
}

impl From<&Options> for VerifyOptions {
    /// The options that verify a conversion made with `options`.
    fn from(options: &Options) -> Self {
        VerifyOptions {
            limits: options.limits,
            images: options.images.clone(),
            links: options.links.clone(),
            rules: options.site_rules(),
            dropped_image: options.drop_image.clone(),
            captions_as_alt: options.captions == crate::lower::Captions::Italic,
            embeds: options.effective_embeds(),
            reader: Reader {
                dialect: options.site.dialect(),
                // Hugo: `migrate` writes the config that lets it through,
                // unless the site's own config decides otherwise.
                raw_html: !options.omits_raw_html,
            },
            // As the default has them; spelled out, so that no default
            // rule list is built per post only to be dropped.
            lazy_images: true,
            strict: false,
        }
    }
}

/// One thing the Markdown lost or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The visible text differs; short excerpts around the change.
    TextLost {
        expected: String,
        found: String,
    },
    LinkLost(String),
    LinkAdded(String),
    ImageLost(String),
    ImageAdded(String),
    /// The block skeleton differs; the blocks around the change.
    StructureChanged {
        expected: String,
        found: String,
    },
    /// One side could not be parsed (too large), so nothing was compared.
    Unverifiable(String),
}

impl Difference {
    /// A stable kebab-case code for reports.
    pub fn code(&self) -> &'static str {
        match self {
            Difference::TextLost { .. } => "lost-text",
            Difference::LinkLost(_) => "lost-link",
            Difference::LinkAdded(_) => "added-link",
            Difference::ImageLost(_) => "lost-image",
            Difference::ImageAdded(_) => "added-image",
            Difference::StructureChanged { .. } => "changed-structure",
            Difference::Unverifiable(_) => "unverifiable",
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::TextLost { expected, found } => {
                write!(f, "text differs: expected «{expected}», found «{found}»")
            }
            Difference::LinkLost(url) => write!(f, "link lost: {url}"),
            Difference::LinkAdded(url) => write!(f, "link added: {url}"),
            Difference::ImageLost(src) => write!(f, "image lost: {src}"),
            Difference::ImageAdded(src) => write!(f, "image added: {src}"),
            Difference::StructureChanged { expected, found } => {
                write!(f, "structure changed: expected {expected}, found {found}")
            }
            Difference::Unverifiable(why) => write!(f, "cannot verify: {why}"),
        }
    }
}

impl Serialize for Difference {
    /// `{"code": ..., "message": ..., <fields>}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        match self {
            Difference::TextLost { expected, found }
            | Difference::StructureChanged { expected, found } => {
                map.serialize_entry("expected", expected)?;
                map.serialize_entry("found", found)?;
            }
            Difference::LinkLost(url)
            | Difference::LinkAdded(url)
            | Difference::ImageLost(url)
            | Difference::ImageAdded(url) => map.serialize_entry("url", url)?,
            Difference::Unverifiable(why) => map.serialize_entry("reason", why)?,
        }
        map.end()
    }
}

/// The outcome of one verification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// At most [`MAX_PER_KIND`] of each kind, in a fixed order: text,
    /// links, images, structure.
    pub differences: Vec<Difference>,
}

impl Verification {
    /// True when nothing was lost or changed.
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }
}

impl Serialize for Verification {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("clean", &self.is_clean())?;
        map.serialize_entry("differences", &self.differences)?;
        map.end()
    }
}

/// Differences reported per kind, so that a report stays readable.
pub const MAX_PER_KIND: usize = 5;

/// Characters of context on each side of a change in an excerpt.
const CONTEXT: usize = 20;

/// Longest changed stretch shown whole in an excerpt.
const SPAN: usize = 40;

/// Shortcodes the rules wrote stand for elements the source side drops.
fn without_shortcodes<'a>(markdown: &'a str, options: &VerifyOptions) -> Cow<'a, str> {
    use crate::lower::site::Action;
    static SHORTCODE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\{\{< [^\n]*? >\}\}|\{% [^\n]*? %\}|\{\{ [A-Za-z_][\w-]*\([^\n]*?\) \}\}",
        )
        .expect("valid regex")
    });
    if options
        .rules
        .iter()
        .any(|r| matches!(r.action, Action::Shortcode { .. }))
    {
        SHORTCODE.replace_all(markdown, "")
    } else {
        Cow::Borrowed(markdown)
    }
}

/// The source side of a check, read off the tree the converter already
/// parsed, so that verifying does not parse the source a second time.
#[derive(Debug, Clone)]
pub struct Source(Facets);

/// Reads the source side from a parsed source tree.
pub fn read_source(root: &html::Node, options: &VerifyOptions) -> Source {
    Source(read_root(root, options))
}

/// Renders `markdown` and compares it with `source_html`.
pub fn verify(source_html: &str, markdown: &str, options: &VerifyOptions) -> Verification {
    match read(source_html, "the source", options) {
        Ok(a) => compare(a, markdown, options),
        Err(why) => unverifiable(why),
    }
}

/// [`verify`] with the source side already read ([`read_source`]).
pub fn verify_source(source: Source, markdown: &str, options: &VerifyOptions) -> Verification {
    compare(source.0, markdown, options)
}

fn unverifiable(why: String) -> Verification {
    Verification {
        differences: vec![Difference::Unverifiable(why)],
    }
}

/// Compares `source_html` with `rendered_html`, a page a site generator
/// built from the Markdown (its content only, no theme around it).
pub fn verify_html(
    source_html: &str,
    rendered_html: &str,
    options: &VerifyOptions,
) -> Verification {
    match read(source_html, "the source", options) {
        Ok(a) => compare_rendered(a, rendered_html, options),
        Err(why) => unverifiable(why),
    }
}

/// Renders `markdown` and compares it with the source side `a`.
fn compare(a: Facets, markdown: &str, options: &VerifyOptions) -> Verification {
    let markdown = match options.embeds {
        crate::lower::media::Embeds::Shortcode => embeds::shortcodes_as_links(markdown),
        _ => markdown.into(),
    };
    let markdown = without_shortcodes(&markdown, options);
    let options_b = rendered_options(options);
    let b = match target::read(&markdown, &options_b) {
        target::Rendered::Blocks(blocks, hint) => facets::facets(&blocks, options.strict, hint),
        target::Rendered::Tree(root) => read_root(&root, &options_b),
        target::Rendered::Html(rendered) => {
            match read(&rendered, "the rendered Markdown", &options_b) {
                Ok(b) => b,
                Err(why) => return unverifiable(why),
            }
        }
    };
    compare_facets(a, b, options)
}

/// Compares the source side `a` with rendered HTML.
fn compare_rendered(a: Facets, rendered: &str, options: &VerifyOptions) -> Verification {
    match read(
        rendered,
        "the rendered Markdown",
        &rendered_options(options),
    ) {
        Ok(b) => compare_facets(a, b, options),
        Err(why) => unverifiable(why),
    }
}

/// How the rendered side is read: its sources are not rewritten (the
/// converter already wrote them rewritten).
fn rendered_options(options: &VerifyOptions) -> VerifyOptions {
    VerifyOptions {
        images: None,
        links: None,
        ..options.clone()
    }
}

/// Compares the source side `a` with the rendered side `b`.
fn compare_facets(mut a: Facets, b: Facets, options: &VerifyOptions) -> Verification {
    if let Some(dropped) = &options.dropped_image
        && let Some(i) = a.images.iter().position(|s| s == &canon::norm_url(dropped))
    {
        a.images.remove(i);
    }
    let mut differences = Vec::new();
    compare_text(&a, &b, &mut differences);
    compare_bags(
        &a.links,
        &b.links,
        Difference::LinkLost,
        Difference::LinkAdded,
    )
    .for_each(|d| differences.push(d));
    compare_bags(
        &a.images,
        &b.images,
        Difference::ImageLost,
        Difference::ImageAdded,
    )
    .for_each(|d| differences.push(d));
    compare_structure(&a, &b, options.strict, &mut differences);
    Verification { differences }
}

/// Renders Markdown as the target's reader would (see `target`).
pub fn render_for(markdown: &str, reader: Reader) -> String {
    target::render(markdown, reader)
}

/// Renders Markdown as CommonMark with GFM tables and strikethrough.
pub fn render(markdown: &str) -> String {
    use pulldown_cmark::{Options as Md, Parser};
    let parser = Parser::new_ext(markdown, Md::ENABLE_TABLES | Md::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, parser);
    out
}

fn read(html_text: &str, side: &str, options: &VerifyOptions) -> Result<Facets, String> {
    let parsed = html::parse(html_text, options.limits).map_err(|e| format!("{side}: {e}"))?;
    Ok(read_root(&parsed.root, options))
}

fn read_root(root: &html::Node, options: &VerifyOptions) -> Facets {
    let blocks = canon::canonicalize(root, options);
    facets::facets(&blocks, options.strict, root.text_len_in_tree())
}

fn compare_text(a: &Facets, b: &Facets, out: &mut Vec<Difference>) {
    if a.text == b.text {
        return;
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.text.chars().collect(), b.text.chars().collect());
    for hunk in diff::hunks(&ca, &cb).into_iter().take(MAX_PER_KIND) {
        out.push(Difference::TextLost {
            expected: excerpt(a, hunk.a),
            found: excerpt(b, hunk.b),
        });
    }
}

/// The display text around `range` (indices into the whitespace-free text).
fn excerpt(side: &Facets, range: std::ops::Range<usize>) -> String {
    let display = side.display();
    let pos = |i: usize| display.at.get(i).copied().unwrap_or(display.chars.len());
    let start = pos(range.start);
    let end = if range.is_empty() {
        start
    } else {
        pos(range.end - 1) + 1
    };
    let from = start.saturating_sub(CONTEXT);
    let to = (end + CONTEXT).min(display.chars.len());
    let text = |r: std::ops::Range<usize>| display.chars[r].iter().collect::<String>();
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    if end - start > SPAN {
        out.push_str(&text(from..start + SPAN / 2));
        out.push_str(" … ");
        out.push_str(&text(end - SPAN / 2..to));
    } else {
        out.push_str(&text(from..to));
    }
    if to < display.chars.len() {
        out.push('…');
    }
    out
}

/// Compares two multisets of URLs: what `a` has more of is lost, what `b`
/// has more of is added.
fn compare_bags<'a>(
    a: &'a [String],
    b: &'a [String],
    lost: fn(String) -> Difference,
    added: fn(String) -> Difference,
) -> impl Iterator<Item = Difference> + 'a {
    let mut count: BTreeMap<&str, isize> = BTreeMap::new();
    for url in a {
        *count.entry(url).or_default() += 1;
    }
    for url in b {
        *count.entry(url).or_default() -= 1;
    }
    // First appearance order, so a report follows the document.
    let order = |urls: &'a [String], sign: isize| {
        let count = count.clone();
        let mut seen = std::collections::BTreeSet::new();
        urls.iter()
            .filter(move |u| count[u.as_str()] * sign > 0 && seen.insert(u.as_str()))
            .take(MAX_PER_KIND)
            .map(|u| short_url(u))
    };
    let lost_urls = order(a, 1).map(lost);
    let added_urls = order(b, -1).map(added);
    lost_urls.chain(added_urls)
}

fn short_url(url: &str) -> String {
    const MAX: usize = 160;
    if url.chars().count() <= MAX {
        return url.to_owned();
    }
    let mut out: String = url.chars().take(MAX).collect();
    out.push('…');
    out
}

fn compare_structure(a: &Facets, b: &Facets, strict: bool, out: &mut Vec<Difference>) {
    let hunks = if strict {
        let key = |t: &Token| format!("{}\u{0}{}", t.label, t.inline);
        let ka: Vec<String> = a.skeleton.iter().map(key).collect();
        let kb: Vec<String> = b.skeleton.iter().map(key).collect();
        diff::hunks(&ka, &kb)
    } else {
        let ka: Vec<&str> = a.skeleton.iter().map(|t| t.label).collect();
        let kb: Vec<&str> = b.skeleton.iter().map(|t| t.label).collect();
        diff::hunks(&ka, &kb)
    };
    for hunk in hunks.into_iter().take(MAX_PER_KIND) {
        let (ta, tb) = (&a.skeleton[hunk.a.clone()], &b.skeleton[hunk.b.clone()]);
        let (expected, found) = match (ta, tb) {
            // One block whose inline content changed: show where.
            ([x], [y]) if strict && x.label == y.label => inline_excerpts(x, y),
            _ => (
                show_tokens(a, hunk.a, strict),
                show_tokens(b, hunk.b, strict),
            ),
        };
        out.push(Difference::StructureChanged { expected, found });
    }
}

/// Both blocks' inline content around its first difference.
fn inline_excerpts(a: &Token, b: &Token) -> (String, String) {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.inline.chars().collect(), b.inline.chars().collect());
    let first = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let show = |chars: &[char]| {
        let from = first.saturating_sub(CONTEXT);
        let to = (first + SPAN).min(chars.len());
        let mut out = format!("{}(", a.label);
        if from > 0 {
            out.push('…');
        }
        out.extend(&chars[from..to]);
        if to < chars.len() {
            out.push('…');
        }
        out.push(')');
        out
    };
    (show(&ca), show(&cb))
}

/// The tokens of `range`, braced, with one token of context on each side:
/// `p(intro) { ul[ li[ p(one) ] ] } hr`.
fn show_tokens(side: &Facets, range: std::ops::Range<usize>, strict: bool) -> String {
    const MAX_TOKENS: usize = 8;
    let tokens = &side.skeleton;
    let show = |i: usize| side.show(&tokens[i], strict);
    let mut parts: Vec<String> = Vec::new();
    if range.start > 1 {
        parts.push("…".into());
    }
    if range.start > 0 {
        parts.push(show(range.start - 1));
    }
    parts.push("{".into());
    if range.len() > MAX_TOKENS {
        let half = MAX_TOKENS / 2;
        parts.extend((range.start..range.start + half).map(show));
        parts.push(format!("…{} more…", range.len() - MAX_TOKENS));
        parts.extend((range.end - half..range.end).map(show));
    } else {
        parts.extend(range.clone().map(show));
    }
    parts.push("}".into());
    if range.end < tokens.len() {
        parts.push(show(range.end));
    }
    if range.end + 1 < tokens.len() {
        parts.push("…".into());
    }
    parts.join(" ")
}
