//! The CommonMark spec's own HTML round-trips: for each example, the
//! reference renderer's HTML → our Markdown → pulldown-cmark's HTML must
//! equal the example's HTML after normalization. At least 99% must.
//!
//! Normalization: both sides are read into the same canonical tree, the
//! way the project's round-trip judge (`shared/tools/fidelity.py`, its
//! "exact") reads them, so this rate is that judge's rate: boxes (`div`)
//! vanish, `<li>foo` and `<li><p>foo</p>` agree, `th` is a cell like `td`,
//! whitespace collapses, spaces and punctuation at the edges of emphasis
//! stand outside it, adjacent emphasis of one kind is one run, and only
//! link targets and image sources among the attributes count. Nested
//! emphasis (`<em>a <em>b</em></em>`) is *not* flattened, nor is a link
//! around nothing dropped. Data: `tests/data/commonmark-spec` (SOURCE.md).
//!
//! 651 of 655 are exact (99.4%, the judge agrees). The four misses are
//! choices, not gaps: 148 puts a `<pre>` in a one-cell table, which the
//! converter reads as a layout box around a code block while the judge
//! reads the cell's lines as text; 168 (`<del><p><em>foo</em></p></del>`)
//! reads, by the judge's rule for a block inside an inline element, as
//! breaks around the emphasis, which no Markdown spells; 189 and 346 hold
//! an `<a>` left open at `</p>`, which the HTML parser re-opens around the
//! newline after the paragraph: an empty link repeating a visible link's
//! target, which the converter drops (issue 12 item 4) because it shows
//! nothing.

#[path = "support/canonical.rs"]
mod canonical;

use canonical::canonical;
use pulldown_cmark::{Options, Parser};

fn examples() -> Vec<(u64, String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/commonmark-spec/examples.json"
    );
    let text = std::fs::read_to_string(path).expect("spec examples");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| {
            (
                e["example"].as_u64().expect("number"),
                e["section"].as_str().expect("section").to_owned(),
                e["html"].as_str().expect("html").to_owned(),
            )
        })
        .collect()
}

/// Our Markdown for `html`, rendered back by pulldown-cmark.
fn round_trip(html: &str) -> (String, String) {
    let markdown = mdmigrate::convert_html(html, &mdmigrate::Options::default())
        .expect("converts")
        .markdown;
    let mut out = String::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(&markdown, options));
    (markdown, out)
}

#[test]
fn commonmark_spec_html_round_trips_at_least_99_percent() {
    let all = examples();
    assert_eq!(all.len(), 655, "spec examples not found");
    let mut misses = Vec::new();
    for (number, section, html) in &all {
        let (markdown, back) = round_trip(html);
        if canonical(html) != canonical(&back) {
            misses.push(format!(
                "example {number} ({section}):\n  html: {html:?}\n  md:   {markdown:?}\n  back: {back:?}"
            ));
        }
    }
    let exact = all.len() - misses.len();
    let rate = exact as f64 / all.len() as f64;
    println!("{exact} of {} exact ({:.1}%)", all.len(), rate * 100.0);
    for miss in &misses {
        println!("{miss}");
    }
    assert!(
        rate >= 0.99,
        "{exact} of {} exact ({:.1}%), want ≥ 99%; misses:\n{}",
        all.len(),
        rate * 100.0,
        misses.join("\n")
    );
}
