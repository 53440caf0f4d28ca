//! Where an item's post goes: a path template with placeholders, one for
//! posts and one for pages.
//!
//! Placeholders: `{slug}`, `{type}` (`posts` or `pages`), `{year}`,
//! `{month}`, `{day}`, `{date}` (`YYYY-MM-DD`). Dates are the item's own,
//! in the offset it was written with; an undated item gets `undated`
//! (`00` for month and day). Slugs are made safe for a file name (letters
//! and digits of any script, `-` and `_`), so no item can name a path
//! outside the output folder. A template is checked once: relative, no
//! `..`, ending in `.md`, no unknown placeholder.

use super::{ExportItem, ItemKind};
use crate::frontmatter::{FmDate, Target};

/// The templates for posts and pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub posts: String,
    pub pages: String,
}

const PLACEHOLDERS: &[&str] = &["slug", "type", "year", "month", "day", "date"];

impl Layout {
    /// The layout for a target, with `template` (from `--layout`) over its
    /// posts (and its pages too when it names `{type}`).
    pub fn new(template: Option<&str>, target: Target) -> Result<Layout, String> {
        let mut layout = Layout::default_for(target);
        if let Some(t) = template {
            check(t)?;
            if t.contains("{type}") {
                layout.pages = t.to_owned();
            }
            layout.posts = t.to_owned();
        }
        Ok(layout)
    }

    /// Each generator's own convention.
    pub fn default_for(target: Target) -> Layout {
        let (posts, pages) = match target {
            Target::Hugo | Target::Zola => ("posts/{slug}.md", "{slug}.md"),
            Target::Jekyll => ("_posts/{date}-{slug}.md", "{slug}.md"),
            Target::Hexo => ("_posts/{slug}.md", "{slug}/index.md"),
            Target::Plain => ("{type}/{slug}.md", "{type}/{slug}.md"),
        };
        Layout {
            posts: posts.into(),
            pages: pages.into(),
        }
    }

    /// The relative path of an item with this slug.
    pub fn path(&self, item: &ExportItem, slug: &str) -> String {
        let template = match item.kind {
            ItemKind::Post => &self.posts,
            ItemKind::Page => &self.pages,
        };
        let (year, month, day) = ymd(item.date.as_ref());
        let date = if year == "undated" {
            year.clone()
        } else {
            format!("{year}-{month}-{day}")
        };
        let kind = match item.kind {
            ItemKind::Post => "posts",
            ItemKind::Page => "pages",
        };
        template
            .replace("{slug}", slug)
            .replace("{type}", kind)
            .replace("{year}", &year)
            .replace("{month}", &month)
            .replace("{day}", &day)
            .replace("{date}", &date)
    }
}

/// A template must stay inside the output folder and name a Markdown file.
fn check(template: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("bad --layout {template:?}: {why}"));
    if template.starts_with('/') || template.contains('\\') {
        return bad("it must be a relative path with / separators");
    }
    if template
        .split('/')
        .any(|p| p == ".." || p == "." || p.is_empty())
    {
        return bad("no empty, . or .. parts");
    }
    if !template.ends_with(".md") {
        return bad("it must end in .md");
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return bad("a { is not closed");
        };
        let name = &rest[open + 1..open + close];
        if !PLACEHOLDERS.contains(&name) {
            return bad(&format!(
                "unknown placeholder {{{name}}} (known: {})",
                PLACEHOLDERS.join(", ")
            ));
        }
        rest = &rest[open + close + 1..];
    }
    Ok(())
}

fn ymd(date: Option<&FmDate>) -> (String, String, String) {
    match date {
        Some(FmDate::At { timestamp, offset }) => {
            let dt = timestamp.to_zoned_datetime(jiff::tz::TimeZone::fixed(*offset));
            (
                format!("{:04}", dt.year()),
                format!("{:02}", dt.month()),
                format!("{:02}", dt.day()),
            )
        }
        _ => ("undated".into(), "00".into(), "00".into()),
    }
}

/// A file-name-safe slug: the item's own, else one from its title, else
/// `untitled`; never a leading `_` (Hugo's `_index`), never a reserved
/// name (which gets a `_`).
pub fn slug(item: &ExportItem) -> String {
    let from = |s: &str| {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() || c == '_' {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        let out: String = out.trim_matches('-').chars().take(100).collect();
        out.trim_end_matches('-').to_owned()
    };
    let slug = [item.slug.as_deref(), item.title.as_deref()]
        .into_iter()
        .flatten()
        .map(from)
        .map(|s| s.trim_start_matches('_').to_owned())
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "untitled".into());
    if RESERVED.contains(&slug.as_str()) {
        format!("{slug}_")
    } else {
        slug
    }
}

/// Names a site generator (`index`: a bundle's page) or Windows
/// (`con`, `nul`...) gives a meaning of its own.
const RESERVED: &[&str] = &[
    "index", "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn item(slug: Option<&str>, title: Option<&str>) -> ExportItem {
        ExportItem {
            kind: ItemKind::Post,
            line: 1,
            title: title.map(str::to_owned),
            date: crate::frontmatter::parse_date("2021-03-04 05:06:07", jiff::tz::Offset::UTC),
            updated: None,
            author: None,
            categories: vec![],
            tags: vec![],
            slug: slug.map(str::to_owned),
            draft: false,
            excerpt: None,
            cover: None,
            old_url: None,
            body: String::new(),
            diagnostics: vec![],
        }
    }

    #[test]
    fn placeholders() {
        let l = Layout::new(Some("{year}/{month}/{slug}.md"), Target::Hugo).unwrap();
        assert_eq!(l.path(&item(Some("a"), None), "a"), "2021/03/a.md");
        let l = Layout::new(Some("{type}/{date}-{slug}.md"), Target::Hugo).unwrap();
        assert_eq!(l.path(&item(None, None), "b"), "posts/2021-03-04-b.md");
        assert_eq!(
            Layout::default_for(Target::Jekyll).path(&item(None, None), "c"),
            "_posts/2021-03-04-c.md"
        );
    }

    #[test]
    fn bad_templates() {
        for t in [
            "/abs/{slug}.md",
            "../{slug}.md",
            "{slug}.txt",
            "{nope}.md",
            "{slug.md",
            "a//b.md",
        ] {
            assert!(Layout::new(Some(t), Target::Hugo).is_err(), "{t}");
        }
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slug(&item(Some("../../etc/passwd"), None)), "etc-passwd");
        assert_eq!(slug(&item(None, Some("Hello, World!"))), "hello-world");
        assert_eq!(slug(&item(None, Some("你好 世界"))), "你好-世界");
        assert_eq!(slug(&item(Some("..."), None)), "untitled");
        assert_eq!(slug(&item(Some("_index"), None)), "index_");
        assert_eq!(slug(&item(Some("CON"), None)), "con_");
        assert_eq!(slug(&item(Some("post0.link"), None)), "post0-link");
    }
}
