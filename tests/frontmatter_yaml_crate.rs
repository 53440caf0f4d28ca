//! Why serde-saphyr: its writer quotes every string that a YAML 1.1 reader
//! (Jekyll's Psych, Hexo's js-yaml in 1.1 mode) or a YAML 1.2 reader could
//! take for a boolean, null, number or timestamp, and reads them back as
//! strings. (yaml_serde 0.10.7 leaves `no`, `on`, `yes`, `off`, `y`, `n`,
//! `2021-10-21`, `1_000` plain; serde_yaml_ng / serde_norway are known to
//! do the same.)

use mdmigrate::frontmatter::{FmFormat, FrontMatter, Target, Value, emit, parse};
use mdmigrate::source::split_post;
use std::collections::BTreeMap;

const AMBIGUOUS: &[&str] = &[
    "no",
    "on",
    "yes",
    "off",
    "null",
    "~",
    "2021-10-21",
    "1e3",
    "0x10",
    "true",
    "NO",
    "Yes",
    "y",
    "n",
    "False",
    "1_000",
    "012",
    ".inf",
    "-.5",
    "0o7",
    "2021-10-21 00:22:04",
    "12:30:00",
];

fn is_quoted(line: &str, s: &str) -> bool {
    line == format!("k: \"{s}\"") || line == format!("k: '{s}'")
}

#[test]
fn crate_quotes_ambiguous_scalars_and_reads_them_back_as_strings() {
    for &s in AMBIGUOUS {
        let mut map = BTreeMap::new();
        map.insert("k", s);
        let out = serde_saphyr::to_string(&map).unwrap();
        assert!(is_quoted(out.trim_end(), s), "{s:?} was written as {out:?}");
        let back: BTreeMap<String, String> = serde_saphyr::from_str(&out).unwrap();
        assert_eq!(back["k"], s);
    }
}

#[test]
fn our_emitter_keeps_ambiguous_titles_and_extras_as_strings() {
    for &s in AMBIGUOUS {
        let fm = FrontMatter {
            title: Some(s.to_owned()),
            tags: vec![s.to_owned()],
            extra: vec![("k".to_owned(), Value::String(s.to_owned()))],
            ..FrontMatter::default()
        };
        let out = emit(&fm, Target::Hexo, FmFormat::Yaml);
        assert!(out.lines().any(|l| is_quoted(l, s)), "{s:?}: {out}");
        let raw = split_post(&out).unwrap().front_matter.unwrap();
        assert_eq!(parse(&raw).unwrap(), fm, "{out}");
    }
}
