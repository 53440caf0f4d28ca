//! Invariants shared by the fuzz targets (the same checks as
//! `tests/fuzz_properties.rs`). Each panics with a message on failure.

#![allow(dead_code)]

use mdmigrate::frontmatter::{FmFormat, FrontMatter, Target, Value, emit, parse};
use mdmigrate::post::{BodyKind, PostOptions, convert_post};
use mdmigrate::source::{Encoding, decode, split_post};
use mdmigrate::{Options, convert_html};

/// `convert_post` with default options but the body kind; the output text.
fn convert(text: &str, body: BodyKind) -> Option<String> {
    let options = PostOptions { body, ..PostOptions::default() };
    convert_post(text, &options).ok().map(|p| p.text)
}

/// `convert_html` does not panic; its output is kept by `convert_post` as
/// Markdown and with the body kind detected.
pub fn body(html: &str) {
    let options = Options::default();
    let Ok(conv) = convert_html(html, &options) else {
        return;
    };
    let md = conv.markdown;
    let kept = convert(&md, BodyKind::Markdown).expect("output converts as Markdown");
    assert_eq!(kept, md, "Markdown body not kept as is; input {html:?}");
    let again = convert(&md, BodyKind::Auto).expect("output converts");
    assert_eq!(again, md, "convert twice != once; input {html:?}");
}

/// `decode` → `convert_post(Auto)` does not panic and is idempotent.
pub fn post(bytes: &[u8]) {
    let Ok(text) = decode(bytes, Encoding::Auto) else {
        return;
    };
    let Some(once) = convert(&text, BodyKind::Auto) else {
        return;
    };
    let twice = convert(&once, BodyKind::Auto).expect("output converts");
    assert_eq!(twice, once, "post not idempotent; input {text:?}");
}

const TARGETS: [Target; 5] = [
    Target::Hexo,
    Target::Hugo,
    Target::Jekyll,
    Target::Zola,
    Target::Plain,
];

fn any_value(v: &Value, pred: &dyn Fn(&Value) -> bool) -> bool {
    pred(v)
        || match v {
            Value::List(items) => items.iter().any(|i| any_value(i, pred)),
            Value::Map(entries) => entries.iter().any(|(_, v)| any_value(v, pred)),
            _ => false,
        }
}

fn sorted_extra(fm: &FrontMatter) -> FrontMatter {
    let mut fm = fm.clone();
    fm.extra.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| format!("{:?}", a.1).cmp(&format!("{:?}", b.1)))
    });
    fm
}

/// `split_post` → `parse` → `emit` → `parse` gives the same model.
/// Documented limits are skipped: TOML has no null, Zola reorders `extra`,
/// and NaN != NaN.
pub fn front_matter(text: &str) {
    let Ok(post) = split_post(text) else { return };
    let Some(raw) = post.front_matter else { return };
    let Ok(fm) = parse(&raw) else { return };
    let nan = |v: &Value| matches!(v, Value::Float(f) if f.is_nan());
    if fm.extra.iter().any(|(_, v)| any_value(v, &nan)) {
        return;
    }
    let nulls = fm
        .extra
        .iter()
        .any(|(_, v)| any_value(v, &|v| matches!(v, Value::Null)));
    for format in [FmFormat::Yaml, FmFormat::Toml] {
        if format == FmFormat::Toml && nulls {
            continue;
        }
        for target in TARGETS {
            let emitted = emit(&fm, target, format);
            let back = split_post(&emitted)
                .unwrap_or_else(|e| panic!("{target:?} {format:?}: re-split: {e}\n{emitted}"));
            let raw = back
                .front_matter
                .unwrap_or_else(|| panic!("{target:?} {format:?}: no front matter\n{emitted}"));
            let again = parse(&raw).unwrap_or_else(|e| {
                panic!("{target:?} {format:?}: re-parse: {e}\ninput:\n{text}\nemitted:\n{emitted}")
            });
            let (a, b) = if target == Target::Zola {
                (sorted_extra(&fm), sorted_extra(&again))
            } else {
                (fm.clone(), again)
            };
            assert_eq!(a, b, "{target:?} {format:?}: parse(emit(x)) != x\ninput:\n{text}\nemitted:\n{emitted}");
        }
    }
}
