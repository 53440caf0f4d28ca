//! All 32 corpus posts: split, parse, emit for every target and format,
//! parse again: same model. Dates become RFC 3339, headimg/thumbnail one cover.
//! The posts are the bundled copies in `fixtures/36kr/*/input.md`.

use mdmigrate::frontmatter::{FmDate, FmFormat, Target, Value, emit, parse};
use mdmigrate::source::{Encoding, FrontMatterFormat, decode, split_post};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/36kr")
}

fn md_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            md_files(&p, out);
        } else if p.file_name().is_some_and(|n| n == "input.md") {
            out.push(p);
        }
    }
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 25
        && s.ends_with("+00:00")
        && b.get(10) == Some(&b'T')
        && s.chars().enumerate().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 | 22 => c == ':',
            19 => c == '+',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn every_corpus_post_round_trips() {
    let mut files = Vec::new();
    md_files(&corpus_dir(), &mut files);
    assert_eq!(files.len(), 32);
    for path in files {
        let name = path.display();
        let bytes = std::fs::read(&path).unwrap();
        let text = decode(&bytes, Encoding::Utf8).unwrap();
        let post = split_post(&text).unwrap();
        let raw = post
            .front_matter
            .unwrap_or_else(|| panic!("{name}: no front matter"));
        assert_eq!(
            (raw.format, raw.line),
            (FrontMatterFormat::Yaml, 3),
            "{name}"
        );
        assert!(post.body.trim_start().starts_with("<div>"), "{name}");
        let fm = parse(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));

        let date = fm.date.as_ref().map(FmDate::to_rfc3339).unwrap_or_default();
        assert!(matches!(fm.date, Some(FmDate::At { .. })), "{name}");
        assert!(is_rfc3339_utc(&date), "{name}: {date}");
        assert!(fm.title.as_deref().is_some_and(|t| !t.is_empty()), "{name}");
        assert!(
            fm.cover.as_deref().is_some_and(|c| c.starts_with("http")),
            "{name}"
        );
        assert!(!fm.categories.is_empty(), "{name}");
        let keys: Vec<&str> = fm.extra.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["author", "comments"], "{name}");
        assert_eq!(fm.extra[1].1, Value::Bool(false), "{name}");

        let hexo = emit(&fm, Target::Hexo, FmFormat::Yaml);
        assert_eq!(
            hexo.matches("https://").count(),
            1,
            "{name}: one cover URL\n{hexo}"
        );
        assert!(
            hexo.contains(&format!("\ndate: {date}\n")),
            "{name}\n{hexo}"
        );
        for target in [
            Target::Hexo,
            Target::Hugo,
            Target::Jekyll,
            Target::Zola,
            Target::Plain,
        ] {
            for format in [FmFormat::Yaml, FmFormat::Toml] {
                let out = emit(&fm, target, format) + post.body;
                let again = split_post(&out).unwrap();
                assert_eq!(again.body, post.body, "{name}");
                let back = parse(&again.front_matter.unwrap()).unwrap();
                assert_eq!(back, fm, "{name} {target:?} {format:?}");
            }
        }
    }
}
