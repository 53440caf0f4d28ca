//! Reading the video shortcodes the converter wrote back as the embeds
//! they stand for, before the Markdown is rendered.
//!
//! `{{< youtube ID >}}` (Hugo) and `{% youtube ID %}` (Hexo with
//! hexo-tag-embed) become the player link the source side reads an embed
//! as (`media::embed_reading`), so a kept embed is not lost content and a
//! shortcode naming another video is. Text in code (fenced blocks, code
//! spans) is left alone: there a shortcode is what the post shows. This
//! module only rewrites the text it is given.

use crate::lower::media;
use crate::md::ast::VideoHost;
use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

static VIDEO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{< (youtube|vimeo) ([\w-]+) >\}\}|\{% (youtube|vimeo) ([\w-]+) %\}")
        .expect("valid regex")
});

/// The Markdown with each video shortcode outside code read as its link.
pub(super) fn shortcodes_as_links(markdown: &str) -> Cow<'_, str> {
    if !VIDEO.is_match(markdown) {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<(char, usize)> = None;
    for line in markdown.split_inclusive('\n') {
        fence = match (fence, fence_of(line)) {
            (None, Some(open)) => Some(open),
            (Some((c, n)), Some((d, m))) if c == d && m >= n => None,
            (open, _) => open,
        };
        if fence.is_some() || fence_of(line).is_some() {
            out.push_str(line);
        } else {
            out.push_str(&outside_code_spans(line));
        }
    }
    out.into()
}

/// A fence line's character and length (three or more backticks or tildes,
/// indented at most three spaces).
fn fence_of(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// Replaces the shortcodes of a line that are not inside a code span (an
/// even number of backticks before them).
fn outside_code_spans(line: &str) -> Cow<'_, str> {
    VIDEO.replace_all(line, |c: &Captures<'_>| {
        let whole = c.get(0).map_or("", |m| m.as_str());
        let before = c.get(0).map_or(0, |m| m.start());
        if line[..before].matches('`').count() % 2 == 1 {
            return whole.to_owned();
        }
        let name = c.get(1).or_else(|| c.get(3)).map_or("", |m| m.as_str());
        let id = c.get(2).or_else(|| c.get(4)).map_or("", |m| m.as_str());
        let host = if name == "vimeo" {
            VideoHost::Vimeo
        } else {
            VideoHost::YouTube
        };
        format!(
            "<a href=\"{}\">{}</a>",
            host.player_url(id),
            media::shortcode_label(host, id)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_outside_code_become_links() {
        let md = "{{< youtube abc >}}\n\n```\n{% youtube abc %}\n```\n\n`{{< vimeo 1 >}}` {% vimeo 2 %}\n";
        assert_eq!(
            shortcodes_as_links(md),
            "<a href=\"https://www.youtube.com/embed/abc\">YouTube video abc</a>\n\n```\n{% youtube abc %}\n```\n\n`{{< vimeo 1 >}}` <a href=\"https://player.vimeo.com/video/2\">Vimeo video 2</a>\n"
        );
    }
}
