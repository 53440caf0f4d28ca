//! `parse(emit(fm)) == fm` for every target and both formats: explicit
//! awkward strings, and proptest over arbitrary Unicode.

use jiff::Timestamp;
use jiff::tz::Offset;
use mdmigrate::frontmatter::{
    FmDate, FmFormat, FrontMatter, Target, Value, emit, parse, parse_date,
};
use mdmigrate::source::split_post;
use proptest::prelude::*;

const TARGETS: [Target; 5] = [
    Target::Hexo,
    Target::Hugo,
    Target::Jekyll,
    Target::Zola,
    Target::Plain,
];

/// Keys the model or a target gives a meaning to; extra keys avoid them.
const RESERVED: &[&str] = &[
    "title",
    "date",
    "updated",
    "lastmod",
    "last_modified_at",
    "slug",
    "draft",
    "published",
    "tags",
    "categories",
    "cover",
    "image",
    "images",
    "thumbnail",
    "headimg",
    "banner",
    "taxonomies",
    "extra",
    "description",
    "weight",
    "aliases",
    "authors",
    "template",
    "path",
    "in_search_index",
    "render",
];

fn reparse(fm: &FrontMatter, target: Target, format: FmFormat) -> (String, FrontMatter) {
    let text = emit(fm, target, format);
    let post = split_post(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let raw = post
        .front_matter
        .unwrap_or_else(|| panic!("no front matter in\n{text}"));
    assert_eq!(post.body, "");
    let back = parse(&raw).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (text, back)
}

fn assert_round_trip(fm: &FrontMatter, formats: &[FmFormat]) {
    for &format in formats {
        for target in TARGETS {
            let (text, back) = reparse(fm, target, format);
            assert_eq!(&back, fm, "{target:?} {format:?}:\n{text}");
        }
    }
}

const AWKWARD: &[&str] = &[
    "it's",
    "say \"hi\"",
    ":",
    "a: b",
    "a:b",
    "a #b",
    "#a",
    " #",
    "- a",
    "-a",
    "-",
    "[a]",
    "{a}",
    "*a",
    "&a",
    "!a",
    "%a",
    "@a",
    "`a`",
    "|",
    "> a",
    "? a",
    "no",
    "on",
    "null",
    "Null",
    "~",
    "2021-10-21",
    "2021-10-21T00:22:04+00:00",
    "12",
    "1.5",
    "-1",
    "0x1F",
    "1e3",
    ".nan",
    "a\\b",
    "\\",
    " lead",
    "trail ",
    "  ",
    "line\nbreak",
    "\n",
    "a\r\nb",
    "tab\there",
    "\t",
    "",
    "\u{3000}",
    "\u{3000}全角",
    "\u{a0}nbsp\u{a0}",
    "emoji 🦀👍🏽",
    "\u{1}\u{7}\u{1b}\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}bom",
    "---",
    "+++",
    ";;;",
    "...",
    "a ---",
    "'",
    "\"",
    "''",
    "\"\"",
    "a'b\"c",
    "<b>&amp;</b>",
    "http://x/y?a=1#f",
    "=",
    "a = b",
    "[[x]]",
];

#[test]
fn awkward_strings_round_trip_everywhere() {
    for &s in AWKWARD {
        let fm = FrontMatter {
            title: Some(s.to_owned()),
            slug: Some(s.to_owned()),
            tags: vec![s.to_owned(), "x".to_owned()],
            categories: vec![s.to_owned()],
            cover: Some(format!("{s}.png")),
            extra: vec![
                ("k".to_owned(), Value::String(s.to_owned())),
                (
                    s.to_owned() + "key",
                    Value::List(vec![Value::String(s.to_owned())]),
                ),
            ],
            ..FrontMatter::default()
        };
        assert_round_trip(&fm, &[FmFormat::Yaml, FmFormat::Toml]);
    }
}

#[test]
fn dates_round_trip_in_every_target() {
    for text in [
        "Thu, 21 Oct 2021 00:22:04 GMT",
        "2021-10-21T08:22:04.123456789+08:00",
        "0005-01-01T00:00:00-05:30",
        "9999-12-30 12:59:59",
    ] {
        let date = parse_date(text, Offset::UTC);
        let fm = FrontMatter {
            date: date.clone(),
            updated: Some(FmDate::Raw("not a date".to_owned())),
            draft: Some(true),
            ..FrontMatter::default()
        };
        assert!(date.is_some(), "{text}");
        assert_round_trip(&fm, &[FmFormat::Yaml, FmFormat::Toml]);
    }
}

#[test]
fn hexo_writes_rfc3339_and_published() {
    let fm = FrontMatter {
        title: Some("t".into()),
        date: parse_date("Thu, 21 Oct 2021 00:22:04 GMT", Offset::UTC),
        draft: Some(false),
        tags: vec!["a".into()],
        cover: Some("https://x/y.png".into()),
        ..FrontMatter::default()
    };
    let out = emit(&fm, Target::Hexo, FmFormat::Yaml);
    assert_eq!(
        out,
        "---\ntitle: t\ndate: 2021-10-21T00:22:04+00:00\npublished: true\ntags:\n  - a\ncover: https://x/y.png\n---\n"
    );
    let jekyll = emit(&fm, Target::Jekyll, FmFormat::Yaml);
    assert!(
        jekyll.contains("\ndate: 2021-10-21 00:22:04 +0000\n"),
        "{jekyll}"
    );
    assert!(jekyll.contains("\nimage: https://x/y.png\n"), "{jekyll}");
    let hugo = emit(&fm, Target::Hugo, FmFormat::Toml);
    assert!(
        hugo.contains("\ndate = 2021-10-21T00:22:04+00:00\n"),
        "{hugo}"
    );
    assert!(
        hugo.contains("\nimages = [\"https://x/y.png\"]\n"),
        "{hugo}"
    );
    let zola = emit(&fm, Target::Zola, FmFormat::Toml);
    assert_eq!(
        zola,
        "+++\ntitle = \"t\"\ndate = 2021-10-21T00:22:04+00:00\ndraft = false\n[taxonomies]\ntags = [\"a\"]\n[extra]\ncover = \"https://x/y.png\"\n+++\n"
    );
}

#[test]
fn cover_key_falls_back_when_extra_uses_it() {
    let fm = FrontMatter {
        cover: Some("a.png".into()),
        extra: vec![
            (
                "image".into(),
                Value::Map(vec![("src".into(), Value::String("b".into()))]),
            ),
            (
                "images".into(),
                Value::List(vec![Value::String("c.png".into())]),
            ),
        ],
        ..FrontMatter::default()
    };
    assert_round_trip(&fm, &[FmFormat::Yaml, FmFormat::Toml]);
}

#[test]
fn yaml_keeps_nulls_and_numbers() {
    let fm = FrontMatter {
        extra: vec![
            ("n".into(), Value::Null),
            ("i".into(), Value::Int(-7)),
            ("f".into(), Value::Float(2.0)),
            ("big".into(), Value::Float(1e300)),
            ("b".into(), Value::Bool(false)),
            (
                "m".into(),
                Value::Map(vec![(
                    "x".into(),
                    Value::List(vec![Value::Null, Value::Int(1)]),
                )]),
            ),
            ("e".into(), Value::List(vec![])),
            ("em".into(), Value::Map(vec![])),
        ],
        ..FrontMatter::default()
    };
    assert_round_trip(&fm, &[FmFormat::Yaml]);
}

fn any_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        ' ', '\n', '\t', '\r', '\'', '"', ':', '#', '-', '[', '{', '*', '&', '!', '%', '@', '`',
        '|', '>', '\\', '\u{3000}', '\u{a0}', '\u{85}', '\u{2028}', '\u{feff}', '\u{0}', '🦀',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), special], 0..12)
        .prop_map(|chars| chars.into_iter().collect())
}

fn any_date() -> impl Strategy<Value = FmDate> {
    let at = (
        -62_000_000_000i64..253_000_000_000,
        0i32..1_000_000_000,
        -1439i32..=1439,
    )
        .prop_filter_map("out of range", |(secs, nanos, minutes)| {
            Some(FmDate::At {
                timestamp: Timestamp::new(secs, nanos).ok()?,
                offset: Offset::from_seconds(minutes * 60).ok()?,
            })
        });
    let raw = any_text().prop_filter_map("reads as a date", |s| {
        parse_date(&s, Offset::UTC)
            .is_none()
            .then_some(FmDate::Raw(s))
    });
    prop_oneof![3 => at, 1 => raw]
}

fn any_extra_value(with_null: bool) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any_text().prop_map(Value::String),
        any::<i64>().prop_map(Value::Int),
        any::<bool>().prop_map(Value::Bool),
        (-1e12f64..1e12).prop_map(Value::Float),
        Just(if with_null {
            Value::Null
        } else {
            Value::Int(0)
        }),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec((any_text(), inner), 0..4).prop_map(|entries| {
                let mut seen = std::collections::HashSet::new();
                Value::Map(
                    entries
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
        ]
    })
}

fn any_front_matter(with_null: bool) -> impl Strategy<Value = FrontMatter> {
    let texts = || prop::collection::vec(any_text(), 0..4);
    let extra = prop::collection::vec((any_text(), any_extra_value(with_null)), 0..5);
    (
        (
            prop::option::of(any_text()),
            prop::option::of(any_date()),
            prop::option::of(any_date()),
        ),
        (texts(), texts(), prop::option::of(any_text())),
        (
            prop::option::of(any::<bool>()),
            prop::option::of(any_text()),
            extra,
        ),
    )
        .prop_map(
            |((title, date, updated), (tags, categories, cover), (draft, slug, extra))| {
                let mut seen = std::collections::HashSet::new();
                let extra = extra
                    .into_iter()
                    .filter(|(k, _)| !RESERVED.contains(&k.as_str()) && seen.insert(k.clone()))
                    .collect();
                FrontMatter {
                    title,
                    date,
                    updated,
                    tags,
                    categories,
                    cover,
                    draft,
                    slug,
                    extra,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn yaml_round_trips(fm in any_front_matter(true)) {
        for target in TARGETS {
            let (text, back) = reparse(&fm, target, FmFormat::Yaml);
            prop_assert_eq!(&back, &fm, "{:?}:\n{}", target, text);
        }
    }

    #[test]
    fn toml_round_trips(fm in any_front_matter(false)) {
        for target in TARGETS {
            let (text, back) = reparse(&fm, target, FmFormat::Toml);
            prop_assert_eq!(&back, &fm, "{:?}:\n{}", target, text);
        }
    }
}

fn parse_text(text: &str) -> FrontMatter {
    let post = split_post(text).unwrap();
    parse(&post.front_matter.unwrap()).unwrap()
}

/// Second spellings of a field stay next to it (the field takes the other
/// key); in Zola, a key that is not a second spelling still goes under
/// `[extra]` (hierarchical categories), and one named like a Zola table
/// makes the emit fall back to the plain layout rather than mix the two.
#[test]
fn second_spellings_and_zola_tables() {
    let fm = parse_text("---\ndraft: hello\npublished: true\ncategories: [[a, b]]\n---\n");
    assert_eq!(fm.draft, Some(false));
    assert_round_trip(&fm, &[FmFormat::Yaml, FmFormat::Toml]);
    assert_eq!(
        emit(&fm, Target::Hugo, FmFormat::Yaml),
        "---\npublished: true\ndraft: hello\ncategories:\n  - - a\n    - b\n---\n"
    );
    assert_eq!(
        emit(&fm, Target::Zola, FmFormat::Toml),
        "+++\npublished = true\ndraft = \"hello\"\n[extra]\ncategories = [[\"a\", \"b\"]]\n+++\n"
    );
    let fm = parse_text("---\ntags: a\ntaxonomies: hello\n---\n");
    assert_round_trip(&fm, &[FmFormat::Yaml, FmFormat::Toml]);
    assert_eq!(
        emit(&fm, Target::Zola, FmFormat::Toml),
        "+++\ntags = [\"a\"]\ntaxonomies = \"hello\"\n+++\n"
    );
}
