//! Issue 11: verification reads the Markdown as the target site does, so
//! what the site would misread is reported, and what the writer writes for
//! the target verifies clean.

use mdmigrate::convert::{Options, SiteSyntax, convert_html};
use mdmigrate::md::Dialect;
use mdmigrate::verify::{Difference, Reader, VerifyOptions, verify};

fn options(dialect: Dialect) -> VerifyOptions {
    VerifyOptions {
        reader: Reader {
            dialect,
            raw_html: true,
        },
        ..VerifyOptions::default()
    }
}

const BARE_URL: &str = "<p>https://twitter.com/Jean<a href=\"https://36kr.com/project/1678221047624706\">Remi</a>King/status/1</p>";

#[test]
fn issue_11_a_linkified_bare_url_is_a_loss_for_hugo_and_hexo() {
    let naive =
        "https://twitter.com/Jean[Remi](https://36kr.com/project/1678221047624706)King/status/1\n";
    for dialect in [Dialect::Goldmark, Dialect::Marked] {
        let check = verify(BARE_URL, naive, &options(dialect));
        assert!(
            check.differences.contains(&Difference::LinkLost(
                "https://36kr.com/project/1678221047624706".into()
            )),
            "{dialect:?}: {check:?}"
        );
    }
    assert!(verify(BARE_URL, naive, &options(Dialect::CommonMark)).is_clean());
}

#[test]
fn issue_11_kramdown_pipes_and_smart_quotes_are_losses() {
    let html = "<p>svn diff | colordiff | less -R</p>";
    let check = verify(
        html,
        "svn diff | colordiff | less -R\n",
        &options(Dialect::Kramdown),
    );
    assert!(!check.is_clean(), "{check:?}");
    let html = "<p>He said \"no\" -- twice</p>";
    let check = verify(html, "He said \"no\" -- twice\n", &options(Dialect::Marked));
    assert!(!check.is_clean(), "{check:?}");
}

#[test]
fn issue_11_what_the_writer_writes_for_each_target_verifies_clean() {
    let cases = [
        BARE_URL,
        "<p>svn diff | colordiff | less -R</p><p>do |admin| x</p>",
        "<p>He said \"don't\" -- use --verbose...</p>",
        "<table><thead><tr><th>Name</th><th>City</th></tr></thead></table>",
        "<p><a href=\"//\\\\SERVER\">\\\\SERVER</a></p>",
        "<p>{: .x} and $$x$$ and &amp;ouml;</p>",
    ];
    for site in [
        SiteSyntax::Hugo,
        SiteSyntax::Hexo,
        SiteSyntax::Jekyll,
        SiteSyntax::Zola,
    ] {
        let convert = Options {
            site,
            ..Options::default()
        };
        for html in cases {
            let markdown = convert_html(html, &convert).unwrap().markdown;
            let check = verify(html, &markdown, &VerifyOptions::from(&convert));
            assert!(check.is_clean(), "{site:?}: {html}\n{markdown}\n{check:?}");
        }
    }
}

#[test]
fn issue_11_kramdown_gets_nested_emphasis_as_tags_and_spaced_code_in_a_long_fence() {
    // kramdown shows `_b_` inside `*...*` as written, and a lone backtick
    // followed by a space as text (both seen in Jekyll builds).
    let jekyll = Options {
        site: SiteSyntax::Jekyll,
        ..Options::default()
    };
    let html = "<p>a <em>The <em>caption</em></em> b</p><p>before <code> </code> after</p>\
                <p><strong>A <strong>B</strong></strong> C</p>";
    let markdown = convert_html(html, &jekyll).unwrap().markdown;
    assert_eq!(
        markdown,
        "a *The <em>caption</em>* b\n\nbefore ``   `` after\n\n**A <strong>B</strong>** C\n"
    );
    let check = verify(html, &markdown, &VerifyOptions::from(&jekyll));
    assert!(check.is_clean(), "{check:?}");
    let plain = convert_html(html, &Options::default()).unwrap().markdown;
    // What CommonMark reads right, kramdown shows with its marks.
    let check = verify(html, &plain, &VerifyOptions::from(&jekyll));
    let found: String = check
        .differences
        .iter()
        .map(|d| match d {
            Difference::TextLost { found, .. } => found.as_str(),
            _ => "",
        })
        .collect();
    for shown in ["_caption_", "` `", "**B**"] {
        assert!(found.contains(shown), "{shown}: {check:?}");
    }
    assert_eq!(
        plain,
        "a *The _caption_* b\n\nbefore ` ` after\n\n**A **B**** C\n"
    );
}
