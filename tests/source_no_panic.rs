//! decode → split_post → parse → emit never panics, whatever the input.

use mdmigrate::frontmatter::{FmFormat, Target, emit, parse};
use mdmigrate::source::{Encoding, decode, normalize_eol, split_post};
use proptest::prelude::*;

fn run(text: &str) {
    let text = normalize_eol(text);
    if let Ok(post) = split_post(&text)
        && let Some(Ok(fm)) = post.front_matter.as_ref().map(parse)
    {
        let _ = emit(&fm, Target::Zola, FmFormat::Toml);
        let _ = emit(&fm, Target::Hugo, FmFormat::Yaml);
    }
}

fn yamlish() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a",
        ": ",
        "-",
        " ",
        "\n",
        "[",
        "]",
        "{",
        "}",
        "&x",
        "*x",
        "!!str",
        "'",
        "\"",
        "#",
        "|",
        ">",
        "?",
        ",",
        "title",
        "date",
        "tags",
        "=",
        "+++",
        "---",
        ";;;",
        "\t",
        "\\",
        "2021-10-21",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        for enc in [Encoding::Utf8, Encoding::Gb18030, Encoding::Auto] {
            if let Ok(text) = decode(&bytes, enc) {
                run(&text);
            }
        }
    }

    #[test]
    fn arbitrary_front_matter_text(body in yamlish(), fmt in 0..3usize) {
        let (open, close) = [("---", "---"), ("+++", "+++"), ("{", ";;;")][fmt];
        run(&format!("{open}\n{body}\n{close}\n"));
    }
}
