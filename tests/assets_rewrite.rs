//! Keep/rewrite modes and post references through the public API.

use std::path::Path;

use mdmigrate::assets::{Mode, RewriteRule, reference_for, rewrite_url};

#[test]
fn modes_parse() {
    assert_eq!("keep".parse::<Mode>(), Ok(Mode::Keep));
    assert_eq!("rewrite".parse::<Mode>(), Ok(Mode::Rewrite));
    assert_eq!("download".parse::<Mode>(), Ok(Mode::Download));
    assert!("fetch".parse::<Mode>().is_err());
}

#[test]
fn rewrite_36kr_images_to_local_prefix() {
    let rules = [RewriteRule::new(
        "https://img.36krcdn.com/{path}",
        "/images/{path}",
    )];
    assert_eq!(
        rewrite_url("https://img.36krcdn.com/20220321/v2_abc_img_000", &rules).as_deref(),
        Some("/images/20220321/v2_abc_img_000")
    );
    assert_eq!(rewrite_url("https://example.com/a.png", &rules), None);
}

#[test]
fn references_relative_and_root_relative() {
    let assets = Path::new("site/static/assets");
    let stored = assets.join("ab").join("abcdef.webp");
    assert_eq!(
        reference_for(&stored, assets, Path::new("site/content/posts/p.md"), None),
        "../../static/assets/ab/abcdef.webp"
    );
    assert_eq!(
        reference_for(
            &stored,
            assets,
            Path::new("site/content/posts/p.md"),
            Some("/images")
        ),
        "/images/ab/abcdef.webp"
    );
}
