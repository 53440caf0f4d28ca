//! WordPress post bodies before autop: Gutenberg block comments, the
//! `<!--more-->` divider, shortcodes and bare embed URLs.
//!
//! WordPress stores what the editor wrote, not what it shows: block
//! comments (`<!-- wp:paragraph -->`) are editor markup and go; a body
//! with blocks is already HTML paragraphs, so it skips autop (as WordPress
//! does); `[caption]` becomes a `<figure>` with a `<figcaption>`,
//! `[gallery]` a figure of the attachments' images, `[embed]`, `[video]`,
//! `[audio]` and a bare video URL on its own line an embed element. A
//! shortcode we do not know stays as text and is reported. This module
//! returns HTML text for the converter; it never converts it itself.

use super::autop;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What a featured image or a gallery needs to know of attachments.
#[derive(Debug, Clone, Default)]
pub struct Attachments {
    /// Attachment id → its URL and its parent post's id.
    pub by_id: BTreeMap<String, Attachment>,
}

/// One attachment (`wp:post_type` attachment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub url: String,
    pub parent: String,
    pub title: String,
}

/// A WordPress body made HTML, with notes about what was not understood.
pub struct Prepared {
    pub html: String,
    pub diagnostics: Vec<(&'static str, String)>,
}

/// Turns a WordPress body into the HTML it shows. `post_id` finds the
/// attachments a `[gallery]` without ids shows.
pub fn prepare(body: &str, post_id: &str, attachments: &Attachments) -> Prepared {
    let body = body.replace("\r\n", "\n");
    let has_blocks = body.contains("<!-- wp:");
    let body = drop_block_comments(&body);
    let body = mark_more(&body);
    let mut diagnostics = Vec::new();
    let expanded = expand(&body, post_id, attachments, &mut diagnostics);
    let embedded = bare_embeds(&expanded);
    let html = if has_blocks {
        embedded
    } else {
        autop::autop(&embedded)
    };
    Prepared { html, diagnostics }
}

static BLOCK_COMMENT: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"<!--\s*/?wp:[^>]*?-->").expect("block comment pattern"));

static MORE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"<!--more(?:\s[^>]*?)?-->").expect("more pattern"));

fn drop_block_comments(body: &str) -> String {
    BLOCK_COMMENT.replace_all(body, "").into_owned()
}

/// `<!--more Read on-->` → `<!--more-->` on a line of its own, so it stays
/// a divider between blocks (autop and the converter keep it whole).
fn mark_more(body: &str) -> String {
    MORE.replace_all(body, "\n\n<!--more-->\n\n").into_owned()
}

/// A shortcode found in the text.
struct Shortcode<'a> {
    name: &'a str,
    /// The opening tag as written.
    open: &'a str,
    attrs: Vec<(String, String)>,
    content: Option<&'a str>,
    /// Bytes of the body it spans.
    len: usize,
}

static ATTR: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r#"([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"#,
    )
    .expect("attr pattern")
});

static CODE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?is)<pre\b.*?</pre\s*>|<code\b.*?</code\s*>").expect("code pattern")
});

/// Replaces every shortcode outside `<pre>` and `<code>` (whose brackets
/// are code: `a[i]`), left to right.
fn expand(
    body: &str,
    post_id: &str,
    attachments: &Attachments,
    diagnostics: &mut Vec<(&'static str, String)>,
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    for code in CODE.find_iter(body) {
        expand_text(
            &body[from..code.start()],
            post_id,
            attachments,
            diagnostics,
            &mut out,
        );
        out.push_str(code.as_str());
        from = code.end();
    }
    expand_text(&body[from..], post_id, attachments, diagnostics, &mut out);
    out
}

/// Shortcodes in text; `[[x]]` is a literal `[x]`. An unknown shortcode's
/// tag is copied as it is and its content read on, so nesting needs no
/// recursion.
fn expand_text(
    text: &str,
    post_id: &str,
    attachments: &Attachments,
    diagnostics: &mut Vec<(&'static str, String)>,
    out: &mut String,
) {
    let mut rest = text;
    while let Some(at) = rest.find('[') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(end) = rest.strip_prefix("[[").and_then(|r| r.find("]]")) {
            out.push_str(&rest[1..end + 3]);
            rest = &rest[end + 4..];
            continue;
        }
        match parse(rest) {
            Some(sc) if KNOWN.contains(&sc.name) => {
                out.push_str(&render(&sc, post_id, attachments));
                rest = &rest[sc.len..];
            }
            Some(sc) => {
                if sc.name.len() > 1 {
                    diagnostics.push(("unknown-shortcode", format!("[{}] kept as text", sc.name)));
                }
                out.push_str(sc.open);
                rest = &rest[sc.open.len()..];
            }
            None => {
                out.push('[');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// A shortcode at the start of `text` (which starts with `[`).
fn parse(text: &str) -> Option<Shortcode<'_>> {
    let inner = &text[1..];
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(inner.len());
    if name_len == 0 || !inner[..name_len].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = &inner[..name_len];
    let after = &inner[name_len..];
    if !after.starts_with([' ', ']', '/', '\t', '\n']) {
        return None;
    }
    let close = after.find(']')?;
    let raw_attrs = &after[..close];
    if raw_attrs.contains('[') || raw_attrs.len() > 2000 {
        return None;
    }
    let self_closed = raw_attrs.trim_end().ends_with('/');
    let attrs = attributes(raw_attrs.trim_end().trim_end_matches('/'));
    let open_len = 1 + name_len + close + 1;
    let end_tag = format!("[/{name}]");
    let (content, len) = match text[open_len..].find(&end_tag) {
        Some(at) if !self_closed => (
            Some(&text[open_len..open_len + at]),
            open_len + at + end_tag.len(),
        ),
        _ => (None, open_len),
    };
    Some(Shortcode {
        name,
        open: &text[..open_len],
        attrs,
        content,
        len,
    })
}

fn attributes(raw: &str) -> Vec<(String, String)> {
    ATTR.captures_iter(raw)
        .filter_map(|c| {
            let (k, v) = [(1, 2), (3, 4), (5, 6)]
                .into_iter()
                .find_map(|(k, v)| Some((c.get(k)?, c.get(v)?)))?;
            Some((k.as_str().to_ascii_lowercase(), v.as_str().to_owned()))
        })
        .collect()
}

fn attr<'a>(sc: &'a Shortcode<'_>, name: &str) -> Option<&'a str> {
    sc.attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// The shortcodes we turn into HTML.
const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "video",
    "audio",
];

fn render(sc: &Shortcode<'_>, post_id: &str, attachments: &Attachments) -> String {
    match sc.name {
        "caption" | "wp_caption" => caption(sc),
        "gallery" => gallery(sc, post_id, attachments),
        "embed" => sc
            .content
            .map(str::trim)
            .or_else(|| attr(sc, "src"))
            .map_or_else(String::new, embed),
        _ => media(sc),
    }
}

/// `[caption]<a><img></a> Text[/caption]` → a figure with its caption.
fn caption(sc: &Shortcode<'_>) -> String {
    let content = sc.content.unwrap_or("").trim();
    let (media, text) = match content.rfind('>') {
        Some(at) if content.starts_with('<') => (&content[..=at], content[at + 1..].trim()),
        _ => ("", content),
    };
    let text = if text.is_empty() {
        attr(sc, "caption").unwrap_or("")
    } else {
        text
    };
    let caption = if text.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{text}</figcaption>")
    };
    format!("\n\n<figure>{media}{caption}</figure>\n\n")
}

/// `[gallery ids="1,2"]` (or the post's own attachments) → a figure of
/// images; ids with no attachment are left out.
fn gallery(sc: &Shortcode<'_>, post_id: &str, attachments: &Attachments) -> String {
    let urls: Vec<&str> = match attr(sc, "ids").or_else(|| attr(sc, "include")) {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| attachments.by_id.get(id.trim()))
            .map(|a| a.url.as_str())
            .collect(),
        None => attachments
            .by_id
            .values()
            .filter(|a| a.parent == post_id)
            .map(|a| a.url.as_str())
            .collect(),
    };
    if urls.is_empty() {
        return String::new();
    }
    let images: String = urls
        .iter()
        .map(|u| format!("<img src=\"{}\" alt=\"\">", escape_attr(u)))
        .collect::<Vec<_>>()
        .join("\n");
    format!("\n\n<figure class=\"gallery\">{images}</figure>\n\n")
}

/// `[video src=…]`, `[audio mp3=…]`: the element with its first source.
fn media(sc: &Shortcode<'_>) -> String {
    let keys = [
        "src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a",
    ];
    let Some(src) = keys.iter().find_map(|k| attr(sc, k)) else {
        return String::new();
    };
    format!(
        "\n\n<{0} src=\"{1}\" controls></{0}>\n\n",
        sc.name,
        escape_attr(src)
    )
}

/// An embed for a URL: a video file plays in `<video>`, a video page in an
/// `<iframe>` of its provider's player, anything else is a link.
fn embed(url: &str) -> String {
    let url = url.trim();
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return String::new();
    }
    let lower = url.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or("");
    let element = if [".mp4", ".webm", ".ogv", ".m4v", ".mov"]
        .iter()
        .any(|e| path.ends_with(e))
    {
        format!("<video src=\"{}\" controls></video>", escape_attr(url))
    } else if let Some(player) = player_url(url) {
        format!(
            "<iframe src=\"{}\" title=\"{}\"></iframe>",
            escape_attr(&player),
            escape_attr(url)
        )
    } else {
        let u = escape_attr(url);
        format!("<p><a href=\"{u}\">{u}</a></p>")
    };
    format!("\n\n{element}\n\n")
}

/// The player URL of a YouTube or Vimeo page.
fn player_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.trim_start_matches("www.");
    match host {
        "youtube.com" | "m.youtube.com" => {
            let id = parsed
                .query_pairs()
                .find(|(k, _)| k == "v")
                .map(|(_, v)| v.into_owned())?;
            Some(format!("https://www.youtube.com/embed/{id}"))
        }
        "youtu.be" => {
            let id = parsed.path_segments()?.next()?.to_owned();
            (!id.is_empty()).then(|| format!("https://www.youtube.com/embed/{id}"))
        }
        "vimeo.com" => {
            let id = parsed.path_segments()?.find(|s| s.parse::<u64>().is_ok())?;
            Some(format!("https://player.vimeo.com/video/{id}"))
        }
        _ => None,
    }
}

/// WordPress embeds a video URL alone on its line (outside tags).
fn bare_embeds(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_pre = false;
    for line in body.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        if lower.contains("<pre") {
            in_pre = true;
        }
        let trimmed = line.trim();
        let is_video = !in_pre
            && (trimmed.starts_with("http://") || trimmed.starts_with("https://"))
            && !trimmed.contains(char::is_whitespace)
            && (player_url(trimmed).is_some() || embed(trimmed).contains("<video"));
        if is_video {
            out.push_str(&embed(trimmed));
        } else {
            out.push_str(line);
        }
        if lower.contains("</pre") {
            in_pre = false;
        }
    }
    out
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Prepared {
        let mut attachments = Attachments::default();
        for (id, url) in [("7", "https://e.org/a.jpg"), ("8", "https://e.org/b.jpg")] {
            attachments.by_id.insert(
                id.into(),
                Attachment {
                    url: url.into(),
                    parent: "1".into(),
                    title: String::new(),
                },
            );
        }
        prepare(body, "1", &attachments)
    }

    #[test]
    fn caption_becomes_a_figure() {
        let p = run(
            r#"[caption id="attachment_7" align="alignnone" width="300"]<img src="a.jpg" alt="A" /> A cat[/caption]"#,
        );
        assert_eq!(
            p.html.trim(),
            "<figure>\n<img src=\"a.jpg\" alt=\"A\" />\n<figcaption>\nA cat\n</figcaption>\n</figure>"
        );
    }

    #[test]
    fn gallery_with_and_without_ids() {
        assert!(run("[gallery ids=\"8\"]").html.contains("b.jpg"));
        let all = run("[gallery]").html;
        assert!(all.contains("a.jpg") && all.contains("b.jpg"), "{all}");
    }

    #[test]
    fn unknown_shortcode_is_text_and_reported() {
        let p = run("Hello [contact-form to=\"x\"] there");
        assert!(p.html.contains("[contact-form to=\"x\"]"), "{}", p.html);
        assert_eq!(p.diagnostics[0].0, "unknown-shortcode");
        assert_eq!(run("[[gallery]]").html.trim(), "<p>[gallery]</p>");
        assert!(run("a [1] b [ c [x] d").diagnostics.is_empty());
        // Its text stays byte for byte; known shortcodes inside still work.
        let p = run("[column  width='1/2' ]x [caption]<img src=\"a.jpg\"> C[/caption][/column]");
        assert!(p.html.contains("[column  width='1/2' ]x"), "{}", p.html);
        assert!(
            p.html.contains("<figcaption>\nC\n</figcaption>"),
            "{}",
            p.html
        );
        assert!(p.html.contains("[/column]"), "{}", p.html);
        // Brackets in code are code.
        let p = run("<pre>a[i] = [b c]</pre>\n\n<code>[gallery]</code>");
        assert!(p.diagnostics.is_empty());
        assert!(p.html.contains("<code>[gallery]</code>"), "{}", p.html);
    }

    #[test]
    fn embeds() {
        let p = run("Look:\n\nhttps://www.youtube.com/watch?v=abc\n\nbye");
        assert!(
            p.html
                .contains("<iframe src=\"https://www.youtube.com/embed/abc\""),
            "{}",
            p.html
        );
        let p = run("[embed]https://e.org/v.mp4[/embed]");
        assert!(p.html.contains("<video src=\"https://e.org/v.mp4\""));
        let p = run("<pre>\nhttps://youtu.be/x\n</pre>");
        assert!(!p.html.contains("iframe"));
    }

    #[test]
    fn blocks_and_more() {
        let p = run(
            "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n<!-- wp:paragraph -->\n<p>Two</p>\n<!-- /wp:paragraph -->",
        );
        assert!(!p.html.contains("wp:"), "{}", p.html);
        assert!(!p.html.contains("<br"), "{}", p.html);
        assert!(p.html.contains("\n<!--more-->\n"), "{}", p.html);
    }
}
