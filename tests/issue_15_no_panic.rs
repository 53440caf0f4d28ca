//! Issue 15: no input panics the export reader, autop or the WordPress
//! body rules, and what they make stays within the staging folder.

use mdmigrate::export::autop::autop;
use mdmigrate::export::layout::Layout;
use mdmigrate::export::stage::{StageOptions, stage};
use mdmigrate::export::wordpress::{Attachments, prepare};
use mdmigrate::export::{ReadOptions, SourceKind, read};
use mdmigrate::frontmatter::{FmFormat, Target};
use proptest::prelude::*;

/// Strings made of the pieces these stages look at.
fn markup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<pre>".to_owned()),
        Just("</pre>".to_owned()),
        Just("<br />".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("[caption]".to_owned()),
        Just("[/caption]".to_owned()),
        Just("[gallery ids=\"1,x\"]".to_owned()),
        Just("[[".to_owned()),
        Just("]]".to_owned()),
        Just("<!--more-->".to_owned()),
        Just("<!-- wp:paragraph -->".to_owned()),
        Just("https://youtu.be/x".to_owned()),
        Just("<div a='>'>".to_owned()),
        Just("</div>".to_owned()),
        Just("<".to_owned()),
        Just("é中".to_owned()),
        "[a-z <>/\\[\\]=\"']{0,8}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn xml() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<rss>".to_owned()),
        Just("<channel>".to_owned()),
        Just("<item>".to_owned()),
        Just("</item>".to_owned()),
        Just("<title>".to_owned()),
        Just("</title>".to_owned()),
        Just("<wp:post_type>attachment</wp:post_type>".to_owned()),
        Just("<wp:post_type>page</wp:post_type>".to_owned()),
        Just("<content:encoded><![CDATA[a\n\nb]]></content:encoded>".to_owned()),
        Just("<link>https://x.test/a/../b/</link>".to_owned()),
        Just("<wp:post_name>../../x</wp:post_name>".to_owned()),
        Just("&amp;&#xD800;&nope;".to_owned()),
        Just("</rss>".to_owned()),
        "[a-z <>/&;]{0,6}",
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn autop_and_prepare_never_panic(body in markup()) {
        let once = autop(&body);
        // Only paragraphs and breaks are added (and breaks at a paragraph's
        // edge dropped): every other input byte outside white space is
        // still there, in order.
        let no_breaks = |s: &str| s.replace("<br />", "").replace("<br>", "");
        let kept: String = no_breaks(&body).chars().filter(|c| !c.is_whitespace()).collect();
        let out: String = no_breaks(&once).chars().filter(|c| !c.is_whitespace()).collect();
        let mut rest = out.as_str();
        for c in kept.chars() {
            let at = rest.find(c);
            prop_assert!(at.is_some(), "{c:?} of {body:?} lost in {once:?}");
            rest = &rest[at.unwrap_or(0) + c.len_utf8()..];
        }
        let _ = prepare(&body, "1", &Attachments::default());
    }

    #[test]
    fn exports_never_panic_and_stay_in_the_staging_folder(text in xml()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.xml");
        std::fs::write(&input, &text).unwrap();
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let options = ReadOptions { source: Some(SourceKind::Wxr), max_size: 1 << 20 };
        if let Ok(export) = read(&input, &options) {
            let stage_options = StageOptions {
                target: Target::Hugo,
                format: FmFormat::Yaml,
                layout: Layout::default_for(Target::Hugo),
            };
            let staged = stage(export, &stage_options, &staging);
            for post in &staged.posts {
                prop_assert!(post.input.starts_with(&staging));
                prop_assert!(!post.rel.split('/').any(|p| p == ".." || p.is_empty()), "{}", post.rel);
            }
        }
    }
}
