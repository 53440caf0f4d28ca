//! The one Markdown writer: the only place that escapes, spaces and indents.
//!
//! Blocks are rendered to lines; containers (quotes, list items) prefix
//! their children's lines, so nesting needs no state. Blocks are separated
//! by exactly one blank line, output ends with one newline and no line ends
//! in a space (code blocks aside, whose content is byte-exact).

use super::ast::{Align, Block, Document, Embed, Inline, List, Table};
use super::escape::{self, Context, Dialect, Templates};
use super::flanking::{can_close, can_open};

/// The static-site generator whose template syntax the output must respect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SiteSyntax {
    /// Plain Markdown: no template processing.
    #[default]
    None,
    Hugo,
    Hexo,
    Jekyll,
    Zola,
}

impl SiteSyntax {
    /// The Markdown reader the site renders posts with.
    pub fn dialect(self) -> Dialect {
        match self {
            SiteSyntax::None | SiteSyntax::Zola => Dialect::CommonMark,
            SiteSyntax::Hugo => Dialect::Goldmark,
            SiteSyntax::Hexo => Dialect::Marked,
            SiteSyntax::Jekyll => Dialect::Kramdown,
        }
    }
}

/// Renders a document as CommonMark + GFM, for a site whose template
/// syntax must not fire on scraped text.
pub fn write(doc: &Document, site: SiteSyntax) -> String {
    let mut lines = blocks(&doc.blocks, site);
    // `---` on the first line would open front matter when read back.
    if matches!(doc.blocks.first(), Some(Block::Rule)) {
        lines[0] = "***".to_owned();
    }
    let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Renders a sequence of sibling blocks, one blank line between them.
fn blocks(blocks: &[Block], site: SiteSyntax) -> Vec<String> {
    let mut lines = Vec::new();
    let mut previous_list: Option<(bool, bool)> = None;
    for b in blocks {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let kramdown = site.dialect() == Dialect::Kramdown;
        let alternate = match (b, previous_list) {
            // kramdown knows no `)` marker and joins lists whatever their
            // bullet: an HTML comment between them ends the first.
            (Block::List(_), Some(_)) if kramdown => {
                lines.extend(["<!-- -->".to_owned(), String::new()]);
                false
            }
            (Block::List(l), Some((ordered, alt))) if l.start.is_some() == ordered => !alt,
            _ => false,
        };
        lines.extend(block(b, alternate, site));
        previous_list = match b {
            Block::List(l) => Some((l.start.is_some(), alternate)),
            _ => None,
        };
    }
    lines
}

fn block(b: &Block, alternate: bool, site: SiteSyntax) -> Vec<String> {
    match b {
        Block::Paragraph(inlines) => paragraph(inlines, site),
        Block::Heading(level, inlines) => vec![heading(*level, inlines, site)],
        Block::Code { lang, text } => code_block(lang.as_deref(), text, site),
        Block::Quote(children) => quote(children, site),
        Block::List(list) => self::list(list, alternate, site),
        Block::Rule => vec!["---".to_owned()],
        Block::Table(table) => self::table(table, site),
        Block::Html(html) => html_block(html, site),
    }
}

/// Kept HTML, line by line. kramdown takes a block for raw HTML only when
/// it opens with a block element: an inline one (`<a>` around a table)
/// would be read as a paragraph, its tags split from its content; so for
/// Jekyll such a block goes inside a `<div>`.
fn html_block(html: &str, site: SiteSyntax) -> Vec<String> {
    let mut lines: Vec<String> = html.lines().map(str::to_owned).collect();
    if site.dialect() == Dialect::Kramdown && !opens_block_element(html) {
        lines.insert(0, "<div>".to_owned());
        lines.push("</div>".to_owned());
    }
    lines
}

/// The HTML starts with a comment or a tag kramdown reads as a block.
fn opens_block_element(html: &str) -> bool {
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
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
        "iframe",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "video",
    ];
    let Some(rest) = html.trim_start().strip_prefix('<') else {
        return false;
    };
    if rest.starts_with('!') {
        return true;
    }
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK.contains(&name.as_str())
}

fn paragraph(inlines: &[Inline], site: SiteSyntax) -> Vec<String> {
    let mut text = render_inlines(inlines, Mode::Block, site);
    let bytes = text.as_bytes();
    if memchr::memchr(b'\n', bytes).is_none() {
        // One line (most paragraphs): the rendered string itself.
        text.truncate(text.trim_end_matches(' ').len());
        return vec![text];
    }
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    let mut start = 0;
    let mut lines = Vec::new();
    for end in ends {
        lines.push(text[start..end].trim_end_matches(' ').to_owned());
        start = end + 1;
    }
    lines
}

fn heading(level: u8, inlines: &[Inline], site: SiteSyntax) -> String {
    let mut text = render_inlines(inlines, Mode::Heading, site);
    // A trailing `#` run after a space would be read as a closing sequence.
    let body = text.trim_end_matches('#');
    if body.len() < text.len() && (body.is_empty() || body.ends_with(' ')) {
        text.insert(body.len(), '\\');
    }
    let hashes = "#".repeat(level.clamp(1, 6) as usize);
    if text.is_empty() {
        hashes
    } else {
        format!("{hashes} {text}")
    }
}

fn code_block(lang: Option<&str>, text: &str, site: SiteSyntax) -> Vec<String> {
    let protected = protect_code(text, site);
    let text = protected.text.as_str();
    let fence_char = if lang.is_some_and(|l| l.contains('`')) {
        '~'
    } else {
        '`'
    };
    let longest = text
        .lines()
        .map(|l| {
            l.trim_start_matches(' ')
                .chars()
                .take_while(|c| *c == fence_char)
                .count()
        })
        .max()
        .unwrap_or(0);
    let fence: String = std::iter::repeat_n(fence_char, longest.max(2) + 1).collect();
    let mut lines = vec![format!("{fence}{}", lang.unwrap_or(""))];
    // Hexo's own fence filter (before marked) takes an empty block's
    // closing fence for content and runs on into the next block.
    if !text.is_empty() || site.dialect() == Dialect::Marked {
        lines.extend(text.split('\n').map(str::to_owned));
    }
    lines.push(fence);
    if let Some((open, close)) = protected.raw {
        lines.insert(0, open.to_owned());
        lines.push(close.to_owned());
    }
    lines
}

fn quote(children: &[Block], site: SiteSyntax) -> Vec<String> {
    blocks(children, site)
        .into_iter()
        .map(|l| {
            if l.is_empty() {
                ">".to_owned()
            } else {
                format!("> {l}")
            }
        })
        .collect()
}

fn list(list: &List, alternate: bool, site: SiteSyntax) -> Vec<String> {
    let tight = list.items.iter().all(|item| match item.as_slice() {
        [] | [_] => true,
        // Only a bullet list or one starting at 1 may interrupt a paragraph.
        [Block::Paragraph(_), Block::List(sub)] => sub.start.is_none_or(|s| s == 1),
        _ => false,
    });
    let mut lines = Vec::new();
    for (i, item) in list.items.iter().enumerate() {
        if i > 0 && !tight {
            lines.push(String::new());
        }
        let marker = match list.start {
            Some(start) => format!("{}{}", start + i as u64, if alternate { ')' } else { '.' }),
            None => (if alternate { "*" } else { "-" }).to_owned(),
        };
        let mut body = if tight {
            tight_item(item, site)
        } else {
            blocks(item, site)
        };
        // kramdown reads a bare `-` under an item as a setext underline.
        if body.is_empty() && site.dialect() == Dialect::Kramdown {
            body.push("<!-- -->".to_owned());
        }
        lines.extend(prefix_item(&marker, body));
    }
    lines
}

fn tight_item(item: &[Block], site: SiteSyntax) -> Vec<String> {
    item.iter().flat_map(|b| block(b, false, site)).collect()
}

fn prefix_item(marker: &str, body: Vec<String>) -> Vec<String> {
    let indent = " ".repeat(marker.len() + 1);
    let mut out = Vec::with_capacity(body.len().max(1));
    for (i, line) in body.into_iter().enumerate() {
        if i == 0 {
            // `- ---` would be a rule, not an item holding one.
            let line = if line == "---" {
                "***".to_owned()
            } else {
                line
            };
            out.push(format!("{marker} {line}").trim_end().to_owned());
        } else if line.is_empty() {
            out.push(line);
        } else {
            out.push(format!("{indent}{line}"));
        }
    }
    if out.is_empty() {
        out.push(marker.to_owned());
    }
    out
}

fn table(table: &Table, site: SiteSyntax) -> Vec<String> {
    if table.header.is_empty() {
        return Vec::new();
    }
    let row = |cells: &[Vec<Inline>]| {
        let mut line = String::from("|");
        for cell in cells {
            let text = render_inlines(cell, Mode::Table, site);
            line.push(' ');
            line.push_str(&text);
            if !text.is_empty() {
                line.push(' ');
            }
            line.push('|');
        }
        line
    };
    let mut lines = vec![row(&table.header)];
    if table.rows.is_empty() && site.dialect() == Dialect::Kramdown {
        // kramdown shows a header and delimiter without rows as a
        // paragraph; one row alone it reads as a table.
        return lines;
    }
    let mut delim = String::from("|");
    for align in &table.aligns {
        delim.push_str(match align {
            Align::None => " --- |",
            Align::Left => " :-- |",
            Align::Center => " :-: |",
            Align::Right => " --: |",
        });
    }
    lines.push(delim);
    lines.extend(table.rows.iter().map(|r| row(r)));
    lines
}

/// Where inline content is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Block,
    Heading,
    Table,
}

fn render_inlines(inlines: &[Inline], mode: Mode, site: SiteSyntax) -> String {
    let mut w = InlineWriter {
        out: String::new(),
        mode,
        link_text: false,
        in_tag: false,
        open: Vec::new(),
        site,
    };
    w.inlines(inlines, None);
    w.out
}

struct InlineWriter {
    out: String,
    mode: Mode,
    link_text: bool,
    /// Inside an inline HTML element (`<samp>`, `<u>`...).
    in_tag: bool,
    /// The emphasis open around what is being written (`em`, `strong`).
    open: Vec<&'static str>,
    site: SiteSyntax,
}

impl InlineWriter {
    fn inlines(&mut self, nodes: &[Inline], after: Option<char>) {
        for (i, node) in nodes.iter().enumerate() {
            let next = match nodes.get(i + 1) {
                Some(n) => first_char(n),
                None => after,
            };
            self.inline(node, next);
        }
    }

    fn context(&self) -> Context {
        Context {
            // A heading's text follows its `#` run, so nothing in it can
            // open a block (`## 3. Title`, `## - x` are headings).
            line_start: self.mode != Mode::Heading
                && (self.out.is_empty() || self.out.ends_with('\n')),
            link_text: self.link_text,
            table: self.mode == Mode::Table,
            templates: match self.site {
                SiteSyntax::None => Templates::Off,
                SiteSyntax::Hugo => Templates::Shortcodes,
                _ => Templates::All,
            },
            dialect: self.site.dialect(),
        }
    }

    fn inline(&mut self, node: &Inline, next: Option<char>) {
        match node {
            Inline::Text(t) => {
                let ctx = self.context();
                escape::text(&mut self.out, t, next, ctx)
            }
            Inline::Strong(c) => self.delimited("**", "strong", c, next),
            Inline::Emph(c) => {
                let delim = self.emphasis_delimiter(next);
                self.delimited(delim, "em", c, next)
            }
            Inline::Strike(c) => self.delimited("~~", "del", c, next),
            Inline::Code(code) => self.code_span(code),
            Inline::Link {
                href,
                title,
                children,
            } => self.link(href, title.as_deref(), children),
            Inline::Image { src, alt, title } => self.image(src, alt, title.as_deref()),
            Inline::HardBreak => self.out.push_str(match self.mode {
                // marked reads no link whose text has a line of breaks only.
                Mode::Block if self.link_text && self.site.dialect() == Dialect::Marked => "<br>",
                Mode::Block => "\\\n",
                Mode::Heading => " ",
                Mode::Table => "<br>",
            }),
            Inline::Tag {
                name,
                attrs,
                children,
            } => self.tag(name, attrs, children),
            Inline::Html(html) => self.out.push_str(&html.replace('\n', " ")),
            Inline::Shortcode { name, args } => {
                self.out.push_str(&shortcode(name, args, self.site))
            }
            Inline::Embed(embed) => self.embed(embed),
        }
    }

    /// The target's video shortcode where the embed asks for one and the
    /// target has it (Hugo; Hexo with hexo-tag-embed), else a link.
    fn embed(&mut self, embed: &Embed) {
        match (&embed.video, self.site) {
            (Some((host, id)), SiteSyntax::Hugo) if embed.shortcode => {
                self.out
                    .push_str(&format!("{{{{< {} {id} >}}}}", host.shortcode()));
            }
            (Some((host, id)), SiteSyntax::Hexo) if embed.shortcode => {
                self.out
                    .push_str(&format!("{{% {} {id} %}}", host.shortcode()));
            }
            _ => self.link(&embed.url, None, &[Inline::Text(embed.label.clone())]),
        }
    }

    /// `*`, or `_` where a `*` would run into a neighbouring delimiter.
    fn emphasis_delimiter(&self, next: Option<char>) -> &'static str {
        let before = self.out.chars().next_back();
        let touches_star = before == Some('*') || next == Some('*');
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        if touches_star && !word(before) && !word(next) {
            "_"
        } else {
            "*"
        }
    }

    /// Writes `delim children delim`, or HTML tags when the delimiters
    /// would not open and close where they stand.
    fn delimited(
        &mut self,
        delim: &str,
        tag: &'static str,
        children: &[Inline],
        next: Option<char>,
    ) {
        // kramdown reads no emphasis inside an HTML element, nor inside
        // emphasis of the same kind (`*a _b_*` shows `_b_`): tags there.
        if self.site.dialect() == Dialect::Kramdown && self.open.contains(&tag) && !self.in_tag {
            self.tag(tag, &[], children);
            return;
        }
        let before = self.out.chars().next_back();
        let start = self.out.len();
        self.out.push_str(delim);
        let inner_start = self.out.len();
        let inner_after = delim.chars().next();
        self.open.push(tag);
        self.inlines(children, inner_after);
        self.open.pop();
        let inner = &self.out[inner_start..];
        let first = inner.chars().next();
        let last = inner.chars().next_back();
        let html_only = self.in_tag && self.site.dialect() == Dialect::Kramdown;
        let renders = first.is_some()
            && !html_only
            && can_open(before, first)
            && can_close(last, next)
            && !inner.contains('\n');
        if renders {
            self.out.push_str(delim);
        } else if first.is_some() {
            self.out
                .replace_range(start..inner_start, &format!("<{tag}>"));
            self.out.push_str(&format!("</{tag}>"));
        } else {
            self.out.truncate(start);
        }
    }

    fn code_span(&mut self, code: &str) {
        let protected = protect_code(code, self.site);
        let code = protected.text.as_str();
        if let Some((open, _)) = protected.raw {
            self.out.push_str(open);
        }
        let longest = longest_run(code, '`');
        // kramdown reads a lone backtick followed by whitespace as text
        // (`before ` ` after`); a longer fence holds it, and kramdown takes
        // one space off each end inside one, so both ends are padded.
        let kramdown_space =
            self.site.dialect() == Dialect::Kramdown && code.starts_with(char::is_whitespace);
        let fence = "`".repeat(if kramdown_space {
            (longest + 1).max(2)
        } else {
            longest + 1
        });
        let pad = kramdown_space
            || code.starts_with('`')
            || code.ends_with('`')
            || (code.starts_with(' ') && code.ends_with(' ') && code.trim() != "");
        // kramdown reads a code span's `|` as code, and would show a `\\`.
        let body = if self.mode == Mode::Table && self.site.dialect() != Dialect::Kramdown {
            code.replace('|', "\\|")
        } else {
            code.to_owned()
        };
        let space = if pad { " " } else { "" };
        self.out
            .push_str(&format!("{fence}{space}{body}{space}{fence}"));
        if let Some((_, close)) = protected.raw {
            self.out.push_str(close);
        }
    }

    fn link(&mut self, href: &str, title: Option<&str>, children: &[Inline]) {
        if title.is_none()
            && !self.link_text
            && is_autolink(href, children)
            && self.mode != Mode::Table
        {
            self.out.push('<');
            self.out.push_str(href);
            self.out.push('>');
            return;
        }
        self.out.push('[');
        let outer = self.link_text;
        self.link_text = true;
        self.inlines(children, Some(']'));
        self.link_text = outer;
        self.out.push_str("](");
        self.destination(href, title);
    }

    fn image(&mut self, src: &str, alt: &str, title: Option<&str>) {
        self.out.push_str("![");
        let outer = self.link_text;
        self.link_text = true;
        let ctx = self.context();
        escape::text(
            &mut self.out,
            &crate::lower::whitespace::collapse_all(alt),
            Some(']'),
            ctx,
        );
        self.link_text = outer;
        self.out.push_str("](");
        self.destination(src, title);
    }

    /// Writes `dest "title")`.
    fn destination(&mut self, href: &str, title: Option<&str>) {
        let table = self.mode == Mode::Table;
        if self.site.dialect() == Dialect::Kramdown {
            self.out
                .push_str(&destination(&kramdown_destination(href), table));
        } else {
            self.out.push_str(&destination(href, table));
        }
        if let Some(title) = title {
            self.out.push_str(" \"");
            for c in title.chars() {
                if c == '"' || c == '\\' || (table && c == '|') {
                    self.out.push('\\');
                }
                self.out.push(c);
            }
            self.out.push('"');
        }
        self.out.push(')');
    }

    fn tag(&mut self, name: &str, attrs: &[(String, String)], children: &[Inline]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push_str(&format!(
                " {k}=\"{}\"",
                v.replace('&', "&amp;").replace('"', "&quot;")
            ));
        }
        self.out.push('>');
        let outer = self.in_tag;
        self.in_tag = true;
        self.inlines(children, Some('<'));
        self.in_tag = outer;
        self.out.push_str(&format!("</{name}>"));
    }
}

/// A link destination, in `<...>` form when the plain form cannot hold it.
fn destination(href: &str, table: bool) -> String {
    let plain = !href.is_empty()
        && !href.starts_with('<')
        && !has_space_or_control(href)
        && balanced_parens(href);
    if plain && !href.contains(['\\', '|']) {
        // Nothing in it can need a backslash.
        return href.to_owned();
    }
    let mut out = String::with_capacity(href.len() + 2);
    if !plain {
        out.push('<');
    }
    let chars: Vec<char> = href.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            // A line break is written `%0A`: a backslash before it would
            // escape the `%`.
            '\\' => {
                chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_punctuation() || matches!(n, '\n' | '\r'))
                    || i + 1 == chars.len()
            }
            '<' | '>' => !plain,
            '|' => table,
            '\n' => false,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push_str("%0A");
        } else {
            out.push(c);
        }
    }
    if !plain {
        out.push('>');
    }
    out
}

/// A destination kramdown reads as written: it keeps backslashes, knows
/// no `<...>` form, and takes a line holding `|` for a table row; so those
/// characters, spaces and unbalanced parentheses become percent-escapes,
/// which every reader decodes alike.
fn kramdown_destination(href: &str) -> String {
    let balanced = balanced_parens(href);
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            '\\' => out.push_str("%5C"),
            '|' => out.push_str("%7C"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' if !balanced => out.push_str("%28"),
            ')' if !balanced => out.push_str("%29"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Whitespace or a control character anywhere (ASCII checked byte-wise).
fn has_space_or_control(s: &str) -> bool {
    if s.is_ascii() {
        return s.bytes().any(|b| b <= b' ' || b == 0x7f);
    }
    s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn balanced_parens(s: &str) -> bool {
    let mut depth = 0i32;
    for b in s.bytes() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// `<https://x>` when the link's text is exactly its absolute URL.
fn is_autolink(href: &str, children: &[Inline]) -> bool {
    let [Inline::Text(text)] = children else {
        return false;
    };
    if text != href {
        return false;
    }
    let Some((scheme, rest)) = href.split_once(':') else {
        return false;
    };
    (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && !rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'))
}

fn longest_run(s: &str, ch: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == ch {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// The first character a node will write (for escaping its left neighbour).
fn first_char(node: &Inline) -> Option<char> {
    match node {
        Inline::Text(t) => t.chars().next(),
        Inline::Strong(_) | Inline::Emph(_) => Some('*'),
        Inline::Strike(_) => Some('~'),
        Inline::Code(_) => Some('`'),
        Inline::Link { .. } => Some('['),
        Inline::Image { .. } => Some('!'),
        Inline::HardBreak => None,
        Inline::Tag { .. } | Inline::Html(_) => Some('<'),
        Inline::Shortcode { .. } => Some('{'),
        Inline::Embed(embed) if embed.shortcode => Some('{'),
        Inline::Embed(_) => Some('['),
    }
}

/// A shortcode as the target site spells it; Hugo's form where no site is set.
fn shortcode(name: &str, args: &[(String, String)], site: SiteSyntax) -> String {
    let quoted = |v: &str| {
        format!(
            "\"{}\"",
            v.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', " ")
        )
    };
    let named = |sep: &str| {
        args.iter()
            .map(|(k, v)| format!("{k}={}", quoted(v)))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match site {
        SiteSyntax::Hugo | SiteSyntax::None => format!("{{{{< {name} {} >}}}}", named(" ")),
        SiteSyntax::Hexo => {
            let values: Vec<String> = args.iter().map(|(_, v)| quoted(v)).collect();
            format!("{{% {name} {} %}}", values.join(" "))
        }
        SiteSyntax::Jekyll => format!("{{% include {name}.html {} %}}", named(" ")),
        SiteSyntax::Zola => format!("{{{{ {name}({}) }}}}", named(", ")),
    }
}

/// Code whose template syntax must not fire: Liquid, Nunjucks and Tera
/// sites get a raw block around it; Hugo gets its comment form.
struct ProtectedCode {
    text: String,
    raw: Option<(&'static str, &'static str)>,
}

fn protect_code(code: &str, site: SiteSyntax) -> ProtectedCode {
    let plain = ProtectedCode {
        text: code.to_owned(),
        raw: None,
    };
    match site {
        SiteSyntax::None => plain,
        SiteSyntax::Hugo => {
            if code.contains("{{<") && code.contains(">}}")
                || code.contains("{{%") && code.contains("%}}")
            {
                ProtectedCode {
                    text: code
                        .replace("{{<", "{{</*")
                        .replace(">}}", "*/>}}")
                        .replace("{{%", "{{%/*")
                        .replace("%}}", "*/%}}"),
                    raw: None,
                }
            } else {
                plain
            }
        }
        SiteSyntax::Hexo | SiteSyntax::Jekyll | SiteSyntax::Zola => {
            if code.contains("{{") || code.contains("{%") {
                ProtectedCode {
                    text: code.to_owned(),
                    raw: Some(("{% raw %}", "{% endraw %}")),
                }
            } else {
                plain
            }
        }
    }
}
