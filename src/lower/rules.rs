//! What each HTML element becomes, as lowering rules.
//!
//! The meaning of a tag is its row in the one table of element meanings
//! (`html::elements`), which verification reads too; here each kind of row
//! becomes a rule, in one flat `match`, with what the row leaves to the
//! node (a heading's level, a code block's language). Site rules (36kr
//! project links, captions) are matched before it. Rules return nodes or
//! container kinds, never strings of Markdown.

use super::builder::{BlockKind, InlineKind};
use super::site::{Action, fill};
use super::{Options, media, whitespace};
use crate::html::Node;
use crate::html::elements::{CodeMarkup, holds_code_block, shows_content};
use crate::html::serialize::{Tidy, to_html};
use crate::md::ast::{Align, Block, Inline};

/// How 36kr `a.project-link` anchors are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProjectLinks {
    /// A plain Markdown link, `data-*` clutter gone.
    #[default]
    Link,
    /// The anchor's text only.
    Text,
    /// The anchor unchanged, as inline HTML.
    Keep,
    /// A static-site shortcode (`company` with `id` and `name` by default).
    Shortcode,
}

/// How image captions (`figcaption`, 36kr `p.img-desc`) are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Captions {
    /// An italic paragraph right under the image, which also gets the
    /// caption as alt text when it has none.
    #[default]
    Italic,
    /// A plain paragraph where it stands; alt texts untouched.
    Plain,
}

/// What an element becomes.
pub enum Rule {
    /// Dropped with its content; the code names the diagnostic.
    Drop(&'static str),
    /// The element's box vanishes; its children stay.
    Transparent,
    /// Like `Transparent`, reported (a link whose target would run code).
    Unwrapped(&'static str),
    /// Like `Transparent`, but it starts and ends a paragraph.
    Boundary,
    Inline(InlineKind),
    /// Several wrappers, outermost first (a styled `span`).
    Inlines(Vec<InlineKind>),
    Block(BlockKind),
    Leaf(Leaf),
}

/// An element converted whole, without walking its children.
pub enum Leaf {
    Inline(Inline),
    Block(Block),
    /// Kept as inline HTML (the element's name for the diagnostic).
    Kept(String, &'static str),
    /// A media embed: a video shortcode, a link or kept HTML (`--embeds`).
    Embed,
    /// A script that embeds a page (a gist), turned into a link to it.
    ScriptLink(Inline),
    /// A code block, and the links and images that were inside it, which
    /// follow it as a paragraph (reported).
    Code {
        block: Block,
        markup: Vec<Inline>,
    },
    /// A link around nothing visible, kept for its target (reported).
    EmptyLink(Inline),
    /// Nothing to show (an image with no source...).
    Nothing(&'static str),
}

/// What an element becomes: its row in the one table of element meanings
/// (`html::elements`), plus what the row leaves to the node (a heading's
/// level, a list's start, a cell's alignment). `in_cell`: the node stands
/// in a table cell.
pub fn rule_for(node: &Node, in_cell: bool) -> Rule {
    use crate::html::elements::{Becomes, TableLayout, element, table_layout};
    if let Some(page) = crate::html::elements::script_link(node) {
        return Rule::Leaf(Leaf::ScriptLink(Inline::Link {
            children: vec![Inline::Text(page.clone())],
            href: page,
            title: None,
        }));
    }
    match table_layout(node, in_cell) {
        TableLayout::OneCell => return Rule::Boundary,
        TableLayout::Code { pre, lang } => {
            let mut block = code_block(&pre);
            if let Block::Code {
                lang: own @ None, ..
            } = &mut block
            {
                *own = lang;
            }
            return Rule::Leaf(Leaf::Code {
                block,
                markup: code_markup(&pre),
            });
        }
        TableLayout::Data => {}
    }
    match element(node.tag()).becomes {
        Becomes::Dropped(code) => Rule::Drop(code),
        Becomes::Transparent => styled(node),
        Becomes::Boundary => Rule::Boundary,
        Becomes::Heading => Rule::Block(BlockKind::Heading(heading_level(node))),
        Becomes::Quote => Rule::Block(BlockKind::Quote),
        Becomes::List { ordered } => Rule::Block(BlockKind::List {
            start: ordered.then(|| list_start(node)),
            items: Vec::new(),
        }),
        Becomes::Item => Rule::Block(BlockKind::Item),
        Becomes::Figure => Rule::Block(BlockKind::Figure),
        Becomes::Caption => Rule::Block(BlockKind::Caption),
        Becomes::Table => Rule::Block(BlockKind::Table {
            node: node.clone(),
            rows: Vec::new(),
        }),
        Becomes::Row => Rule::Block(BlockKind::Row { cells: Vec::new() }),
        Becomes::Cell => Rule::Block(BlockKind::Cell {
            spans: has_span(node),
            align: cell_align(node),
        }),
        mark @ (Becomes::Strong | Becomes::Emph | Becomes::Strike) => {
            emphasis(mark).map_or(Rule::Transparent, Rule::Inline)
        }
        Becomes::KeptTag { .. } => Rule::Inline(InlineKind::Tag {
            name: node.tag().to_owned(),
            attrs: node
                .attr("title")
                .map(|t| vec![("title".to_owned(), t.to_owned())])
                .unwrap_or_default(),
        }),
        Becomes::Link => anchor(node),
        Becomes::Image => match media::image(node) {
            Some(Inline::Image { src, .. }) if crate::html::serialize::is_script_url(&src) => {
                Rule::Drop("dropped-unsafe-url")
            }
            Some(img) => Rule::Leaf(Leaf::Inline(img)),
            None => Rule::Leaf(Leaf::Nothing("dropped-image-without-source")),
        },
        Becomes::Break => Rule::Leaf(Leaf::Inline(Inline::HardBreak)),
        Becomes::Rule => Rule::Leaf(Leaf::Block(Block::Rule)),
        Becomes::CodeBlock => Rule::Leaf(Leaf::Code {
            block: code_block(node),
            markup: code_markup(node),
        }),
        // `<code><pre>`: a box around the block, not inline code.
        Becomes::CodeSpan if holds_code_block(node) => Rule::Transparent,
        Becomes::CodeSpan => inline_code(node),
        Becomes::Embed => Rule::Leaf(Leaf::Embed),
    }
}

/// The emphasis an element (or a style mark) stands for.
fn emphasis(becomes: crate::html::elements::Becomes) -> Option<InlineKind> {
    use crate::html::elements::Becomes;
    match becomes {
        Becomes::Strong => Some(InlineKind::Strong),
        Becomes::Emph => Some(InlineKind::Emph),
        Becomes::Strike => Some(InlineKind::Strike),
        _ => None,
    }
}

/// A box whose style shows emphasis is that emphasis; any other vanishes.
fn styled(node: &Node) -> Rule {
    let kinds: Vec<InlineKind> = crate::html::elements::style_marks(node)
        .into_iter()
        .filter_map(emphasis)
        .collect();
    if kinds.is_empty() {
        Rule::Transparent
    } else {
        Rule::Inlines(kinds)
    }
}

/// Site rules (the config's, then the built-in 36kr preset), and the 36kr
/// caption pattern. The first matching rule wins; its name is returned so
/// the walk can count it.
pub fn site_rule(node: &Node, options: &Options) -> Option<(Option<String>, Rule)> {
    if let Some(rule) = options.rules.iter().find(|r| r.selector.matches(node)) {
        return Some((Some(rule.name.clone()), action_rule(&rule.action, node)));
    }
    match node.tag() {
        "p" if options.captions == Captions::Italic && node.has_class("img-desc") => {
            Some((None, Rule::Block(BlockKind::Caption)))
        }
        "figure" | "figcaption" if options.captions == Captions::Plain => {
            Some((None, Rule::Boundary))
        }
        _ => None,
    }
}

fn action_rule(action: &Action, node: &Node) -> Rule {
    match action {
        Action::Unwrap | Action::Text => Rule::Transparent,
        Action::Remove => Rule::Drop("dropped-by-rule"),
        Action::KeepHtml => Rule::Leaf(Leaf::Kept(
            to_html(node, Tidy { all_attrs: true }),
            "element",
        )),
        Action::Link { href: None } => anchor(node),
        Action::Link { href: Some(t) } => Rule::Inline(InlineKind::Link {
            href: fill(t, node).trim().to_owned(),
            title: None,
        }),
        Action::Shortcode { name, args } => Rule::Leaf(Leaf::Inline(Inline::Shortcode {
            name: name.clone(),
            args: args
                .iter()
                .map(|(k, t)| (k.clone(), fill(t, node)))
                .collect(),
        })),
    }
}

fn anchor(node: &Node) -> Rule {
    match node.attr("href") {
        Some(href) if crate::html::serialize::is_script_url(href) => {
            Rule::Unwrapped("dropped-unsafe-url")
        }
        Some(href) if !href.trim().is_empty() => {
            let href = href.trim().to_owned();
            let title = node
                .attr("title")
                .map(whitespace::collapse_all)
                .filter(|t| !t.is_empty());
            if shows_content(node) {
                Rule::Inline(InlineKind::Link { href, title })
            } else {
                empty_link(href, title)
            }
        }
        _ => Rule::Transparent,
    }
}

/// A link around nothing a reader sees, one rule wherever it stands: a
/// fragment (a heading's permalink anchor) goes; any other keeps its
/// target as `[](url)`, reported, so the URL stays in the post.
fn empty_link(href: String, title: Option<String>) -> Rule {
    if href.starts_with('#') {
        return Rule::Drop("dropped-empty-anchor");
    }
    Rule::Leaf(Leaf::EmptyLink(Inline::Link {
        href,
        title,
        children: Vec::new(),
    }))
}

fn heading_level(node: &Node) -> u8 {
    node.tag()[1..].parse().unwrap_or(1)
}

fn list_start(node: &Node) -> u64 {
    node.attr("start")
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|n| *n < 1_000_000_000)
        .unwrap_or(1)
}

fn has_span(cell: &Node) -> bool {
    ["colspan", "rowspan"].iter().any(|a| {
        cell.attr(a)
            .and_then(|v| v.trim().parse::<u32>().ok())
            .is_some_and(|n| n != 1)
    })
}

fn cell_align(cell: &Node) -> Align {
    let style = cell.attr("style").unwrap_or_default().to_ascii_lowercase();
    let align = cell.attr("align").unwrap_or_default().to_ascii_lowercase();
    let says = |what: &str| {
        align == what
            || style.contains(&format!("text-align:{what}"))
            || style.contains(&format!("text-align: {what}"))
    };
    if says("center") {
        Align::Center
    } else if says("right") {
        Align::Right
    } else if says("left") {
        Align::Left
    } else {
        Align::None
    }
}

fn code_block(pre: &Node) -> Block {
    let mut text = crate::html::elements::code_text(pre);
    if text.ends_with('\n') {
        text.pop();
    }
    let lang = language(pre).or_else(|| {
        pre.children()
            .into_iter()
            .find(|c| c.tag() == "code")
            .and_then(|c| language(&c))
    });
    Block::Code { lang, text }
}

/// The language a code block names: `lang="x"` (WordPress code plugins),
/// `class="language-x"`, `lang-x` (prettify), `highlight-source-x` or
/// `brush: x` (SyntaxHighlighter).
fn language(node: &Node) -> Option<String> {
    if let Some(lang) = node.attr("lang").map(|l| l.trim().to_owned())
        && is_language(&lang)
    {
        return Some(lang);
    }
    let class = node.attr("class")?;
    let mut words = class.split(|c: char| c.is_ascii_whitespace() || c == ';');
    while let Some(word) = words.next() {
        let named = match word.strip_prefix("brush:") {
            Some("") => words.find(|w| !w.is_empty()),
            Some(lang) => Some(lang),
            None => ["language-", "lang-", "highlight-source-"]
                .iter()
                .find_map(|p| word.strip_prefix(p)),
        };
        if let Some(lang) = named.filter(|l| is_language(l)) {
            return Some(lang.to_owned());
        }
    }
    None
}

/// A word that can follow a fence: no spaces, no backticks.
fn is_language(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 32
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '#' | '_' | '.'))
}

/// The links and images inside a code block, as inlines a reader keeps.
fn code_markup(code: &Node) -> Vec<Inline> {
    let mut out = Vec::new();
    for markup in crate::html::elements::code_markup(code) {
        if !out.is_empty() {
            out.push(Inline::Text(" ".to_owned()));
        }
        match markup {
            CodeMarkup::Link {
                href,
                label,
                images,
            } => {
                let mut children: Vec<Inline> = images.iter().filter_map(media::image).collect();
                if !label.is_empty() || children.is_empty() {
                    children.push(Inline::Text(label));
                }
                out.push(Inline::Link {
                    href,
                    title: None,
                    children,
                });
            }
            CodeMarkup::Image(img) => out.extend(media::image(&img)),
        }
    }
    out
}

/// Inline code, its whitespace collapsed. Code of only whitespace shows
/// a blank code box: it stays one space (`` ` ` ``); only code with no
/// text at all shows nothing.
fn inline_code(node: &Node) -> Rule {
    let raw = node.text_content(false);
    let text = whitespace::collapse_all(&raw);
    match (text.is_empty(), raw.is_empty()) {
        (false, _) => Rule::Leaf(Leaf::Inline(Inline::Code(text))),
        (true, false) => Rule::Leaf(Leaf::Inline(Inline::Code(" ".to_owned()))),
        (true, true) => Rule::Leaf(Leaf::Nothing("dropped-empty-code")),
    }
}
