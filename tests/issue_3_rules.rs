//! Issue 3: site rules from `mdmigrate.toml` (selector + action), the
//! README's example config, and precedence defaults < file < flags.

use assert_cmd::Command;
use mdmigrate::config::Config;

const EXAMPLE: &str = r#"
target = "hugo"
project_links = "shortcode"

[images]
mode = "rewrite"
rewrite = [{ from = "https://img.36krcdn.com/{path}", to = "/images/{path}" }]

[project_link_shortcode]
name = "company"
args = { id = "{data-id}", name = "{text}" }

[[rules]]
selector = "span.ad[data-slot]"
action = "remove"
[[rules]]
name = "article-links"
selector = "a[href^=https://36kr.com/p/]"
action = "link"
href = "https://36kr.com/p/{data-id}"
[[rules]]
selector = "b.keyword"
action = "unwrap"
[[rules]]
selector = "span.stock"
action = "shortcode"
shortcode = "stock"
args = { code = "{data-code}" }
"#;

const BODY: &str = r#"<p>A<span class="ad" data-slot="1">AD</span>B <a href="https://36kr.com/p/old" data-id="77">post</a> <b class="keyword">kw</b> <span class="stock" data-code="600519">茅台</span> <a class="project-link" data-id="24961" href="https://36kr.com/projectDetails/24961">腾讯</a> <img src="https://img.36krcdn.com/20220321/v2_x_img_000"></p>"#;

#[test]
fn the_readme_example_config_converts_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mdmigrate.toml"), EXAMPLE).unwrap();
    std::fs::write(dir.path().join("p.html"), BODY).unwrap();
    let out = Command::cargo_bin("mdmigrate")
        .unwrap()
        .current_dir(dir.path())
        .args(["convert", "p.html"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "AB [post](https://36kr.com/p/77) kw {{< stock code=\"600519\" >}} {{< company id=\"24961\" name=\"腾讯\" >}} ![](/images/20220321/v2_x_img_000)\n"
    );
}

#[test]
fn rules_are_counted_by_name() {
    let config: Config = toml::from_str(EXAMPLE).unwrap();
    let options = Config::defaults().merge(config).post_options();
    let post = mdmigrate::post::convert_post(BODY, &options).unwrap();
    let fired: Vec<&str> = post
        .diagnostics
        .iter()
        .filter(|d| d.code == "rule-fired")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        fired,
        [
            "span.ad[data-slot]",
            "article-links",
            "b.keyword",
            "span.stock",
            "36kr-project-link"
        ]
    );
}

#[test]
fn bad_rules_are_errors_naming_the_rule() {
    for (text, needle) in [
        (
            "[[rules]]\nselector = \"a[\"\naction = \"remove\"\n",
            "unclosed [",
        ),
        (
            "[[rules]]\nselector = \"a\"\naction = \"explode\"\n",
            "unknown action",
        ),
        (
            "[[rules]]\nselector = \"a\"\naction = \"shortcode\"\n",
            "needs `shortcode",
        ),
    ] {
        let config: Config = toml::from_str(&format!("target = \"hugo\"\n{text}")).unwrap();
        let err = config.site_rules().unwrap_err();
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn flags_override_the_file_which_overrides_defaults() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mdmigrate.toml"),
        "target = \"jekyll\"\nmax_depth = 64\n",
    )
    .unwrap();
    let dump = Command::cargo_bin("mdmigrate")
        .unwrap()
        .current_dir(dir.path())
        .args(["convert", "--dump-config", "--target", "zola", "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(dump.stdout).unwrap();
    assert!(text.contains("target = \"zola\""), "{text}");
    assert!(text.contains("max_depth = 64"), "{text}");
    assert!(text.contains("eol = \"lf\""), "{text}");
}
