//! Front-matter errors: positions relative to the file, duplicate keys,
//! alias bombs, deep nesting, non-mappings.

use mdmigrate::frontmatter::{FrontMatterError, ParseOptions, parse, parse_with};
use mdmigrate::source::{FrontMatterFormat, RawFrontMatter, split_post};
use std::time::{Duration, Instant};

fn raw(format: FrontMatterFormat, text: &str, line: usize) -> RawFrontMatter<'_> {
    RawFrontMatter { format, text, line }
}

fn position(e: &FrontMatterError) -> (usize, usize) {
    match e {
        FrontMatterError::Syntax { line, column, .. } => (*line, *column),
        FrontMatterError::NotAMapping { line, .. } => (*line, 0),
    }
}

#[test]
fn yaml_duplicate_key_is_located_in_the_file() {
    let text = "\n---\ntitle: a\ndate: 2021-10-21\ntitle: b\n---\nbody";
    let fm = split_post(text).unwrap().front_matter.unwrap();
    let e = parse(&fm).unwrap_err();
    assert_eq!(position(&e), (5, 1), "{e}");
    assert!(e.to_string().contains("duplicate"), "{e}");
    assert_eq!(
        e.to_string(),
        "YAML front matter: duplicate mapping key: title (line 5, column 1)"
    );
}

#[test]
fn broken_yaml_is_located_in_the_file() {
    let e = parse(&raw(FrontMatterFormat::Yaml, "a: 1\nb: [1, 2\nc: 3\n", 10)).unwrap_err();
    assert_eq!(position(&e).0, 12, "{e}");
    let e = parse(&raw(FrontMatterFormat::Yaml, "title: 'open\n", 3)).unwrap_err();
    assert!(matches!(e, FrontMatterError::Syntax { .. }), "{e}");
}

#[test]
fn broken_toml_and_json_are_located() {
    let e = parse(&raw(FrontMatterFormat::Toml, "a = 1\nb = \n", 2)).unwrap_err();
    assert_eq!(position(&e).0, 3, "{e}");
    let e = parse(&raw(FrontMatterFormat::Toml, "a = 1\na = 2\n", 2)).unwrap_err();
    assert_eq!(position(&e).0, 3, "{e}");
    let e = parse(&raw(FrontMatterFormat::Json, "{\"a\": 1,\n\"a\": 2}\n", 1)).unwrap_err();
    assert_eq!(position(&e).0, 2, "{e}");
}

#[test]
fn alias_bomb_errors_out_quickly() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let start = Instant::now();
    let result = parse(&raw(FrontMatterFormat::Yaml, &bomb, 1));
    let e = result.expect_err("alias bomb was accepted");
    assert!(e.to_string().contains("alias"), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn small_aliases_still_work() {
    let fm = parse(&raw(FrontMatterFormat::Yaml, "x: &t [a, b]\ntags: *t\n", 1)).unwrap();
    assert_eq!(fm.tags, ["a", "b"]);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let n = 100_000;
    let yaml = format!("a: {}{}", "[".repeat(n), "]".repeat(n));
    let toml = format!("a = {}{}", "[".repeat(n), "]".repeat(n));
    let json = format!("{{\"a\": {}{}}}", "[".repeat(n), "]".repeat(n));
    for (format, text) in [
        (FrontMatterFormat::Yaml, yaml),
        (FrontMatterFormat::Toml, toml),
        (FrontMatterFormat::Json, json),
    ] {
        assert!(parse(&raw(format, &text, 1)).is_err(), "{format}");
    }
    let yaml_block = format!(
        "a:\n{}",
        (1..200)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>()
    );
    assert!(parse(&raw(FrontMatterFormat::Yaml, &yaml_block, 1)).is_err());
}

#[test]
fn non_mappings_are_rejected_and_empty_blocks_are_empty() {
    let e = parse(&raw(FrontMatterFormat::Yaml, "- a\n- b\n", 4)).unwrap_err();
    assert!(
        matches!(e, FrontMatterError::NotAMapping { line: 4, .. }),
        "{e}"
    );
    assert!(parse(&raw(FrontMatterFormat::Yaml, "", 2)).unwrap() == Default::default());
    assert!(
        parse(&raw(FrontMatterFormat::Yaml, "# only a comment\n", 2)).unwrap()
            == Default::default()
    );
    assert!(parse(&raw(FrontMatterFormat::Toml, "", 2)).unwrap() == Default::default());
}

#[test]
fn unreadable_date_is_a_warning_not_an_error() {
    let (fm, warnings) = parse_with(
        &raw(
            FrontMatterFormat::Yaml,
            "date: the other day\ntitle: x\n",
            1,
        ),
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(fm.title.as_deref(), Some("x"));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "fm-bad-date");
}

#[test]
fn hexo_json_front_matter_parses() {
    let text = "\"title\": \"JSON in Hexo\",\n\"date\": \"2013/7/13 20:46:25\",\n\"tags\": \"x\"\n;;;\nbody";
    let post = split_post(text).unwrap();
    let fm = parse(&post.front_matter.unwrap()).unwrap();
    assert_eq!(fm.title.as_deref(), Some("JSON in Hexo"));
    assert_eq!(fm.date.unwrap().to_rfc3339(), "2013-07-13T20:46:25+00:00");
    assert_eq!(fm.tags, ["x"]);
    assert_eq!(post.body, "body");
}
