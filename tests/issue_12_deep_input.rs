//! Issue 12 item 6: no flag value makes deep input crash. Every shape is
//! converted and verified with depth limits from 1 to `usize::MAX`, on the
//! test harness's own thread (its stack is the small default, smaller than
//! a `migrate` worker's), so a recursion whose depth the input controls
//! would abort this test.

use mdmigrate::html::Limits;
use mdmigrate::post::{BodyKind, PostOptions, convert_post};
use mdmigrate::verify::{VerifyOptions, verify};

/// `depth` nested copies of `open`…`close` around a word.
fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}deep{}", open.repeat(depth), close.repeat(depth))
}

fn shapes() -> Vec<(&'static str, String)> {
    let depth = 10_000;
    vec![
        (
            "blockquotes",
            nested("<blockquote>", "</blockquote>", depth),
        ),
        ("emphasis", nested("<em>", "</em>", depth)),
        (
            "alternating emphasis",
            nested("<em><strong>", "</strong></em>", depth / 2),
        ),
        ("lists", nested("<ul><li>", "</li></ul>", depth / 2)),
        ("links", nested("<a href=\"/x\">", "</a>", depth)),
        (
            "quote in list",
            nested("<ol><li><blockquote>", "</blockquote></li></ol>", depth / 3),
        ),
        ("divs", nested("<div>", "</div>", depth)),
        (
            "tables",
            nested("<table><tr><td>", "</td></tr></table>", depth / 3),
        ),
    ]
}

#[test]
fn no_depth_limit_makes_deep_input_crash() {
    for max_depth in [1, 512, 100_000, usize::MAX] {
        for (name, html) in shapes() {
            let mut options = PostOptions {
                body: BodyKind::Html,
                ..PostOptions::default()
            };
            options.convert.limits = Limits {
                max_depth,
                ..Limits::default()
            };
            let post = convert_post(&html, &options)
                .unwrap_or_else(|e| panic!("{name} at --max-depth {max_depth}: {e}"));
            assert!(post.text.contains("deep"), "{name}: text lost");
            let verify_options = VerifyOptions {
                limits: options.convert.limits,
                ..VerifyOptions::default()
            };
            // The verdict may list differences; it must not crash.
            let _verdict = verify(&html, &post.text, &verify_options);
        }
    }
}

#[test]
fn the_depth_flag_cannot_lift_the_hard_bound() {
    let html = nested("<blockquote>", "</blockquote>", 10_000);
    let mut options = PostOptions {
        body: BodyKind::Html,
        ..PostOptions::default()
    };
    options.convert.limits.max_depth = 100_000;
    let post = convert_post(&html, &options).expect("converts");
    assert!(
        post.diagnostics
            .iter()
            .any(|d| d.code == "flattened-nesting"),
        "10,000 levels are over the hard bound: some must be flattened"
    );
    let quotes = post.text.lines().next().unwrap_or("").matches('>').count();
    assert!(
        quotes <= mdmigrate::html::HARD_MAX_DEPTH,
        "{quotes} quote levels written"
    );
}
