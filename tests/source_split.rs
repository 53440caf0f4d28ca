//! `split_post`: delimiters, line numbers, unterminated blocks.

use mdmigrate::source::{FrontMatterFormat, SourceError, normalize_eol, split_post};

#[test]
fn yaml_with_leading_blank_line_like_the_corpus() {
    let post = split_post("\n---\ntitle: 'x'\n---   \n\n<div>   x</div>\n            ").unwrap();
    let fm = post.front_matter.unwrap();
    assert_eq!(fm.format, FrontMatterFormat::Yaml);
    assert_eq!(fm.text, "title: 'x'\n");
    assert_eq!(fm.line, 3);
    assert_eq!(post.body, "\n<div>   x</div>\n            ");
    assert_eq!(post.body_line, 5);
}

#[test]
fn toml_block() {
    let post = split_post("+++\ntitle = \"x\"\n+++\nbody\n").unwrap();
    let fm = post.front_matter.unwrap();
    assert_eq!(
        (fm.format, fm.text, fm.line),
        (FrontMatterFormat::Toml, "title = \"x\"\n", 2)
    );
    assert_eq!((post.body, post.body_line), ("body\n", 4));
}

#[test]
fn json_blocks_object_and_bare() {
    let post = split_post("{\n\"title\": \"x\"\n}\n;;;\nbody").unwrap();
    let fm = post.front_matter.unwrap();
    assert_eq!((fm.format, fm.line), (FrontMatterFormat::Json, 1));
    assert_eq!(fm.text, "{\n\"title\": \"x\"\n}\n");
    assert_eq!((post.body, post.body_line), ("body", 5));
    let bare = split_post("\"title\": \"x\"\n;;;\n").unwrap();
    assert_eq!(bare.front_matter.unwrap().text, "\"title\": \"x\"\n");
    assert_eq!(bare.body, "");
}

#[test]
fn brace_without_terminator_is_body() {
    let post = split_post("{not front matter}\ntext").unwrap();
    assert!(post.front_matter.is_none());
    assert_eq!(post.body, "{not front matter}\ntext");
}

#[test]
fn no_front_matter_is_all_body() {
    for text in ["", "\n\n", "# Title\n---\n", "hello"] {
        let post = split_post(text).unwrap();
        assert!(post.front_matter.is_none(), "{text:?}");
        assert_eq!((post.body, post.body_line), (text, 1));
    }
}

#[test]
fn unterminated_blocks_are_errors() {
    let e = split_post("\n\n---\ntitle: x\n").unwrap_err();
    assert_eq!(
        e,
        SourceError::UnterminatedFrontMatter {
            line: 3,
            delimiter: "---"
        }
    );
    assert!(e.to_string().contains("line 3"), "{e}");
    let e = split_post("+++\na = 1\n---\n").unwrap_err();
    assert_eq!(
        e,
        SourceError::UnterminatedFrontMatter {
            line: 1,
            delimiter: "+++"
        }
    );
}

#[test]
fn empty_block_and_closing_at_end_of_text() {
    let post = split_post("---\n---").unwrap();
    assert_eq!(post.front_matter.unwrap().text, "");
    assert_eq!((post.body, post.body_line), ("", 3));
}

#[test]
fn crlf_and_bom_are_tolerated() {
    let post = split_post("\u{feff}---\r\ntitle: x\r\n---\r\nbody").unwrap();
    assert_eq!(post.front_matter.unwrap().text, "title: x\r\n");
    assert_eq!(post.body, "body");
    assert_eq!(normalize_eol("a\r\nb\rc\n\r\n"), "a\nb\nc\n\n");
}

#[test]
fn never_panics_on_odd_text() {
    for text in [
        "---", "---\n", "+++", ";;;", "\u{feff}", "\r", "{\n;;;", "\"\n;;;", "---\r",
    ] {
        let _ = split_post(text);
    }
}
