//! The site the posts come from: its old URLs and the Liquid its posts use.
//!
//! [`discover`] runs once per migration: it finds the Hexo or Jekyll site
//! at or above SRC (`source`), reads its permalink pattern and base path,
//! the new site's base path under `--site-root`, whether that site has
//! `hexo-tag-embed`, and (Jekyll) the old URL of every post for
//! `post_url`/`link`. The resulting [`Context`] is shared by every post:
//! [`Context::old_url`] computes one post's old URL from its front matter
//! and path, and [`Context::resolve_liquid`] resolves Liquid in its body.
//! Only `discover` reads files; nothing here prints.

pub(crate) mod liquid;
pub(crate) mod permalink;
pub(crate) mod source;

use crate::frontmatter::{FmDate, FrontMatter, Value};
use crate::md::writer::SiteSyntax;
use permalink::{Facts, Pattern};
use source::{SiteKind, SourceSite};
use std::path::Path;

pub use source::SiteError;

/// What every post of one run needs to know about the source site.
#[derive(Debug, Clone)]
pub struct Context {
    /// The generator whose rules `:title` and friends follow (none: a
    /// pattern given without a site).
    kind: Option<SiteKind>,
    pattern: Option<Pattern>,
    /// The old site's base path (`/` or `/blog/`).
    old_base: String,
    /// The new site's base path: old URLs are written relative to it.
    new_base: String,
    /// SRC relative to the site root (`source/_posts/`), or empty.
    src_prefix: String,
    /// Hexo's `default_category`.
    default_category: String,
    /// Hexo's `new_post_name` (how `:title` and a date are read off a path).
    new_post_name: String,
    /// Jekyll sites: what Liquid in posts refers to.
    liquid: Option<liquid::Vars>,
}

/// The old site's permalink as mdmigrate.toml or `--old-permalink` says
/// it: `old_permalink = ":year/:title/"`, or a table that can also name the
/// path the old site was served under (`[old_permalink]`, `pattern`, `root`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum OldPermalink {
    Pattern(String),
    Table(OldPermalinkTable),
}

/// `[old_permalink]` in mdmigrate.toml.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OldPermalinkTable {
    /// The pattern (default: the source site's own).
    pub pattern: Option<String>,
    /// The path the old site was served under (default: the source site's
    /// `root`/`baseurl`, else `/`).
    pub root: Option<String>,
}

impl OldPermalink {
    pub fn pattern(&self) -> Option<&str> {
        match self {
            OldPermalink::Pattern(p) => Some(p),
            OldPermalink::Table(t) => t.pattern.as_deref(),
        }
    }

    pub fn root(&self) -> Option<&str> {
        match self {
            OldPermalink::Pattern(_) => None,
            OldPermalink::Table(t) => t.root.as_deref(),
        }
    }

    /// This layer over `under`: each part it sets wins.
    pub fn over(self, under: OldPermalink) -> OldPermalink {
        if self.root().is_none() && under.root().is_none() {
            return self;
        }
        OldPermalink::Table(OldPermalinkTable {
            pattern: self.pattern().or(under.pattern()).map(str::to_owned),
            root: self.root().or(under.root()).map(str::to_owned),
        })
    }
}

/// What [`discover`] found.
#[derive(Debug)]
pub struct Setup {
    /// Old URLs (and Liquid) for the posts.
    pub context: Context,
    /// The target site (or the source site) installs `hexo-tag-embed`.
    pub hexo_tag_embed: bool,
    /// What was found, for the run's summary.
    pub notes: Vec<String>,
}

impl Context {
    /// A context from the settings alone (`--old-permalink`), no site
    /// known; without a pattern only a post's own `permalink` is an old URL.
    pub fn from_settings(old: Option<&OldPermalink>) -> Context {
        Context {
            kind: None,
            pattern: old
                .and_then(OldPermalink::pattern)
                .and_then(|p| Pattern::parse(p).ok()),
            old_base: source::as_base(old.and_then(OldPermalink::root).unwrap_or_default()),
            new_base: "/".into(),
            src_prefix: String::new(),
            default_category: "uncategorized".into(),
            new_post_name: ":title.md".into(),
            liquid: None,
        }
    }

    /// The path the old site served the post at (relative to the new
    /// site's base), from its own `permalink`, or the pattern; a page keeps
    /// its path. `rel` is the post's path relative to SRC. `Ok(None)`:
    /// nothing says it, or the old site did not publish the file.
    pub fn old_url(
        &self,
        fm: &FrontMatter,
        rel: Option<&str>,
    ) -> Result<Option<String>, OldUrlError> {
        let rel = format!("{}{}", self.src_prefix, rel.unwrap_or_default());
        let path = match (extra_text(fm, "permalink"), self.served(&rel)) {
            (Some(own), _) => own,
            (None, Served::Nowhere) => return Ok(None),
            (None, Served::Page(path)) => path,
            (None, Served::Post) => match &self.pattern {
                Some(pattern) => pattern.expand(&self.facts(fm, &rel))?,
                None => return Ok(None),
            },
        };
        let url = format!("{}{}", self.old_base, path.trim_start_matches('/'));
        match url.strip_prefix(&self.new_base) {
            Some(rest) => Ok(Some(format!("/{rest}"))),
            None => Err(OldUrlError::OutsideBase {
                url,
                base: self.new_base.clone(),
            }),
        }
    }

    /// The other old paths of a Jekyll post (its `redirect_from`, which
    /// jekyll-redirect-from served under the old base), relative to the
    /// new site's base; those outside it are left out.
    pub fn old_redirects(&self, fm: &FrontMatter) -> Vec<String> {
        if self.kind != Some(SiteKind::Jekyll) {
            return Vec::new();
        }
        let listed = match fm.extra.iter().find(|(k, _)| k == "redirect_from") {
            Some((_, Value::List(items))) => items.iter().filter_map(Value::scalar_text).collect(),
            Some((_, one)) => one.scalar_text().into_iter().collect(),
            None => Vec::new(),
        };
        listed
            .into_iter()
            .filter_map(|path| {
                let url = format!("{}{}", self.old_base, path.trim_start_matches('/'));
                url.strip_prefix(&self.new_base)
                    .map(|rest| format!("/{rest}"))
            })
            .collect()
    }

    /// The body with the site's Liquid resolved, and what is left (Jekyll
    /// sources only; other bodies come back as they are).
    pub fn resolve_liquid(&self, body: &str) -> Option<(String, Vec<String>)> {
        self.liquid.as_ref().map(|vars| liquid::resolve(body, vars))
    }

    /// How the old site served a file at `rel` (from the site's root): a
    /// post (below a `_posts` folder), a page at its own path, or not at
    /// all (drafts and other `_` folders; Hexo files outside `source/`).
    fn served(&self, rel: &str) -> Served {
        let Some(kind) = self.kind else {
            return Served::Post;
        };
        if rel.is_empty() || rel.starts_with("_posts/") || rel.contains("/_posts/") {
            return Served::Post;
        }
        let below = match (kind, rel.strip_prefix("source/")) {
            (SiteKind::Hexo, Some(below)) => below,
            (SiteKind::Hexo, None) => return Served::Nowhere,
            (SiteKind::Jekyll, _) => rel,
        };
        if below.split('/').any(|s| s.starts_with('_')) {
            return Served::Nowhere;
        }
        let stem = below.rsplit_once('.').map_or(below, |(s, _)| s);
        let pretty =
            kind == SiteKind::Jekyll && self.pattern.as_ref().is_some_and(Pattern::is_pretty);
        Served::Page(match stem.strip_suffix("index") {
            Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
            _ if pretty => format!("/{stem}/"),
            _ => format!("/{stem}.html"),
        })
    }

    /// What the pattern's variables are for one post.
    fn facts(&self, fm: &FrontMatter, rel: &str) -> Facts {
        let file = rel.rsplit('/').next().unwrap_or(rel);
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let (title, slug, file_date) = match self.kind {
            Some(SiteKind::Hexo) => {
                // Hexo's `:title` is the path below `_posts`, without
                // extension, as `new_post_name` reads it.
                let below = rel.split_once("_posts/").map_or(rel, |(_, r)| r);
                let below = below.rsplit_once('.').map_or(below, |(s, _)| s);
                let (title, date) = permalink::hexo_file_name(&self.new_post_name, below);
                (title.clone(), title, date)
            }
            _ => {
                let (date, file_slug) = split_dated_name(stem);
                let slug = fm.slug.as_deref().unwrap_or(file_slug);
                (
                    permalink::jekyll_slugify(slug, true),
                    permalink::jekyll_slug(slug),
                    date,
                )
            }
        };
        Facts {
            date: wall_clock(fm.date.as_ref()).or(file_date),
            title,
            slug,
            name: stem.to_owned(),
            post_title: permalink::hexo_slugize(fm.title.as_deref().unwrap_or(stem)),
            categories: jekyll_categories(fm, rel).join("/"),
            category: self.hexo_category(fm),
            id: extra_text(fm, "id"),
        }
    }

    /// Hexo's `:category`: the slugized category path, case kept, or the
    /// site's `default_category`.
    fn hexo_category(&self, fm: &FrontMatter) -> String {
        if fm.categories.is_empty() {
            return self.default_category.clone();
        }
        let slugs: Vec<String> = fm
            .categories
            .iter()
            .map(|c| permalink::hexo_slugize(c))
            .collect();
        slugs.join("/")
    }
}

/// How the old site served a file.
enum Served {
    Post,
    Page(String),
    Nowhere,
}

/// Why a post's old URL cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OldUrlError {
    #[error(transparent)]
    Expand(#[from] permalink::ExpandError),
    #[error("old URL {url} lies outside the new site's base path {base}")]
    OutsideBase { url: String, base: String },
}

/// The date as its writer saw it (wall-clock time at its own offset).
fn wall_clock(date: Option<&FmDate>) -> Option<jiff::civil::DateTime> {
    match date {
        Some(FmDate::At { timestamp, offset }) => Some(offset.to_datetime(*timestamp)),
        _ => None,
    }
}

/// A string value of a key the model keeps in `extra`.
fn extra_text(fm: &FrontMatter, key: &str) -> Option<String> {
    fm.extra
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.scalar_text())
        .filter(|t| !t.trim().is_empty())
}

/// `2010-07-21-name` → (the date, `name`); other names have no date.
fn split_dated_name(stem: &str) -> (Option<jiff::civil::DateTime>, &str) {
    let date = stem
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    match (date, stem.get(10..11)) {
        (Some(d), Some("-")) => (Some(d.at(0, 0, 0, 0)), &stem[11..]),
        _ => (None, stem),
    }
}

/// Jekyll's categories: the folders above `_posts`, then `category` and
/// `categories`, lower-cased, each once.
fn jekyll_categories(fm: &FrontMatter, rel: &str) -> Vec<String> {
    let folders = rel.split_once("_posts/").map_or("", |(f, _)| f);
    let mut out: Vec<String> = Vec::new();
    let single = extra_text(fm, "category");
    let all = folders
        .split('/')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .chain(single)
        .chain(fm.categories.iter().cloned());
    for c in all {
        let c = c.to_lowercase();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Finds the source site of `src`, the new site's base under `site_root`
/// (none: served at `/`),
/// and what Liquid refers to. `pattern` (`--old-permalink`) wins over the
/// site's own setting; `target` is the site the posts go to.
pub fn discover(
    src: &Path,
    site_root: Option<&Path>,
    old: Option<&OldPermalink>,
    target: SiteSyntax,
) -> Result<Setup, SiteError> {
    let site = SourceSite::discover(src)?;
    let new_base = match site_root {
        Some(root) => source::target_base(root)?,
        None => "/".to_owned(),
    };
    let hexo_tag_embed = site_root.is_some_and(source::has_hexo_tag_embed)
        || site
            .as_ref()
            .is_some_and(|s| source::has_hexo_tag_embed(&s.root));
    let mut notes = Vec::new();
    let context = match site {
        Some(site) => {
            let context = site_context(&site, src, old, new_base)?;
            notes.push(format!(
                "{} site at {}: old URLs from permalink {:?} under {}",
                site.kind.name(),
                site.root.display(),
                old.and_then(OldPermalink::pattern)
                    .map_or_else(|| site.permalink(), str::to_owned),
                context.old_base
            ));
            context
        }
        None => Context {
            new_base,
            ..Context::from_settings(old)
        },
    };
    if target == SiteSyntax::Jekyll && context.pattern.is_some() {
        notes.extend(site_root.and_then(redirect_plugin_missing));
    }
    Ok(Setup {
        context,
        hexo_tag_embed,
        notes,
    })
}

/// What to do when a Jekyll site at `root` would not serve `redirect_from`.
fn redirect_plugin_missing(root: &Path) -> Option<String> {
    (!source::has_jekyll_redirect_from(root)).then(|| {
        format!(
            "old URLs are written as redirect_from: add jekyll-redirect-from to the plugins of {}",
            root.join("_config.yml").display()
        )
    })
}

/// The context of a Hexo or Jekyll source site.
fn site_context(
    site: &SourceSite,
    src: &Path,
    old: Option<&OldPermalink>,
    new_base: String,
) -> Result<Context, SiteError> {
    let permalink = old
        .and_then(OldPermalink::pattern)
        .map_or_else(|| site.permalink(), str::to_owned);
    let pattern = Pattern::parse(&permalink).map_err(|e| SiteError {
        path: site.root.join("_config.yml"),
        message: e.to_string(),
    })?;
    let mut context = Context {
        kind: Some(site.kind),
        pattern: Some(pattern),
        old_base: old
            .and_then(OldPermalink::root)
            .map_or_else(|| site.base(), source::as_base),
        new_base,
        src_prefix: prefix_in(src, &site.root),
        default_category: site
            .setting("default_category")
            .unwrap_or_else(|| "uncategorized".into()),
        new_post_name: site
            .setting("new_post_name")
            .unwrap_or_else(|| ":title.md".into()),
        liquid: None,
    };
    if site.kind == SiteKind::Jekyll {
        context.liquid = Some(jekyll_vars(site, &context));
    }
    Ok(context)
}

/// `src` relative to the site's root, `/`-separated with a trailing `/`
/// (empty at the root).
fn prefix_in(src: &Path, root: &Path) -> String {
    std::path::absolute(src)
        .ok()
        .and_then(|s| s.strip_prefix(root).ok().map(Path::to_owned))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p}/"))
        .unwrap_or_default()
}

/// `site.*` settings, and every post's old URL (with the old base, as
/// Jekyll 4's `post_url` and `link` write them).
fn jekyll_vars(site: &SourceSite, context: &Context) -> liquid::Vars {
    let mut vars = liquid::Vars::default();
    for (key, value) in &site.config {
        if let Some(text) = value.scalar_text() {
            vars.site.insert(key.clone(), text);
        }
    }
    for key in ["baseurl", "url"] {
        vars.site.entry(key.to_owned()).or_default();
    }
    let at_root = Context {
        src_prefix: String::new(),
        new_base: "/".into(),
        ..context.clone()
    };
    for (rel, fm) in jekyll_documents(&site.root) {
        let Ok(Some(url)) = at_root.old_url(&fm, Some(&rel)) else {
            continue;
        };
        if let Some((_, below)) = rel.split_once("_posts/") {
            let name = below.rsplit_once('.').map_or(below, |(s, _)| s);
            vars.posts.insert(name.to_owned(), url.clone());
        }
        vars.files.insert(rel.clone(), url);
    }
    vars
}

/// Every post and page of the site (Markdown or HTML), with its front
/// matter (a post's is empty when it has none or it cannot be read: its
/// own run reports that; a file without is no page); `_site`, `node_modules`, `vendor` and dot folders are
/// left out, other `_` folders have no URL (`old_url` says so).
fn jekyll_documents(root: &Path) -> Vec<(String, FrontMatter)> {
    let skip =
        |name: &str| name.starts_with('.') || ["_site", "node_modules", "vendor"].contains(&name);
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()));
    let mut out = Vec::new();
    for entry in walk.flatten() {
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let is_document = entry.file_type().is_file()
            && [".md", ".markdown", ".html"]
                .iter()
                .any(|e| rel.ends_with(e));
        if !is_document {
            continue;
        }
        let fm = std::fs::read_to_string(entry.path())
            .ok()
            .and_then(|text| front_matter_of(&text));
        // Jekyll renders a page only when it has front matter.
        let is_post = rel.starts_with("_posts/") || rel.contains("/_posts/");
        if fm.is_some() || is_post {
            out.push((rel, fm.unwrap_or_default()));
        }
    }
    out
}

fn front_matter_of(text: &str) -> Option<FrontMatter> {
    let post = crate::source::split_post(text).ok()?;
    crate::frontmatter::parse(&post.front_matter?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(date: &str, extra: &[(&str, &str)]) -> FrontMatter {
        FrontMatter {
            date: crate::frontmatter::parse_date(date, jiff::tz::Offset::UTC),
            extra: extra
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
            ..FrontMatter::default()
        }
    }

    fn context(kind: Option<SiteKind>, pattern: &str, old_base: &str) -> Context {
        Context {
            kind,
            old_base: old_base.into(),
            ..Context::from_settings(Some(&OldPermalink::Pattern(pattern.into())))
        }
    }

    #[test]
    fn hexo_title_is_the_path_below_posts() {
        let c = context(Some(SiteKind::Hexo), ":year/:month/:day/:title/", "/blog/");
        let url = c.old_url(
            &fm("2020-01-02 10:00:00", &[]),
            Some("source/_posts/a/Hello World.md"),
        );
        assert_eq!(url.unwrap().unwrap(), "/blog/2020/01/02/a/Hello World/");
    }

    #[test]
    fn jekyll_title_drops_the_date_and_takes_folder_categories() {
        let c = context(Some(SiteKind::Jekyll), "date", "/");
        let url = c.old_url(&fm("", &[]), Some("Notes/_posts/2010-07-21-my-post.md"));
        assert_eq!(url.unwrap().unwrap(), "/notes/2010/07/21/my-post.html");
    }

    #[test]
    fn a_pattern_flag_over_a_table_keeps_the_tables_root() {
        let table = OldPermalink::Table(OldPermalinkTable {
            pattern: Some(":title/".into()),
            root: Some("/blog/".into()),
        });
        let merged = OldPermalink::Pattern(":year/:title/".into()).over(table);
        assert_eq!(merged.pattern(), Some(":year/:title/"));
        assert_eq!(merged.root(), Some("/blog/"));
        let plain = OldPermalink::Pattern("a".into()).over(OldPermalink::Pattern("b".into()));
        assert_eq!(plain, OldPermalink::Pattern("a".into()));
    }

    #[test]
    fn pages_keep_their_path_and_drafts_have_none() {
        let hexo = context(Some(SiteKind::Hexo), ":year/:title/", "/");
        let url = |c: &Context, rel| c.old_url(&fm("2020-01-02", &[]), Some(rel)).unwrap();
        assert_eq!(url(&hexo, "source/about/index.md").unwrap(), "/about/");
        assert_eq!(url(&hexo, "source/links.md").unwrap(), "/links.html");
        assert_eq!(url(&hexo, "source/_drafts/wip.md"), None);
        assert_eq!(url(&hexo, "scaffolds/post.md"), None);
        let jekyll = context(Some(SiteKind::Jekyll), "pretty", "/");
        assert_eq!(url(&jekyll, "about.md").unwrap(), "/about/");
        assert_eq!(url(&jekyll, "_drafts/wip.md"), None);
        let dated = context(Some(SiteKind::Jekyll), "date", "/");
        assert_eq!(url(&dated, "about.md").unwrap(), "/about.html");
    }

    #[test]
    fn the_posts_own_permalink_wins_and_the_new_base_is_taken_off() {
        let c = Context {
            new_base: "/blog/".into(),
            ..context(None, ":title/", "/blog/")
        };
        let url = c.old_url(&fm("", &[("permalink", "/about-me/")]), Some("x.md"));
        assert_eq!(url.unwrap().unwrap(), "/about-me/");
        let outside = Context {
            old_base: "/".into(),
            ..c
        };
        assert!(outside.old_url(&fm("", &[]), Some("x.md")).is_err());
    }
}
