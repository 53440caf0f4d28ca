//! The canonical tree of an HTML fragment, as the round-trip judge
//! (`shared/tools/fidelity.py`) reads it, for tests that measure "exact"
//! round trips. Recursive: it reads small test inputs only.

use mdmigrate::html::{self, Limits, Node, NodeKind};

/// A block.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Vec<Inl>),
    Heading(String, Vec<Inl>),
    Pre(String),
    Hr,
    List(bool, Vec<Vec<Block>>),
    Quote(Vec<Block>),
    Table(Vec<Vec<Vec<Inl>>>),
}

/// An inline run.
#[derive(Debug, Clone, PartialEq)]
pub enum Inl {
    Text(String),
    Br,
    Img(String),
    Code(String),
    /// `em`, `strong`, `del`, `sup`, `sub` or `a` (with its target).
    Wrap(&'static str, String, Vec<Inl>),
}

const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "tr",
    "th",
    "td",
    "hr",
];
const BOXES: &[&str] = &[
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "figure",
    "center",
    "body",
    "html",
    "thead",
    "tbody",
    "tfoot",
    "dl",
    "dd",
    "dt",
    "figcaption",
    "details",
    "summary",
    "form",
    "fieldset",
    "address",
    "hgroup",
];
const DROP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "canvas",
    "button", "input", "select", "textarea", "source", "track",
];

/// The canonical blocks of `html`.
pub fn canonical(html: &str) -> Vec<Block> {
    let parsed = html::parse(html, Limits::default()).expect("parses");
    blocks(&parsed.root.children())
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\u{a0}' | '\u{3000}')
}

fn collapse(t: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in t.chars() {
        if is_ws(c) {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if space {
        out.push(' ');
    }
    out
}

fn holds_pre(node: &Node) -> bool {
    node.children()
        .iter()
        .any(|c| c.tag() == "pre" || holds_pre(c))
}

fn blocks(children: &[Node]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut inline = Vec::new();
    for child in children {
        match child.kind() {
            NodeKind::Text(t) => inline.push(Inl::Text(t.to_owned())),
            NodeKind::Element(name) if DROP.contains(&name) => {}
            NodeKind::Element(name) if BLOCKS.contains(&name) => {
                out.extend(para(finish(std::mem::take(&mut inline))));
                out.extend(block(child, name));
            }
            NodeKind::Element(name) if BOXES.contains(&name) || holds_pre(child) => {
                out.extend(para(finish(std::mem::take(&mut inline))));
                out.extend(blocks(&child.children()));
            }
            NodeKind::Element(_) => inline.extend(self::inline(child)),
            _ => {}
        }
    }
    out.extend(para(finish(inline)));
    out
}

fn para(runs: Vec<Inl>) -> Option<Block> {
    (!runs.is_empty()).then_some(Block::Para(runs))
}

fn block(node: &Node, name: &str) -> Vec<Block> {
    match name {
        "p" => para(finish(inline_children(node))).into_iter().collect(),
        "hr" => vec![Block::Hr],
        "pre" => {
            let text = node.text_content(true);
            let text = text
                .strip_prefix('\n')
                .unwrap_or(&text)
                .trim_end_matches('\n');
            if text.trim().is_empty() {
                Vec::new()
            } else {
                vec![Block::Pre(text.to_owned())]
            }
        }
        "ul" | "ol" => {
            let items: Vec<Vec<Block>> = node
                .children()
                .iter()
                .filter(|c| c.tag() == "li")
                .map(|li| blocks(&li.children()))
                .collect();
            if items.is_empty() {
                Vec::new()
            } else {
                vec![Block::List(name == "ol", items)]
            }
        }
        "li" => vec![Block::List(false, vec![blocks(&node.children())])],
        "blockquote" => match blocks(&node.children()) {
            inner if inner.is_empty() => Vec::new(),
            inner => vec![Block::Quote(inner)],
        },
        "table" => {
            let rows: Vec<Vec<Vec<Inl>>> = rows(node)
                .iter()
                .map(|tr| {
                    tr.children()
                        .iter()
                        .filter(|c| matches!(c.tag(), "td" | "th"))
                        .map(|c| finish(inline_children(c)))
                        .collect::<Vec<_>>()
                })
                .filter(|cells: &Vec<Vec<Inl>>| cells.iter().any(|c| !c.is_empty()))
                .collect();
            if rows.is_empty() {
                Vec::new()
            } else {
                vec![Block::Table(rows)]
            }
        }
        h if h.starts_with('h') && h.len() == 2 => {
            let runs = finish(inline_children(node));
            if runs.is_empty() {
                Vec::new()
            } else {
                vec![Block::Heading(h.to_owned(), runs)]
            }
        }
        _ => blocks(&node.children()),
    }
}

fn rows(table: &Node) -> Vec<Node> {
    let mut out = Vec::new();
    for child in table.children() {
        match child.tag() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => out.extend(rows(&child)),
            _ => {}
        }
    }
    out
}

fn inline_children(node: &Node) -> Vec<Inl> {
    let mut runs = Vec::new();
    for child in node.children() {
        match child.kind() {
            NodeKind::Text(t) => runs.push(Inl::Text(t.to_owned())),
            NodeKind::Element(name) if DROP.contains(&name) => {}
            NodeKind::Element(name) if BLOCKS.contains(&name) || BOXES.contains(&name) => {
                runs.push(Inl::Br);
                runs.extend(inline_children(&child));
                runs.push(Inl::Br);
            }
            NodeKind::Element(_) => runs.extend(inline(&child)),
            _ => {}
        }
    }
    runs
}

/// Trimmed and percent-decoded, as the judge's `norm_url`: the
/// renderer's escaping of a destination is no change.
fn norm_url(url: &str) -> String {
    let bytes = url.trim().as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn inline(node: &Node) -> Vec<Inl> {
    let name = node.tag();
    match name {
        "br" => return vec![Inl::Br],
        "img" => {
            let src = norm_url(node.attr("src").unwrap_or_default());
            let alt = collapse(node.attr("alt").unwrap_or_default())
                .trim()
                .to_owned();
            return match (src.is_empty(), alt.is_empty()) {
                (false, _) => vec![Inl::Img(src)],
                (true, false) => vec![Inl::Text(alt)],
                (true, true) => Vec::new(),
            };
        }
        "code" | "kbd" | "tt" | "samp" => {
            let text = node.text_content(false);
            return if text.is_empty() {
                Vec::new()
            } else {
                vec![Inl::Code(collapse(&text).trim().to_owned())]
            };
        }
        _ => {}
    }
    let kids = inline_children(node);
    let kind = match name {
        "em" | "i" => "em",
        "strong" | "b" => "strong",
        "del" | "s" | "strike" => "del",
        "sup" => "sup",
        "sub" => "sub",
        "a" => match node.attr("href") {
            Some(h) if !h.trim().is_empty() => {
                return vec![Inl::Wrap("a", norm_url(h), kids)];
            }
            _ => return kids,
        },
        _ => return kids,
    };
    vec![Inl::Wrap(kind, String::new(), kids)]
}

fn finish(runs: Vec<Inl>) -> Vec<Inl> {
    trim(norm(runs))
}

fn trim(mut runs: Vec<Inl>) -> Vec<Inl> {
    let blank = |r: &Inl| {
        matches!(r, Inl::Br) || matches!(r, Inl::Text(t) if t.trim_matches(is_ws).is_empty())
    };
    while runs.first().is_some_and(blank) {
        runs.remove(0);
    }
    while runs.last().is_some_and(blank) {
        runs.pop();
    }
    if let Some(Inl::Text(t)) = runs.first_mut() {
        *t = t.trim_start_matches(is_ws).to_owned();
    }
    if let Some(Inl::Text(t)) = runs.last_mut() {
        *t = t.trim_end_matches(is_ws).to_owned();
    }
    runs
}

fn is_emphasis(kind: &str) -> bool {
    matches!(kind, "em" | "strong" | "del")
}

fn norm(runs: Vec<Inl>) -> Vec<Inl> {
    // Adjacent emphasis of one kind is one run before anything else.
    let mut joined: Vec<Inl> = Vec::new();
    for run in runs {
        match (joined.last_mut(), run) {
            (Some(Inl::Wrap(a, _, prev)), Inl::Wrap(b, _, kids)) if is_emphasis(a) && *a == b => {
                prev.extend(kids)
            }
            (_, run) => joined.push(run),
        }
    }
    let mut out = Vec::new();
    for run in joined {
        match run {
            Inl::Text(t) => out.push(Inl::Text(collapse(&t))),
            Inl::Wrap(kind, href, kids) => wrap(&mut out, kind, href, norm(kids)),
            other => out.push(other),
        }
    }
    merge_text(out)
}

/// Edge spaces (and, for emphasis, edge punctuation) stand outside.
fn wrap(out: &mut Vec<Inl>, kind: &'static str, href: String, mut kids: Vec<Inl>) {
    let lead = matches!(kids.first(), Some(Inl::Text(t)) if t.starts_with(' '));
    let trail = matches!(kids.last(), Some(Inl::Text(t)) if t.ends_with(' '));
    let edge = |c: char| c == ' ' || (kind != "a" && (c.is_ascii_punctuation() || is_punct(c)));
    let mut pre = String::new();
    let mut post = String::new();
    if let Some(Inl::Text(t)) = kids.first_mut() {
        let rest = t.trim_start_matches(edge).to_owned();
        pre = t[..t.len() - rest.len()].trim_start_matches(' ').to_owned();
        *t = rest;
    }
    if let Some(Inl::Text(t)) = kids.last_mut() {
        let rest = t.trim_end_matches(edge).to_owned();
        post = t[rest.len()..].trim_end_matches(' ').to_owned();
        *t = rest;
    }
    kids.retain(|k| !matches!(k, Inl::Text(t) if t.is_empty()));
    if lead {
        out.push(Inl::Text(" ".into()));
    }
    if !pre.is_empty() {
        out.push(Inl::Text(pre));
    }
    let emphasis = kind != "a";
    match kids.as_slice() {
        k if emphasis && k.iter().all(|r| matches!(r, Inl::Br)) => out.extend(kids),
        [Inl::Wrap(inner, _, _)] if emphasis && *inner == kind => out.extend(kids),
        _ => match out.last_mut() {
            Some(Inl::Wrap(prev, _, prev_kids)) if emphasis && *prev == kind => {
                prev_kids.extend(kids);
                *prev_kids = norm(std::mem::take(prev_kids));
            }
            _ => out.push(Inl::Wrap(kind, href, kids)),
        },
    }
    if !post.is_empty() {
        out.push(Inl::Text(post));
    }
    if trail {
        out.push(Inl::Text(" ".into()));
    }
}

/// Non-ASCII punctuation the judge also moves out (a few common ones).
fn is_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '：' | '；' | '！' | '？' | '、' | '“' | '”' | '‘' | '’'
    )
}

fn merge_text(runs: Vec<Inl>) -> Vec<Inl> {
    let mut out: Vec<Inl> = Vec::new();
    for run in runs {
        match (out.last_mut(), run) {
            (Some(Inl::Text(a)), Inl::Text(b)) => *a = collapse(&format!("{a}{b}")),
            (_, run) => out.push(run),
        }
    }
    for i in 0..out.len() {
        if matches!(out[i], Inl::Br) {
            if i > 0
                && let Inl::Text(t) = &mut out[i - 1]
            {
                *t = t.trim_end_matches(is_ws).to_owned();
            }
            if let Some(Inl::Text(t)) = out.get_mut(i + 1) {
                *t = t.trim_start_matches(is_ws).to_owned();
            }
        }
    }
    out.retain(|r| !matches!(r, Inl::Text(t) if t.is_empty()));
    out
}
