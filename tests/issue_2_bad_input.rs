//! Issue 2: no panic, no hang, no stack overflow on hostile bodies.
//!
//! These run on the test harness's small (2 MiB) threads on purpose: a
//! recursive walk over a deep tree would overflow here. Speed is measured
//! by the benchmarks, not asserted here.

use mdmigrate::html::Limits;
use mdmigrate::{Options, convert_html};

fn convert(html: &str) -> mdmigrate::Conversion {
    convert_html(html, &Options::default()).expect("converts")
}

fn codes(c: &mdmigrate::Conversion) -> Vec<&str> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn deep_divs_are_flattened_with_text_kept() {
    let html = format!(
        "{}deep text{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let out = convert(&html);
    assert_eq!(out.markdown, "deep text\n");
    assert!(codes(&out).contains(&"flattened-nesting"));
}

#[test]
fn deep_lists_keep_their_text() {
    let html = format!(
        "{}item{}",
        "<ul><li>".repeat(100_000),
        "</li></ul>".repeat(100_000)
    );
    let out = convert(&html);
    assert!(out.markdown.contains("item"));
    assert!(codes(&out).contains(&"flattened-nesting"));
}

#[test]
fn deep_blockquotes_keep_their_text() {
    let html = format!(
        "{}quoted{}",
        "<blockquote>".repeat(100_000),
        "</blockquote>".repeat(100_000)
    );
    let out = convert(&html);
    assert!(out.markdown.contains("quoted"));
}

#[test]
fn unclosed_inline_runs_do_not_explode() {
    let html = format!(
        "{}{}x",
        "<a href=\"u\">".repeat(40_000),
        "<i>".repeat(40_000)
    );
    let out = convert(&html);
    assert!(out.markdown.contains('x'));
}

#[test]
fn a_one_megabyte_text_node_converts() {
    let text = "字".repeat(350_000);
    let out = convert(&format!("<p>{text}</p>"));
    assert_eq!(out.markdown.trim_end(), text);
}

#[test]
fn fifty_thousand_images_convert() {
    let html = "<img src=\"https://e.com/i.png\">".repeat(50_000);
    let out = convert(&html);
    assert_eq!(
        out.markdown.matches("![](https://e.com/i.png)").count(),
        50_000
    );
}

#[test]
fn unclosed_and_misnested_tags_keep_text() {
    let out = convert("<p><b>bold <i>both</b> italic</i><table><tr><td>cell<p>para");
    for word in ["bold", "both", "italic", "cell", "para"] {
        assert!(out.markdown.contains(word), "{word} lost: {}", out.markdown);
    }
}

#[test]
fn input_over_the_size_cap_is_refused() {
    let options = Options {
        limits: Limits {
            max_bytes: 10,
            ..Limits::default()
        },
        ..Options::default()
    };
    let err = convert_html("<p>more than ten bytes</p>", &options).unwrap_err();
    assert!(err.to_string().contains("over the 10-byte limit"), "{err}");
}

#[test]
fn nul_and_control_characters_do_not_panic() {
    let out = convert("<p>a\u{0}b\u{1}c\u{7f}</p><p>\u{feff}</p>");
    assert!(out.markdown.contains('a'));
}
