//! The CommonMark spec's own HTML round-trips: for each example, the
//! reference renderer's HTML → our Markdown → pulldown-cmark's HTML must
//! equal the example's HTML after normalization. At least 99% must.
//!
//! Normalization is the verifier's canonical form in strict mode (the
//! in-library counterpart of `shared/tools/fidelity.py`'s "exact"): both
//! sides are parsed, read into blocks of inline runs (a `div`'s box
//! vanishes, `<li>foo` and `<li><p>foo</p>` agree, attributes other than
//! link targets and image sources do not count) and compared block by
//! block with their emphasis, code and links. `verify` renders the
//! Markdown with pulldown-cmark itself; the test renders it again only to
//! show a miss.
//! Data: `tests/data/commonmark-spec` (see its SOURCE.md).

use mdmigrate::verify::{VerifyOptions, verify};
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
    let strict = VerifyOptions {
        strict: true,
        ..VerifyOptions::default()
    };
    let mut misses = Vec::new();
    for (number, section, html) in &all {
        let (markdown, back) = round_trip(html);
        let verdict = verify(html, &markdown, &strict);
        if !verdict.is_clean() {
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
