//! The HTML report escapes hostile run data, loads nothing from outside and
//! only runs its own script.

mod report_fixture;

use std::io::Write;
use std::process::{Command, Stdio};

use mdmigrate::report::page::to_html;

fn page() -> String {
    to_html(&report_fixture::hostile_run())
}

/// One start tag: its name and its attributes, values unescaped-as-written.
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// Start tags of the page, outside `<script>`/`<style>` bodies. Good enough
/// for our own markup, where every value is double-quoted and escaped.
fn tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let inside = &rest[..end];
        rest = &rest[end + 1..];
        if inside.starts_with('/') || inside.starts_with('!') {
            continue;
        }
        let tag = parse_tag(inside);
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}>", tag.name);
            rest = &rest[rest.find(&close).expect("unclosed raw text")..];
        }
        tags.push(tag);
    }
    tags
}

fn parse_tag(inside: &str) -> Tag {
    let (name, mut rest) = inside.split_once(' ').unwrap_or((inside, ""));
    let mut attributes = Vec::new();
    while let Some(eq) = rest.find("=\"") {
        let attribute = rest[..eq].trim().to_owned();
        let after = &rest[eq + 2..];
        let close = after.find('"').expect("unterminated attribute");
        attributes.push((attribute, after[..close].to_owned()));
        rest = &after[close + 1..];
    }
    Tag {
        name: name.to_owned(),
        attributes,
    }
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let html = page();
    for raw in [
        "<script>alert",
        "</textarea>",
        "<img",
        "<iframe",
        "<b>beta",
        "\"quotes\"",
        "'apos'",
    ] {
        assert!(!html.contains(raw), "page contains raw {raw:?}");
    }
    assert!(html.contains("posts/&lt;script&gt;alert(1)&lt;/script&gt;.html"));
    assert!(html.contains("posts/&quot;quotes&quot; &amp; &#39;apos&#39;.html"));
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(
        html.contains(">中文 空格.html\n"),
        "clean names stay readable"
    );
    assert_eq!(html.matches("<script").count(), 1, "only our own script");
    assert_eq!(html.matches("</script>").count(), 1);
}

#[test]
fn no_inline_handlers_no_remote_loads_only_in_page_links() {
    let html = page();
    let tags = tags(&html);
    assert!(tags.len() > 100, "parsed {} tags", tags.len());
    for tag in &tags {
        assert!(
            !["img", "iframe", "link", "object", "embed", "base", "form"]
                .contains(&tag.name.as_str()),
            "unexpected <{}>",
            tag.name
        );
        for (name, value) in &tag.attributes {
            assert!(!name.starts_with("on"), "inline handler {name}={value:?}");
            assert!(
                !["src", "srcset", "action", "style"].contains(&name.as_str()),
                "{name}"
            );
            if name == "href" {
                assert!(value.starts_with("#post-"), "href {value:?}");
            }
        }
    }
}

#[test]
fn csp_forbids_remote_loads_and_hashes_match_our_script_and_style() {
    let html = page();
    let csp = html
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("CSP meta");
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("http"),
        "{csp}"
    );
    assert!(html.find("Content-Security-Policy") < html.find("<style>"));
    for (open, close, directive) in [
        ("<script>", "</script>", "script-src"),
        ("<style>", "</style>", "style-src"),
    ] {
        let body = between(&html, open, close);
        let expected = format!("{directive} 'sha256-{}'", sha256_base64(body));
        assert!(
            csp.contains(&expected),
            "update the hash in page.rs: want {expected:?} in {csp:?}"
        );
    }
}

#[test]
fn page_shows_totals_and_a_row_and_section_per_problem_post() {
    let html = page();
    for total in [
        "<dt>Posts</dt><dd>6</dd>",
        "<dt>failed</dt><dd>1</dd>",
        "<dt>converted</dt><dd>2</dd>",
        "<dt>Rules fired</dt><dd>8",
        "<dt>Time</dt><dd>1.23 s</dd>",
    ] {
        assert!(html.contains(total), "missing {total}");
    }
    assert_eq!(html.matches("<tr class=\"post-row\"").count(), 4);
    assert_eq!(html.matches("<details class=\"post\"").count(), 4);
    assert!(html.contains("<th data-sort=\"warnings\""));
    // Diagnostics are counted by level: the info is not a warning.
    assert!(html.contains("<dt>warning diagnostics</dt><dd>3</dd>"));
    assert!(html.contains("<dt>info diagnostics</dt><dd>1</dd>"));
    // Clean posts are names in their folder, not rows.
    assert!(html.contains("<details class=\"folder\" data-folder=\"posts\">"));
    assert!(html.contains("<pre class=\"names\">中文 空格.html\nalready.md\n</pre>"));
    // A problem's reasons are in plain view in its row.
    assert!(
        html.contains("<td class=\"reasons\"><ul><li><span class=\"bad\">posts/broken.html:3:")
    );
    assert!(html.contains("<select id=\"status-filter\">"));
    assert!(html.contains("<span class=\"add\">+Hello\n</span>"));
    assert!(html.contains("<span class=\"del\">-&lt;p&gt;Hello&lt;/p&gt;\n</span>"));
    assert!(
        html.contains("<b class=\"cr\">␍</b>"),
        "CR shown in the CRLF diff"
    );
    assert!(html.contains("<span class=\"level other\">&quot;&gt;&lt;script&gt;"));
    assert_eq!(html, page(), "deterministic");
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap() + open.len();
    let end = start + text[start..].find(close).unwrap();
    &text[start..end]
}

/// SHA-256 by coreutils' `sha256sum`, as CSP wants it: base64 of the digest.
fn sha256_base64(text: &str) -> String {
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sha256sum");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let hex = String::from_utf8(output.stdout).unwrap();
    let bytes: Vec<u8> = (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    base64(&bytes)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
