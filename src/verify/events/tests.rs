//! The differential test: for every Markdown document at hand and every
//! reader, the tree built from the events must be the tree html5ever
//! builds from pulldown-cmark's HTML for the same events, node for node,
//! and so read into the same canonical blocks and facets.
//!
//! Documents: every `.md` under `fixtures/` (expected outputs, inputs,
//! export outputs) and what the converter makes of its HTML bodies; what
//! the converter makes of every `input.html` under `fixtures/` and of the
//! CommonMark spec examples' HTML (`tests/data/commonmark-spec`); the
//! shared corpus (`../shared/corpus`) when present, as written and as
//! converted; pulldown-cmark's own test inputs (spec, GFM, regressions)
//! when its sources are in the cargo registry; and the edge cases below.

use super::{canonical, tree};
use crate::html::{self, Limits, Node};
use crate::md::Dialect;
use crate::verify::target::{Reader, events, source, write_html};
use crate::verify::{VerifyOptions, canon, facets};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Hand-written cases for what the writer does around each construct.
const EDGE_CASES: &[&str] = &[
    "",
    "   \n\n",
    "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | *2* | `3` | [4](u) |\n| x |\n",
    "| a | b |\n| --- | --- |\n",
    "- | a | b |\n  | - | - |\n  | 1 | 2 |\n\n> | q |\n> |---|\n",
    "| a \\| b | `c \\| d` |\n| --- | --- |\n| e | f |\n",
    "- a\n  - b\n    - c\n- d\n",
    "1. a\n\n2. b\n\n   - c\n\n     d\n3. e\n",
    "3. x\n4. y\n\n0. zero\n\n-\n- \n- z\n",
    "* a\n\n  b\n* c\n",
    "![a *b* **c** `d` [e](f) ![g](h) <i>x</i> & ' \" < >](i.png \"t & 'q' \\\"d\\\"\")\n",
    "[![alt](img.png)](http://x.com)\n",
    "[a](http://x.com/?a=1&b=2) [b](<http://x.com/it's here>) [c](<a b>)\n",
    "[é](http://x.com/ü%20ß?q=%zz#frag) [t](/u \"title & 'q'\")\n",
    "<foo@example.com> <http://a.b/c?d&e='f'> <mailto:x@y.z>\n",
    "[a][r] [b][] [r]\n\n[r]: http://x/%E2%82%AC 'T'\n[b]: <> \"\"\n",
    "a  \nb\\\nc\n*d  \ne*\n",
    "```rust ignore\nfn x() {}\n```\n\n~~~ py\tx\ncode\n~~~\n\n```\n\nleading blank\n```\n",
    "    indented\n    code\n\n```\n```\n",
    "# T\r\n\r\npara\r\nline  \r\nnext\r\n\r\n```\r\ncode\r\nmore\r\n```\r\n\r\n- a\r\n- b\r\n",
    "a\rb\r\rc\r\n[l](u \"x\r\ny\")\n",
    "# *a* `b`\n## b\n### c ###\n#### d\n##### e\n###### f\n\nS\n===\n\nT\n---\n",
    "> a\n>\n> > b\n> - c\n>\n> ```\n> x\n> ```\n",
    "***\n---\n___\n\na\n\n***\nb\n- ---\n",
    "~~a~~ ~b~ ~~~c~~~ ~~*d*~~\n",
    "\"quoted\" 'single' -- --- ... it's \\\"not\\\"\n",
    "a <b>c</b> d <!-- x -->\n\n<div>\nx\n</div>\n\n| <b>h</b> |\n|---|\n| <i>c</i> |\n",
    "<!-- raw HTML omitted -->\n\nx <!-- raw HTML omitted --> y\n",
    "a\0b\n\n```\n\0\n```\n\n[\0](\0 \"\0\")\n",
    "see https://x.com/a_b and www.example.org. (http://x.y/z) *http://e.m*\n",
    "a | b\nc | d\n\n*a _b_ c* **x **y** z**\n\na ` ` b\n",
    "&amp; &lt; &copy; &#x27; &nbsp; AT&T <3 > &#0;\n",
    "[<http://a>](b) [a [b](c) d](e)\n",
    "***a** b* _a __b__ c_\n",
    "# ![only](x.png)\n\n`` ` `` ```a``b```\n",
    "- [ ] task\n- [x] done\n\nfoot[^1]\n\n[^1]: note\n",
    "<table><tr><td>\n\n**md**\n\n</td></tr></table>\n",
];

/// Every reader the converter can verify for.
fn readers() -> Vec<Reader> {
    let dialects = [
        Dialect::CommonMark,
        Dialect::Goldmark,
        Dialect::Marked,
        Dialect::Kramdown,
    ];
    dialects
        .into_iter()
        .flat_map(|dialect| [true, false].map(|raw_html| Reader { dialect, raw_html }))
        .collect()
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e == ext)
}

/// A Markdown file as written, and the converter's Markdown for its HTML
/// body when it has one.
fn markdown_file(text: String, out: &mut Vec<String>) {
    let options = crate::post::PostOptions::default();
    if let Ok(post) = crate::post::convert_post(&text, &options)
        && !post.source_html.is_empty()
    {
        out.push(post.converted_markdown);
    }
    out.push(text);
}

fn converted(html: &str) -> Option<String> {
    crate::convert_html(html, &crate::Options::default())
        .ok()
        .map(|c| c.markdown)
}

fn fixture_documents() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for path in files(&root) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if has_extension(&path, "md") {
            markdown_file(text, &mut out);
        } else if path.file_name().is_some_and(|n| n == "input.html") {
            out.extend(converted(&text));
        }
    }
    out
}

fn corpus_documents() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut out = Vec::new();
    for path in files(&root).iter().filter(|p| has_extension(p, "md")) {
        if let Ok(text) = std::fs::read_to_string(path) {
            markdown_file(text, &mut out);
        }
    }
    out
}

/// The converter's Markdown for each CommonMark spec example's HTML.
fn spec_documents() -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/commonmark-spec/examples.json");
    let text = std::fs::read_to_string(path).expect("spec examples");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let examples = value.as_array().expect("an array");
    assert_eq!(examples.len(), 655, "spec examples");
    examples
        .iter()
        .filter_map(|e| converted(e["html"].as_str().expect("html")))
        .collect()
}

/// The Markdown inputs of pulldown-cmark's own tests (the spec's examples
/// among them), read from its sources in the cargo registry, if there.
fn pulldown_documents() -> Vec<String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let Some(registry) = home.map(|h| h.join("registry/src")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for index in std::fs::read_dir(registry).into_iter().flatten().flatten() {
        let suite = index.path().join("pulldown-cmark-0.13.6/tests/suite");
        for path in files(&suite).iter().filter(|p| has_extension(p, "rs")) {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            out.extend(originals(&text));
        }
    }
    out
}

/// The `let original = r##"…"##;` strings of a generated test file.
fn originals(text: &str) -> Vec<String> {
    const OPEN: &str = "let original = r##\"";
    text.split(OPEN)
        .skip(1)
        .filter_map(|rest| rest.split_once("\"##;").map(|(md, _)| md.to_owned()))
        .collect()
}

/// Where each document came from, deduplicated.
struct Documents {
    all: Vec<String>,
    by_source: Vec<(&'static str, usize)>,
}

fn documents() -> Documents {
    let sources: Vec<(&'static str, Vec<String>)> = vec![
        ("fixtures", fixture_documents()),
        ("spec HTML, converted", spec_documents()),
        ("shared corpus", corpus_documents()),
        ("pulldown-cmark tests", pulldown_documents()),
        (
            "edge cases",
            EDGE_CASES.iter().map(|s| s.to_string()).collect(),
        ),
    ];
    let mut seen = BTreeSet::new();
    let mut all = Vec::new();
    let mut by_source = Vec::new();
    for (name, docs) in sources {
        let before = all.len();
        for doc in docs {
            if seen.insert(doc.clone()) {
                all.push(doc);
            }
        }
        by_source.push((name, all.len() - before));
    }
    Documents { all, by_source }
}

/// How one document and reader was read.
#[derive(PartialEq)]
enum Reading {
    /// The events took the fallback (written and parsed).
    Fallback,
    /// The tree was built from the events (and held to the parsed one).
    Tree,
    /// ... and the canonical blocks read straight from the events too
    /// (and held to the tree's reading).
    Direct,
}

/// Every path for one document and reader, each held to the next.
fn same_tree(markdown: &str, reader: Reader) -> Reading {
    let limits = Limits::default();
    let source = source(markdown, reader.dialect);
    let events = events(&source, reader);
    let Some(built) = tree(&events, &source, limits) else {
        return Reading::Fallback;
    };
    let direct = canonical(&events, &VerifyOptions::default(), limits);
    let html = write_html(events, source.len());
    let parsed = html::parse(&html, limits).expect("within limits").root;
    let context = |what: &str, a: &str, b: &str| {
        format!(
            "{what} differ, reader {reader:?}\nmarkdown: {markdown:?}\nhtml: {html:?}\n{}",
            first_difference(a, b)
        )
    };
    let (a, b) = (built.outline(), parsed.outline());
    assert!(a == b, "{}", context("trees", &a, &b));
    let options = VerifyOptions {
        strict: true,
        ..VerifyOptions::default()
    };
    let (a, b) = (read(&built, &options), read(&parsed, &options));
    assert!(a == b, "{}", context("canonical forms", &a, &b));
    let Some(direct) = direct else {
        return Reading::Tree;
    };
    let (a, b) = (
        format!("{direct:#?}"),
        format!(
            "{:#?}",
            canon::canonicalize(&built, &VerifyOptions::default())
        ),
    );
    assert!(a == b, "{}", context("direct and tree readings", &a, &b));
    Reading::Direct
}

/// The first line where `built` and `parsed` differ, with the lines before.
fn first_difference(built: &str, parsed: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (built.lines().collect(), parsed.lines().collect());
    let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(4);
    let show = |lines: &[&str]| {
        lines
            .get(from..(at + 1).min(lines.len()))
            .unwrap_or_default()
            .join("\n")
    };
    format!("built:\n{}\nparsed:\n{}", show(&a), show(&b))
}

/// The canonical blocks and the facets, shown.
fn read(root: &Node, options: &VerifyOptions) -> String {
    let blocks = canon::canonicalize(root, options);
    format!(
        "{blocks:#?}\n{:#?}",
        facets::facets(&blocks, options.strict, 0)
    )
}

#[test]
fn events_build_the_tree_the_parser_builds_from_the_written_html() {
    let documents = documents();
    let readers = readers();
    let (mut built, mut fallback, mut direct) = (0usize, 0usize, 0usize);
    // Fallbacks where raw HTML is omitted, so cannot be the reason.
    let mut fallback_omitting = Vec::new();
    for markdown in &documents.all {
        for &reader in &readers {
            let path = same_tree(markdown, reader);
            if path != Reading::Fallback {
                built += 1;
                direct += usize::from(path == Reading::Direct);
            } else {
                fallback += 1;
                if !reader.raw_html {
                    fallback_omitting.push(markdown);
                }
            }
        }
    }
    println!(
        "{} documents ({:?}) × {} readers: {built} built from events and compared \
         ({direct} also read straight into canonical blocks), \
         {fallback} fell back ({} with raw HTML omitted)",
        documents.all.len(),
        documents.by_source,
        readers.len(),
        fallback_omitting.len(),
    );
    let distinct: BTreeSet<&&String> = fallback_omitting.iter().collect();
    for markdown in distinct.iter().take(5) {
        println!("fell back with raw HTML omitted: {markdown:?}");
    }
    let from = |name: &str| {
        documents
            .by_source
            .iter()
            .find(|s| s.0 == name)
            .map_or(0, |s| s.1)
    };
    assert!(from("fixtures") >= 400, "{:?}", documents.by_source);
    assert!(
        from("spec HTML, converted") >= 500,
        "{:?}",
        documents.by_source
    );
    assert!(built >= fallback * 2, "{built} built, {fallback} fell back");
    assert!(direct * 2 >= built, "{direct} of {built} read directly");
}

#[test]
fn raw_html_that_passes_falls_back_and_omitted_html_does_not() {
    let limits = Limits::default();
    let read = |markdown: &str, raw_html: bool| {
        let reader = Reader {
            dialect: Dialect::Goldmark,
            raw_html,
        };
        let source = source(markdown, reader.dialect);
        tree(&events(&source, reader), &source, limits).is_some()
    };
    assert!(!read("a <b>c</b>\n", true));
    assert!(read("a <b>c</b>\n", false));
    assert!(read("![a <b>c</b>](x)\n", true), "alt text is text");
    assert!(read("plain\n", true));
}

#[test]
fn what_the_parser_would_flatten_or_refuse_falls_back() {
    let deep = ">".repeat(40) + " x\n";
    let events = events(&deep, Reader::default());
    let shallow = Limits {
        max_depth: 16,
        ..Limits::default()
    };
    assert!(tree(&events, &deep, shallow).is_none());
    assert!(tree(&events, &deep, Limits::default()).is_some());
    let small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert!(tree(&events, &deep, small).is_none());
}
