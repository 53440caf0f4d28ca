//! The one table of element meanings: a row per tag saying what the
//! converter makes of it and whether a reader of the page sees its content.
//!
//! Lowering (`lower::rules`), verification (`verify::canon`), the HTML kept
//! inside Markdown bodies (`post::embedded`, `post`) and kept-HTML
//! serialization (`html::serialize`) all read this table, so they cannot
//! drift apart. Where the converter drops what a reader sees, the row says
//! so ([`Reader::DroppedOnPurpose`]) and verification reads it the same
//! way: an intended difference is a row, never a second table. Tags not in
//! the table are inline wrappers whose box vanishes (`span`, `font`...).
//!
//! This module only describes elements; it never walks a document beyond
//! [`shows_content`], and it imports nothing from the stages that read it.

use super::{Node, NodeKind};

/// What the converter makes of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Becomes {
    /// Dropped with its content, reported under this diagnostic code.
    Dropped(&'static str),
    /// The box vanishes; the children stay.
    Transparent,
    /// The box vanishes, but it starts and ends a paragraph.
    Boundary,
    Heading,
    Quote,
    List {
        ordered: bool,
    },
    Item,
    Figure,
    Caption,
    Table,
    Row,
    Cell,
    Strong,
    Emph,
    Strike,
    /// Kept as an inline tag pair around its converted children (`<sup>`);
    /// `code` when a browser shows it as code (`<kbd>`, `<samp>`).
    KeptTag {
        code: bool,
    },
    Link,
    Image,
    Break,
    Rule,
    /// A fenced code block of its lines.
    CodeBlock,
    CodeSpan,
    /// A media embed (its handling lives in `lower::media`).
    Embed,
}

/// Whether a reader of the page sees an element's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Sees,
    /// Nothing of it shows (scripts, metadata, a closed `<dialog>`).
    Hidden,
    /// A reader sees it (a button's label, an SVG's text), but Markdown has
    /// no place for it: the converter drops it and verification does not
    /// count it as lost.
    DroppedOnPurpose,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Element {
    pub tag: &'static str,
    pub becomes: Becomes,
    pub reader: Reader,
    /// Its start tag begins a CommonMark HTML block (types 1 and 6), as
    /// far as telling an HTML body from a Markdown one goes.
    pub html_block: bool,
    /// A void element: it has no end tag and no content.
    pub void: bool,
    /// The parser takes its content as raw text.
    pub raw_text: bool,
}

const fn row(tag: &'static str, becomes: Becomes, reader: Reader) -> Element {
    Element {
        tag,
        becomes,
        reader,
        html_block: false,
        void: false,
        raw_text: false,
    }
}

impl Element {
    const fn block(mut self) -> Self {
        self.html_block = true;
        self
    }
    const fn void(mut self) -> Self {
        self.void = true;
        self
    }
    const fn raw(mut self) -> Self {
        self.raw_text = true;
        self
    }
}

use Becomes as B;
use Reader::{DroppedOnPurpose as Purpose, Hidden, Sees};

const DROP: Becomes = B::Dropped("dropped-element");

/// The table, sorted by tag (a unit test checks it).
const TABLE: &[Element] = &[
    row("a", B::Link, Sees),
    row("abbr", B::KeptTag { code: false }, Sees),
    row("address", B::Boundary, Sees).block(),
    row("article", B::Boundary, Sees).block(),
    row("aside", B::Boundary, Sees).block(),
    row("audio", B::Embed, Sees),
    row("b", B::Strong, Sees),
    row("base", DROP, Hidden).void(),
    row("blockquote", B::Quote, Sees).block(),
    row("body", B::Boundary, Sees).block(),
    row("br", B::Break, Sees).void(),
    // Form controls: their labels show, but they are no document content.
    row("button", DROP, Purpose),
    // A canvas shows pixels; its fallback content only without canvas support.
    row("canvas", DROP, Hidden),
    row("caption", B::Boundary, Sees),
    row("center", B::Boundary, Sees).block(),
    row("cite", B::Emph, Sees),
    row("code", B::CodeSpan, Sees),
    row("col", B::Transparent, Sees).void(),
    row("dd", B::Boundary, Sees).block(),
    row("del", B::Strike, Sees),
    row("details", B::Boundary, Sees).block(),
    row("dfn", B::Emph, Sees),
    // A dialog shows only once a script opens it.
    row("dialog", DROP, Hidden).block(),
    row("div", B::Boundary, Sees).block(),
    row("dl", B::Boundary, Sees).block(),
    row("dt", B::Boundary, Sees).block(),
    row("em", B::Emph, Sees),
    row("embed", B::Embed, Sees).void(),
    row("fieldset", B::Boundary, Sees),
    row("figcaption", B::Caption, Sees).block(),
    row("figure", B::Figure, Sees).block(),
    row("footer", B::Boundary, Sees).block(),
    // A form's text (labels, paragraphs) shows; its controls are rows of their own.
    row("form", B::Boundary, Sees).block(),
    row("h1", B::Heading, Sees).block(),
    row("h2", B::Heading, Sees).block(),
    row("h3", B::Heading, Sees).block(),
    row("h4", B::Heading, Sees).block(),
    row("h5", B::Heading, Sees).block(),
    row("h6", B::Heading, Sees).block(),
    row("head", DROP, Hidden),
    row("header", B::Boundary, Sees).block(),
    row("hgroup", B::Boundary, Sees),
    row("hr", B::Rule, Sees).block().void(),
    row("html", B::Boundary, Sees).block(),
    row("i", B::Emph, Sees),
    row("iframe", B::Embed, Sees).block().raw(),
    row("img", B::Image, Sees).void(),
    row("input", DROP, Purpose).void(),
    row("ins", B::KeptTag { code: false }, Sees),
    row("kbd", B::KeptTag { code: true }, Sees),
    row("legend", B::Boundary, Sees),
    row("li", B::Item, Sees).block(),
    row("link", B::Dropped("dropped-style"), Hidden).void(),
    row("listing", B::CodeBlock, Sees),
    row("main", B::Boundary, Sees).block(),
    row("mark", B::KeptTag { code: false }, Sees),
    // MathML shows formulas Markdown cannot hold.
    row("math", DROP, Purpose),
    row("menu", B::List { ordered: false }, Sees),
    row("meta", DROP, Hidden).void(),
    row("nav", B::Boundary, Sees).block(),
    row("noembed", DROP, Hidden).raw(),
    row("noframes", DROP, Hidden).raw(),
    // Shown only with scripts off; lazy loaders' fallbacks repeat an image.
    row("noscript", DROP, Hidden),
    row("object", B::Embed, Sees),
    row("ol", B::List { ordered: true }, Sees).block(),
    row("p", B::Boundary, Sees).block(),
    row("plaintext", B::CodeBlock, Sees),
    row("pre", B::CodeBlock, Sees).block(),
    row("q", B::KeptTag { code: false }, Sees),
    row("s", B::Strike, Sees),
    row("samp", B::KeptTag { code: true }, Sees),
    row("script", B::Dropped("dropped-script"), Hidden)
        .block()
        .raw(),
    row("section", B::Boundary, Sees).block(),
    row("select", DROP, Purpose),
    row("small", B::KeptTag { code: false }, Sees),
    row("source", B::Transparent, Hidden).void(),
    row("strike", B::Strike, Sees),
    row("strong", B::Strong, Sees),
    row("style", B::Dropped("dropped-style"), Hidden)
        .block()
        .raw(),
    row("sub", B::KeptTag { code: false }, Sees),
    row("summary", B::Boundary, Sees),
    row("sup", B::KeptTag { code: false }, Sees),
    // SVG text shows, but only as a picture's part.
    row("svg", DROP, Purpose),
    row("table", B::Table, Sees).block(),
    row("tbody", B::Transparent, Sees).block(),
    row("td", B::Cell, Sees).block(),
    row("template", DROP, Hidden),
    row("textarea", DROP, Purpose).block().raw(),
    row("tfoot", B::Transparent, Sees).block(),
    row("th", B::Cell, Sees).block(),
    row("thead", B::Transparent, Sees).block(),
    row("title", DROP, Hidden).raw(),
    row("tr", B::Row, Sees).block(),
    row("track", B::Transparent, Hidden).void(),
    row("tt", B::CodeSpan, Sees),
    row("u", B::KeptTag { code: false }, Sees),
    row("ul", B::List { ordered: false }, Sees).block(),
    row("var", B::Emph, Sees),
    row("video", B::Embed, Sees),
    row("wbr", B::Transparent, Sees).void(),
    row("xmp", B::CodeBlock, Sees),
];

/// The row of an element that has none: an inline box that vanishes.
const OTHER: Element = row("", B::Transparent, Sees);

/// The row for `tag` (a lower-case local name).
pub fn element(tag: &str) -> &'static Element {
    // Every element of every tree is looked up (by lowering and by
    // verification): a short hash and one comparison, not a binary search
    // of string comparisons.
    let mut slot = tag_hash(tag) & (SLOTS - 1);
    loop {
        match INDEX[slot] {
            0 => return &OTHER,
            row if TABLE[usize::from(row) - 1].tag == tag => return &TABLE[usize::from(row) - 1],
            _ => slot = (slot + 1) & (SLOTS - 1),
        }
    }
}

/// Slots of the index: a power of two, several times the rows, so that
/// probes stay short.
const SLOTS: usize = 512;

/// An open-addressing index of [`TABLE`] by tag: row number + 1, 0 empty.
static INDEX: std::sync::LazyLock<[u16; SLOTS]> = std::sync::LazyLock::new(|| {
    let mut index = [0u16; SLOTS];
    for (row, e) in TABLE.iter().enumerate() {
        let mut slot = tag_hash(e.tag) & (SLOTS - 1);
        while index[slot] != 0 {
            slot = (slot + 1) & (SLOTS - 1);
        }
        index[slot] = u16::try_from(row + 1).expect("fewer rows than u16::MAX");
    }
    index
});

/// FNV-1a of a tag's bytes.
fn tag_hash(tag: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for b in tag.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    hash as usize
}

/// Whether a reader sees the content of `tag`.
pub fn is_seen(tag: &str) -> bool {
    element(tag).reader == Reader::Sees
}

/// Whether an element shows a reader anything: text that is not
/// whitespace, or an image or embed, outside elements whose content is not
/// seen. (A link around nothing, a heading's permalink anchor, does not.)
pub fn shows_content(node: &Node) -> bool {
    let mut stack = node.children();
    while let Some(n) = stack.pop() {
        match n.kind() {
            NodeKind::Text(t) if t.chars().any(|c| !c.is_whitespace()) => return true,
            NodeKind::Element(tag) => {
                let row = element(tag);
                match row.becomes {
                    B::Image | B::Embed => return true,
                    _ if row.reader != Sees => {}
                    _ => stack.extend(n.child_nodes()),
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether `node` holds a code block (`<code><pre>`, as WordPress code
/// plugins write): it is then a box around a block, not inline code.
pub fn holds_code_block(node: &Node) -> bool {
    let mut stack = node.children();
    while let Some(n) = stack.pop() {
        if element(n.tag()).becomes == B::CodeBlock {
            return true;
        }
        stack.extend(n.child_nodes());
    }
    false
}

/// The lines of a code block as a browser shows them: `<br>` and the end
/// of a block inside it (a highlighter's `<div class="line">`, a table row
/// the parser built from `List<Table>`) break the line; content no reader
/// sees is left out.
pub fn code_text(code: &Node) -> String {
    enum Step {
        Visit(Node),
        EndLine,
    }
    let mut out = String::new();
    let mut broke = false;
    let mut stack: Vec<Step> = code.child_nodes().rev().map(Step::Visit).collect();
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::EndLine => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                    broke = true;
                }
                continue;
            }
            Step::Visit(node) => node,
        };
        match node.kind() {
            NodeKind::Text(t) => {
                // The source's own newline after a block that already broke.
                let t = match t.strip_prefix('\n') {
                    Some(rest) if broke => rest,
                    _ => t,
                };
                out.push_str(t);
                broke = broke && t.is_empty();
            }
            NodeKind::Element(tag) => {
                let row = element(tag);
                match row.becomes {
                    _ if row.reader != Sees => continue,
                    B::Break => {
                        out.push('\n');
                        broke = false;
                        continue;
                    }
                    B::Boundary | B::Row | B::Item | B::Heading | B::Quote | B::List { .. } => {
                        stack.push(Step::EndLine)
                    }
                    _ => {}
                }
                stack.extend(node.child_nodes().rev().map(Step::Visit));
            }
            _ => {}
        }
    }
    out
}

/// A link or image inside a code block, which Markdown code cannot hold.
pub enum CodeMarkup {
    /// A link: its target, its text (whitespace collapsed) and the images
    /// it shows.
    Link {
        href: String,
        label: String,
        images: Vec<Node>,
    },
    Image(Node),
}

/// The links and images inside a code block, in document order. Script
/// URLs and links without a target are left out (their text is in the
/// code's lines).
pub fn code_markup(code: &Node) -> Vec<CodeMarkup> {
    let mut out = Vec::new();
    let mut stack: Vec<Node> = code.child_nodes().rev().collect();
    while let Some(n) = stack.pop() {
        match element(n.tag()).becomes {
            B::Link => {
                if let Some(href) = n.attr("href").map(|h| h.trim().to_owned())
                    && !href.is_empty()
                    && !super::serialize::is_script_url(&href)
                {
                    out.push(CodeMarkup::Link {
                        label: words(&n.text_content(false)),
                        images: images(&n),
                        href,
                    });
                    continue;
                }
            }
            B::Image => {
                out.push(CodeMarkup::Image(n));
                continue;
            }
            _ => {}
        }
        stack.extend(n.child_nodes().rev());
    }
    out
}

fn images(node: &Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack: Vec<Node> = node.child_nodes().rev().collect();
    while let Some(n) = stack.pop() {
        if element(n.tag()).becomes == B::Image {
            out.push(n.clone());
        }
        stack.extend(n.child_nodes().rev());
    }
    out
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a table means beyond its rows.
pub enum TableLayout {
    /// Rows and cells of data.
    Data,
    /// One cell holding blocks (paragraphs, lists, nested tables), or any
    /// one cell inside another table: a layout box whose content is all it
    /// says. (One cell of inline content on its own is still a table: GFM
    /// can say it.)
    OneCell,
    /// A line-number gutter beside a code cell (Hexo's `figure.highlight`,
    /// WordPress and gist highlighters): the code, in its `pre` (or the
    /// code cell, when its lines are `div`s), with the language the
    /// wrapper names.
    Code { pre: Node, lang: Option<String> },
}

/// Reads a `table` (or Hexo's `figure.highlight` around one); `nested`
/// when it stands in another table's cell, where a table of one cell can
/// only be layout (GFM tables do not nest).
pub fn table_layout(node: &Node, nested: bool) -> TableLayout {
    let (table, lang) = match node.tag() {
        "table" => (node.clone(), None),
        "figure" if node.has_class("highlight") => {
            let Some(table) = only_element_child(node).filter(|t| t.tag() == "table") else {
                return TableLayout::Data;
            };
            let class = node.attr("class").unwrap_or_default();
            let lang = class
                .split_ascii_whitespace()
                .find(|c| *c != "highlight")
                .map(str::to_owned);
            (table, lang)
        }
        _ => return TableLayout::Data,
    };
    let rows = rows(&table);
    let cells: Vec<Vec<Node>> = rows.iter().map(cells).collect();
    match cells.as_slice() {
        [row] if row.len() == 1 && node.tag() == "table" && (nested || holds_blocks(&row[0])) => {
            TableLayout::OneCell
        }
        [row] if row.len() == 2 && is_gutter(&row[0]) => match find_pre(&row[1]) {
            Some(pre) => TableLayout::Code { pre, lang },
            // SyntaxHighlighter 3 writes a line per `div`, no `pre`: the
            // gutter's class says what the table is.
            None if names_gutter(&row[0]) => TableLayout::Code {
                pre: row[1].clone(),
                lang,
            },
            None => TableLayout::Data,
        },
        _ => TableLayout::Data,
    }
}

/// Whether a cell holds block content.
fn holds_blocks(cell: &Node) -> bool {
    let mut stack = cell.children();
    while let Some(n) = stack.pop() {
        match element(n.tag()).becomes {
            B::Boundary
            | B::Heading
            | B::Quote
            | B::List { .. }
            | B::Item
            | B::Figure
            | B::Table
            | B::CodeBlock
            | B::Rule => return true,
            _ => stack.extend(n.child_nodes()),
        }
    }
    false
}

fn only_element_child(node: &Node) -> Option<Node> {
    let mut elements = node
        .children()
        .into_iter()
        .filter(|c| matches!(c.kind(), NodeKind::Element(_)));
    let first = elements.next()?;
    elements.next().is_none().then_some(first)
}

/// The rows of a table, its own only (not a nested table's).
fn rows(table: &Node) -> Vec<Node> {
    let mut out = Vec::new();
    for child in table.children() {
        match child.tag() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => {
                out.extend(child.child_nodes().filter(|r| r.tag() == "tr"))
            }
            _ => {}
        }
    }
    out
}

fn cells(row: &Node) -> Vec<Node> {
    row.children()
        .into_iter()
        .filter(|c| matches!(c.tag(), "td" | "th"))
        .collect()
}

/// A cell of line numbers only.
fn is_gutter(cell: &Node) -> bool {
    let text = cell.text_content(true);
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
}

fn names_gutter(cell: &Node) -> bool {
    let class = cell.attr("class").unwrap_or_default().to_ascii_lowercase();
    ["gutter", "line-number", "linenos", "num"]
        .iter()
        .any(|name| class.contains(name))
}

fn find_pre(cell: &Node) -> Option<Node> {
    let mut stack = cell.children();
    while let Some(n) = stack.pop() {
        if element(n.tag()).becomes == B::CodeBlock {
            return Some(n);
        }
        stack.extend(n.child_nodes());
    }
    None
}

/// The emphasis an inline box's `style` shows (Blogger's `<span
/// style="font-weight: bold">`), outermost first: [`Becomes::Emph`],
/// [`Becomes::Strong`], [`Becomes::Strike`]. Only boxes whose row is
/// transparent (`span`, `font`...) are read; a block's style is layout.
pub fn style_marks(node: &Node) -> Vec<Becomes> {
    if element(node.tag()).becomes != B::Transparent {
        return Vec::new();
    }
    let Some(style) = node.attr("style") else {
        return Vec::new();
    };
    let mut marks = Vec::new();
    let mut add = |mark| {
        if !marks.contains(&mark) {
            marks.push(mark);
        }
    };
    for declaration in style.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        let value = value.trim_end_matches("!important").trim();
        match property.trim().to_ascii_lowercase().as_str() {
            "font-style" if matches!(value, "italic" | "oblique") => add(B::Emph),
            "font-weight" if matches!(value, "bold" | "bolder" | "600" | "700" | "800" | "900") => {
                add(B::Strong)
            }
            "text-decoration" | "text-decoration-line"
                if value.split_ascii_whitespace().any(|w| w == "line-through") =>
            {
                add(B::Strike)
            }
            _ => {}
        }
    }
    marks.sort_by_key(|m| match m {
        B::Emph => 0,
        B::Strong => 1,
        _ => 2,
    });
    marks
}

/// The page a script shows in its place, when it is known: a GitHub gist
/// embed (`<script src="https://gist.github.com/u/id.js">`) shows the gist,
/// and GitHub's file embed (`https://embed.github.com/view/geojson/OWNER/
/// REPO/REF/PATH`, a map or a 3D model) shows that file, so each reads as a
/// link to the page (its URL as the text).
pub fn script_link(node: &Node) -> Option<String> {
    if node.tag() != "script" {
        return None;
    }
    let src = node.attr("src")?;
    let path = src.trim().split(['?', '#']).next()?;
    gist_page(path).or_else(|| github_file_page(path))
}

fn without_scheme<'a>(url: &'a str, host: &str) -> Option<&'a str> {
    ["https://", "http://", "//"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme)?.strip_prefix(host))
}

fn gist_page(path: &str) -> Option<String> {
    let rest = without_scheme(path.strip_suffix(".js")?, "gist.github.com/")?;
    (!rest.is_empty()).then(|| format!("https://gist.github.com/{rest}"))
}

/// `view/KIND/OWNER/REPO/REF/PATH` → the file's page on GitHub.
fn github_file_page(path: &str) -> Option<String> {
    let rest = without_scheme(path, "embed.github.com/view/")?;
    let mut parts = rest.splitn(5, '/');
    let _kind = parts.next()?;
    let (owner, repo, git_ref, file) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let named = [owner, repo, git_ref, file].iter().all(|p| !p.is_empty());
    named.then(|| format!("https://github.com/{owner}/{repo}/blob/{git_ref}/{file}"))
}

/// Every row, for the readers that list tags (tests, documentation).
pub fn all() -> &'static [Element] {
    TABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_scripts_read_as_the_page_they_show() {
        assert_eq!(
            gist_page("//gist.github.com/u/1a2b.js").as_deref(),
            Some("https://gist.github.com/u/1a2b")
        );
        assert_eq!(
            github_file_page("https://embed.github.com/view/geojson/o/r/gh-pages/d/sites.geojson")
                .as_deref(),
            Some("https://github.com/o/r/blob/gh-pages/d/sites.geojson")
        );
        assert_eq!(
            github_file_page("https://embed.github.com/view/geojson/o/r"),
            None
        );
        assert_eq!(
            gist_page("https://example.com/gist.github.com/u/1.js"),
            None
        );
    }

    #[test]
    fn the_index_finds_every_row_and_nothing_else() {
        // `TABLE` is a constant: rows are told apart by their tags.
        for e in TABLE {
            assert_eq!(element(e.tag).tag, e.tag);
        }
        for other in ["x", "custom-element", "P", "blockquotes", "h7", "svg:a"] {
            assert_eq!(element(other).tag, "", "{other}");
        }
        assert!(TABLE.len() * 3 < SLOTS);
    }

    #[test]
    fn the_table_is_sorted_and_has_one_row_per_tag() {
        for pair in TABLE.windows(2) {
            assert!(
                pair[0].tag < pair[1].tag,
                "{} ≥ {}",
                pair[0].tag,
                pair[1].tag
            );
        }
    }

    /// The drift issue 12 found (`<form>` dropped, its text counted) cannot
    /// come back: the converter drops exactly what the reader column says
    /// is not seen, embeds aside (their handling is `lower::media`'s).
    #[test]
    fn the_converter_drops_exactly_what_no_reader_sees() {
        for e in TABLE {
            let dropped = matches!(e.becomes, B::Dropped(_));
            let void_or_embed = e.void || e.becomes == B::Embed;
            if !void_or_embed {
                assert_eq!(dropped, e.reader != Sees, "row {}", e.tag);
            }
        }
    }

    #[test]
    fn unknown_tags_are_transparent_and_seen() {
        assert_eq!(element("span").becomes, B::Transparent);
        assert!(is_seen("font"));
        assert_eq!(element("form").becomes, B::Boundary);
    }
}
