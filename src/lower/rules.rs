//! The element table: what each HTML element becomes.
//!
//! One entry per element group, in one `match`, so a reader can see the
//! whole mapping at once. Site rules (36kr project links, captions) are
//! matched before the generic table. Rules return nodes or container kinds,
//! never strings of Markdown.

use super::builder::{BlockKind, InlineKind};
use super::site::{Action, fill};
use super::{Options, media, whitespace};
use crate::html::Node;
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
    Block(BlockKind),
    Leaf(Leaf),
}

/// An element converted whole, without walking its children.
pub enum Leaf {
    Inline(Inline),
    Block(Block),
    /// Kept as inline HTML (the element's name for the diagnostic).
    Kept(String, &'static str),
    /// A media embed turned into a link.
    Embed(Inline),
    /// Nothing to show (an image with no source...).
    Nothing(&'static str),
}

/// The generic element table.
pub fn rule_for(node: &Node) -> Rule {
    match node.tag() {
        "script" => Rule::Drop("dropped-script"),
        "style" | "link" => Rule::Drop("dropped-style"),
        // `noembed` and `noframes` hold raw text a browser never shows (and
        // kept HTML leaves out): as text, it would come and go between runs.
        "noscript" | "noembed" | "noframes" | "template" | "head" | "title" | "meta" | "base" => {
            Rule::Drop("dropped-element")
        }
        "button" | "input" | "select" | "textarea" | "svg" | "canvas" | "math" | "form"
        | "dialog" => Rule::Drop("dropped-element"),
        "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside" | "nav"
        | "center" | "address" | "hgroup" | "details" | "summary" | "dl" | "dt" | "dd"
        | "fieldset" | "body" | "html" | "legend" => Rule::Boundary,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            Rule::Block(BlockKind::Heading(heading_level(node)))
        }
        "blockquote" => Rule::Block(BlockKind::Quote),
        "ul" | "menu" => Rule::Block(BlockKind::List {
            start: None,
            items: Vec::new(),
        }),
        "ol" => Rule::Block(BlockKind::List {
            start: Some(list_start(node)),
            items: Vec::new(),
        }),
        "li" => Rule::Block(BlockKind::Item),
        "figure" => Rule::Block(BlockKind::Figure),
        "figcaption" => Rule::Block(BlockKind::Caption),
        "table" => Rule::Block(BlockKind::Table {
            node: node.clone(),
            rows: Vec::new(),
        }),
        "tr" => Rule::Block(BlockKind::Row { cells: Vec::new() }),
        "td" | "th" => Rule::Block(BlockKind::Cell {
            spans: has_span(node),
            align: cell_align(node),
        }),
        "caption" => Rule::Boundary,
        "strong" | "b" => Rule::Inline(InlineKind::Strong),
        "em" | "i" | "cite" | "dfn" | "var" => Rule::Inline(InlineKind::Emph),
        "del" | "s" | "strike" => Rule::Inline(InlineKind::Strike),
        "sup" | "sub" | "kbd" | "u" | "mark" | "abbr" | "ins" | "small" | "q" | "samp" => {
            Rule::Inline(InlineKind::Tag {
                name: node.tag().to_owned(),
                attrs: node
                    .attr("title")
                    .map(|t| vec![("title".to_owned(), t)])
                    .unwrap_or_default(),
            })
        }
        "a" => anchor(node),
        "img" => match media::image(node) {
            Some(Inline::Image { src, .. }) if crate::html::serialize::is_script_url(&src) => {
                Rule::Drop("dropped-unsafe-url")
            }
            Some(img) => Rule::Leaf(Leaf::Inline(img)),
            None => Rule::Leaf(Leaf::Nothing("dropped-image-without-source")),
        },
        "br" => Rule::Leaf(Leaf::Inline(Inline::HardBreak)),
        "hr" => Rule::Leaf(Leaf::Block(Block::Rule)),
        "pre" | "xmp" | "plaintext" | "listing" => Rule::Leaf(Leaf::Block(code_block(node))),
        "code" | "tt" => inline_code(node),
        "iframe" | "video" | "audio" | "embed" | "object" => match media::embed_source(node) {
            Some(src) => Rule::Leaf(Leaf::Embed(media::embed_link(node, src))),
            None => Rule::Drop("dropped-embed"),
        },
        _ => Rule::Transparent,
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
        Some(href) if crate::html::serialize::is_script_url(&href) => {
            Rule::Unwrapped("dropped-unsafe-url")
        }
        Some(href) if !href.trim().is_empty() => Rule::Inline(InlineKind::Link {
            href: href.trim().to_owned(),
            title: node
                .attr("title")
                .map(|t| whitespace::collapse_all(&t))
                .filter(|t| !t.is_empty()),
        }),
        _ => Rule::Transparent,
    }
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
    let mut text = pre.text_content(true);
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

/// `class="language-x"`, `lang-x` or `highlight-source-x`.
fn language(node: &Node) -> Option<String> {
    let class = node.attr("class")?;
    class.split_ascii_whitespace().find_map(|c| {
        ["language-", "lang-", "highlight-source-"]
            .iter()
            .find_map(|p| c.strip_prefix(p))
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
    })
}

fn inline_code(node: &Node) -> Rule {
    let text = whitespace::collapse_all(&node.text_content(false));
    if text.is_empty() {
        return Rule::Leaf(Leaf::Nothing("dropped-empty-code"));
    }
    Rule::Leaf(Leaf::Inline(Inline::Code(text)))
}
