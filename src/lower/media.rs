//! Images, embedded media and captions.
//!
//! Picks the real source of lazy-loaded images, reads embeds (YouTube and
//! Vimeo players become video shortcodes where the target has them, others
//! a link that says what it is) and lets a caption stand in for a missing
//! alt text. Never fetches anything.

use crate::html::Node;
use crate::md::ast::{Block, Embed, Inline, VideoHost};

/// Attributes that lazy-loading scripts read the real source from, in order.
const LAZY_ATTRS: &[&str] = &[
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-actualsrc",
];

/// The image a reader would see: `src` unless it is missing or a
/// placeholder, in which case the lazy-loading attributes, then the largest
/// `srcset` candidate, win.
pub fn image_source(img: &Node) -> String {
    match img.attrs() {
        Some(attrs) => image_source_by(|name| attrs.get(name)),
        None => String::new(),
    }
}

/// [`image_source`] of an image whose attributes `attr` gives by name.
pub fn image_source_by<'a>(attr: impl Fn(&str) -> Option<&'a str>) -> String {
    let src = attr("src").map(str::trim).unwrap_or("");
    if !src.is_empty() && !is_placeholder(src) {
        return src.to_owned();
    }
    let lazy = LAZY_ATTRS
        .iter()
        .filter_map(|name| attr(name).map(str::trim))
        .find(|v| !v.is_empty());
    if let Some(v) = lazy {
        return v.to_owned();
    }
    let from_set = attr("data-srcset")
        .or_else(|| attr("srcset"))
        .and_then(largest_candidate);
    from_set.unwrap_or_else(|| src.to_owned())
}

fn is_placeholder(src: &str) -> bool {
    // ASCII case folded as it is read: every image asks, and most URLs
    // are long CDN paths that hold none of the names.
    const GIFS: [&[u8]; 5] = [b"blank", b"spacer", b"loading", b"lazy", b"grey"];
    let bytes = src.as_bytes();
    let at = |i: usize, word: &[u8]| {
        bytes
            .get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    if at(0, b"data:") {
        return true;
    }
    // Only a `p` or a `.` can start a name: the bytes between are
    // skipped by the memchr crate.
    memchr::memchr3_iter(b'p', b'P', b'.', bytes).any(|i| match bytes[i].to_ascii_lowercase() {
        b'p' => at(i, b"placeholder"),
        b'.' => at(i, b".gif") && GIFS.iter().any(|w| i >= w.len() && at(i - w.len(), w)),
        _ => false,
    })
}

/// The candidate with the largest width (`800w`) or density (`2x`).
fn largest_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in srcset.split(',') {
        let mut parts = candidate.split_ascii_whitespace();
        let Some(url) = parts.next() else { continue };
        let size = parts
            .next()
            .and_then(|d| {
                // The number before the unit letter (which may be any char).
                let mut number = d.chars();
                number.next_back();
                number.as_str().parse::<f64>().ok()
            })
            .unwrap_or(1.0);
        if best.is_none_or(|(s, _)| size > s) {
            best = Some((size, url));
        }
    }
    best.map(|(_, url)| url.to_owned())
}

/// The image node for an `<img>`, or `None` when it has no source at all.
pub fn image(img: &Node) -> Option<Inline> {
    let src = image_source(img);
    if src.is_empty() {
        return None;
    }
    Some(Inline::Image {
        src,
        alt: img.attr("alt").unwrap_or_default().to_owned(),
        title: img
            .attr("title")
            .map(super::whitespace::collapse_all)
            .filter(|t| !t.is_empty()),
    })
}

/// What embeds become (`--embeds`, `embeds` in mdmigrate.toml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Embeds {
    /// YouTube and Vimeo become the target's shortcode where it has one;
    /// everything else a link.
    #[default]
    Shortcode,
    /// A link that says what it is.
    Link,
    /// The element kept as HTML.
    Html,
}

/// The source URL of an embed (`iframe`, `video`, `audio`, `embed`,
/// `object`): its own `src` or `data`, a `<source>` child, or what old
/// Flash embeds nest (`<param name="movie">`, `<embed src>`, `<object data>`).
pub fn embed_source(node: &Node) -> Option<String> {
    let own = node.attr("src").or_else(|| node.attr("data"));
    if let Some(src) = own.filter(|s| !s.trim().is_empty()) {
        return Some(src.trim().to_owned());
    }
    node.child_nodes().find_map(|c| {
        let url = match c.tag() {
            "source" | "embed" => c.attr("src"),
            // The "twice-cooked" embed: an `<object data>` for other browsers.
            "object" => c.attr("data"),
            "param" if c.attr("name").is_some_and(is_movie_param) => c.attr("value"),
            _ => None,
        };
        url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty())
    })
}

fn is_movie_param(name: &str) -> bool {
    ["movie", "src", "url"]
        .iter()
        .any(|n| name.trim().eq_ignore_ascii_case(n))
}

/// The embed node for an element, or `None` when it has no URL at all.
/// `shortcode` asks for the target's video shortcode (known videos only).
pub fn embed(node: &Node, shortcode: bool) -> Option<Embed> {
    let url = embed_source(node)?;
    let video = video_of(&url);
    let title = node
        .attr("title")
        .map(super::whitespace::collapse_all)
        .filter(|t| !t.is_empty());
    let label = title.unwrap_or_else(|| describe(node.tag(), &url, video.as_ref()));
    Some(Embed {
        shortcode: shortcode && video.is_some(),
        url,
        label,
        video,
    })
}

/// The link a reader sees for an embed, as verification reads both sides:
/// a shortcode stands for its player URL and "Provider video ID".
pub fn embed_reading(embed: &Embed) -> (String, String) {
    match &embed.video {
        Some((host, id)) if embed.shortcode => (host.player_url(id), shortcode_label(*host, id)),
        _ => (embed.url.clone(), embed.label.clone()),
    }
}

/// What verification reads a written video shortcode as.
pub fn shortcode_label(host: VideoHost, id: &str) -> String {
    format!("{} video {id}", host.name())
}

/// A link text for an embed without a title: the provider and the video,
/// or the host and path (never the element's name alone).
fn describe(tag: &str, url: &str, video: Option<&(VideoHost, String)>) -> String {
    if let Some((host, id)) = video {
        return shortcode_label(*host, id);
    }
    let parsed = absolute_url(url);
    let place = match &parsed {
        Ok(u) if u.host_str().is_some() => {
            let host = u.host_str().unwrap_or_default();
            let host = host.strip_prefix("www.").unwrap_or(host);
            if let Some(id) = bilibili_id(u) {
                return format!("Bilibili video {id}");
            }
            format!("{host}{}", u.path().trim_end_matches('/'))
        }
        _ => url.split(['?', '#']).next().unwrap_or(url).to_owned(),
    };
    let kind = match tag {
        "video" => "Video",
        "audio" => "Audio",
        _ => "Embedded content",
    };
    format!("{kind}: {place}")
}

/// A YouTube or Vimeo player (or watch page, or old Flash player) URL's video.
fn video_of(url: &str) -> Option<(VideoHost, String)> {
    let parsed = absolute_url(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut segments = parsed.path_segments()?.filter(|s| !s.is_empty());
    let first = segments.next();
    let second = segments.next();
    let (video, id) = match (host, first, second) {
        (
            "youtube.com" | "youtube-nocookie.com" | "m.youtube.com",
            Some("embed" | "v"),
            Some(id),
        ) => (VideoHost::YouTube, id.to_owned()),
        ("youtube.com" | "m.youtube.com", Some("watch"), _) => (
            VideoHost::YouTube,
            parsed
                .query_pairs()
                .find(|(k, _)| k == "v")
                .map(|(_, v)| v.into_owned())?,
        ),
        ("youtu.be", Some(id), _) => (VideoHost::YouTube, id.to_owned()),
        ("player.vimeo.com", Some("video"), Some(id)) => (VideoHost::Vimeo, id.to_owned()),
        ("vimeo.com", Some(id), _) => (VideoHost::Vimeo, id.to_owned()),
        _ => return None,
    };
    // Old Flash URLs glue options on with `&` (`/v/ID&hl=en`).
    let id: String = id.split('&').next().unwrap_or_default().to_owned();
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let valid = valid && (video == VideoHost::YouTube || id.chars().all(|c| c.is_ascii_digit()));
    valid.then_some((video, id))
}

/// The URL parsed, a protocol-relative one (`//host/path`) as HTTPS.
fn absolute_url(url: &str) -> Result<url::Url, url::ParseError> {
    match url.strip_prefix("//") {
        Some(rest) => url::Url::parse(&format!("https://{rest}")),
        None => url::Url::parse(url),
    }
}

/// A Bilibili player's video (`bvid`, else `aid`).
fn bilibili_id(url: &url::Url) -> Option<String> {
    let host = url.host_str()?;
    if !host.ends_with("bilibili.com") {
        return None;
    }
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    get("bvid")
        .or_else(|| get("aid").map(|a| format!("av{a}")))
        .filter(|id| !id.is_empty())
}

/// True for a caption paragraph as lowering writes it (one italic run).
pub fn is_caption(block: &Block) -> bool {
    matches!(block, Block::Paragraph(p) if p.len() == 1 && matches!(p[0], Inline::Emph(_)))
}

/// The plain text of a caption paragraph.
pub fn caption_text(block: &Block) -> String {
    let mut out = String::new();
    if let Block::Paragraph(inlines) = block {
        plain_text(inlines, &mut out);
    }
    crate::lower::whitespace::collapse_all(&out)
}

fn plain_text(inlines: &[Inline], out: &mut String) {
    let mut stack: Vec<&Inline> = inlines.iter().rev().collect();
    while let Some(node) = stack.pop() {
        match node {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Image { alt, .. } => out.push_str(alt),
            other => {
                if let Some(children) = other.children() {
                    stack.extend(children.iter().rev());
                }
            }
        }
    }
}

/// Gives the images of a paragraph that have no alt text the caption's text.
pub fn fill_missing_alt(block: &mut Block, caption: &str) {
    let Block::Paragraph(inlines) = block else {
        return;
    };
    let mut stack: Vec<&mut Inline> = inlines.iter_mut().collect();
    while let Some(node) = stack.pop() {
        match node {
            Inline::Image { alt, .. } if alt.trim().is_empty() => *alt = caption.to_owned(),
            other => {
                if let Some(children) = other.children_mut() {
                    stack.extend(children.iter_mut());
                }
            }
        }
    }
}

/// True when the paragraph holds images and nothing else visible.
pub fn is_image_paragraph(block: &Block) -> bool {
    let Block::Paragraph(inlines) = block else {
        return false;
    };
    let mut seen = false;
    for node in inlines {
        match node {
            Inline::Image { .. } => seen = true,
            Inline::Link { children, .. }
                if children.iter().all(|c| matches!(c, Inline::Image { .. })) =>
            {
                seen = true
            }
            Inline::Text(t) if t.trim().is_empty() => {}
            Inline::HardBreak => {}
            _ => return false,
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placeholder test as first written: lower-case, then search.
    fn placeholder_by_search(src: &str) -> bool {
        let lower = src.to_ascii_lowercase();
        lower.starts_with("data:")
            || [
                "placeholder",
                "blank.gif",
                "spacer.gif",
                "loading.gif",
                "lazy.gif",
                "grey.gif",
            ]
            .iter()
            .any(|p| lower.contains(p))
    }

    #[test]
    fn placeholders_are_found_as_a_lowercased_search_finds_them() {
        let srcs = [
            "https://img.36krcdn.com/20200101/v2_abc_img_000.jpg",
            "DATA:image/gif;base64,R0lGOD",
            "/wp-content/plugins/lazy-load/images/1x1.trans.gif",
            "/img/Blank.GIF",
            "/img/blank.gi",
            "spacer.gif?x=1",
            "https://x.test/Loading.gif",
            "https://x.test/PlaceHolder.png",
            "https://x.test/placehold.png",
            "lazy.gif",
            "grey.gif",
            "agrey.gif",
            ".gif",
            "greyx.gif",
            "",
            "ф.gif",
            "https://x.test/ｂlank.gif",
        ];
        for src in srcs {
            assert_eq!(is_placeholder(src), placeholder_by_search(src), "{src:?}");
        }
    }

    #[test]
    fn video_players_are_known_by_every_url_shape() {
        let yt = |id: &str| Some((VideoHost::YouTube, id.to_owned()));
        assert_eq!(
            video_of("https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0"),
            yt("dQw4w9WgXcQ")
        );
        assert_eq!(
            video_of("//www.youtube-nocookie.com/embed/abc_-1"),
            yt("abc_-1")
        );
        assert_eq!(
            video_of("http://www.youtube.com/v/oHg5SJYRHA0&hl=en"),
            yt("oHg5SJYRHA0")
        );
        assert_eq!(video_of("https://youtube.com/watch?v=xyz&t=3"), yt("xyz"));
        assert_eq!(video_of("https://youtu.be/xyz"), yt("xyz"));
        assert_eq!(
            video_of("https://player.vimeo.com/video/76979871?h=1"),
            Some((VideoHost::Vimeo, "76979871".to_owned()))
        );
        assert_eq!(video_of("https://vimeo.com/channels/staffpicks"), None);
        assert_eq!(video_of("https://www.youtube.com/embed/a%22b"), None);
        assert_eq!(video_of("/media/clip.mp4"), None);
    }

    #[test]
    fn links_say_what_they_are() {
        assert_eq!(
            describe(
                "iframe",
                "//player.bilibili.com/player.html?aid=1&bvid=BV1x",
                None
            ),
            "Bilibili video BV1x"
        );
        assert_eq!(
            describe(
                "iframe",
                "//player.bilibili.com/player.html?aid=170001",
                None
            ),
            "Bilibili video av170001"
        );
        assert_eq!(
            describe("iframe", "https://www.example.org/w/1/?q=2", None),
            "Embedded content: example.org/w/1"
        );
        assert_eq!(describe("audio", "/a/b.mp3", None), "Audio: /a/b.mp3");
    }
}
