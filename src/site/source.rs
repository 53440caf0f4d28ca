//! Finding the site a folder belongs to and reading its configuration.
//!
//! A Hexo or Jekyll site is the nearest folder at or above SRC that holds a
//! `_config.yml` and looks like that generator's site (Hexo: a
//! `package.json` naming `hexo`, or `source/_posts`; Jekyll: `_posts`, a
//! `Gemfile` or `_layouts`). Its `_config.yml` is read through the front
//! matter reader (so the YAML crate stays in one file). A Hugo site's
//! `baseURL` is read too, to write old paths relative to the new site.
//! This module reads small files; it never writes or prints.

use crate::frontmatter::{self, Value};
use crate::source::{FrontMatterFormat, RawFrontMatter};
use std::path::{Path, PathBuf};

/// The generator a source site was built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    Hexo,
    Jekyll,
}

impl SiteKind {
    pub fn name(self) -> &'static str {
        match self {
            SiteKind::Hexo => "Hexo",
            SiteKind::Jekyll => "Jekyll",
        }
    }
}

/// Why a site's configuration could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SiteError {
    pub path: PathBuf,
    pub message: String,
}

/// A Hexo or Jekyll site and its top-level settings.
#[derive(Debug, Clone)]
pub struct SourceSite {
    pub kind: SiteKind,
    /// The folder holding `_config.yml`.
    pub root: PathBuf,
    /// `_config.yml`'s top-level keys, in order.
    pub config: Vec<(String, Value)>,
}

impl SourceSite {
    /// The nearest Hexo or Jekyll site at or above `start`.
    pub fn discover(start: &Path) -> Result<Option<SourceSite>, SiteError> {
        let start = if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            start
        };
        let start = std::path::absolute(start).map_err(|e| SiteError {
            path: start.to_owned(),
            message: e.to_string(),
        })?;
        for dir in start.ancestors() {
            if !dir.join("_config.yml").is_file() {
                continue;
            }
            if let Some(kind) = kind_of(dir) {
                let config = read_yaml(&dir.join("_config.yml"))?;
                return Ok(Some(SourceSite {
                    kind,
                    root: dir.to_owned(),
                    config,
                }));
            }
        }
        Ok(None)
    }

    /// A top-level scalar setting.
    pub fn setting(&self, key: &str) -> Option<String> {
        scalar(&self.config, key)
    }

    /// The URL path the old site was served under (Hexo `root`, Jekyll
    /// `baseurl`), with a leading and trailing `/`.
    pub fn base(&self) -> String {
        let key = match self.kind {
            SiteKind::Hexo => "root",
            SiteKind::Jekyll => "baseurl",
        };
        as_base(&self.setting(key).unwrap_or_default())
    }

    /// The permalink setting, or the generator's default.
    pub fn permalink(&self) -> String {
        self.setting("permalink")
            .unwrap_or_else(|| match self.kind {
                SiteKind::Hexo => ":year/:month/:day/:title/".to_owned(),
                SiteKind::Jekyll => "date".to_owned(),
            })
    }
}

fn kind_of(dir: &Path) -> Option<SiteKind> {
    let package = std::fs::read_to_string(dir.join("package.json")).unwrap_or_default();
    if package.contains("\"hexo\"") || dir.join("source").join("_posts").is_dir() {
        return Some(SiteKind::Hexo);
    }
    if dir.join("_posts").is_dir() || dir.join("Gemfile").is_file() || dir.join("_layouts").is_dir()
    {
        return Some(SiteKind::Jekyll);
    }
    None
}

/// A YAML file's top-level keys (an empty file has none).
fn read_yaml(path: &Path) -> Result<Vec<(String, Value)>, SiteError> {
    let text = std::fs::read_to_string(path).map_err(|e| SiteError {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let raw = RawFrontMatter {
        format: FrontMatterFormat::Yaml,
        text: &text,
        line: 1,
    };
    frontmatter::parse_entries(&raw).map_err(|e| SiteError {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

fn scalar(entries: &[(String, Value)], key: &str) -> Option<String> {
    entries
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.scalar_text())
}

/// `blog`, `/blog`, `/blog/` → `/blog/`; nothing → `/`.
pub fn as_base(text: &str) -> String {
    let trimmed = text.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

/// The URL path a target site at `root` is served under: Hugo's
/// `baseURL` path, Hexo's `root` or Jekyll's `baseurl`; `/` when the
/// folder has no such configuration.
pub fn target_base(root: &Path) -> Result<String, SiteError> {
    for name in ["hugo.toml", "config.toml"] {
        let path = root.join(name);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let table: toml::Table = toml::from_str(&text).map_err(|e| SiteError {
                path: path.clone(),
                message: e.to_string().trim_end().replace('\n', " "),
            })?;
            let base = table.get("baseURL").and_then(|v| v.as_str()).unwrap_or("/");
            return Ok(url_path(base));
        }
    }
    for name in ["hugo.yaml", "config.yaml", "_config.yml"] {
        let path = root.join(name);
        if path.is_file() {
            let config = read_yaml(&path)?;
            let base = ["baseURL", "root", "baseurl"]
                .iter()
                .find_map(|k| scalar(&config, k))
                .unwrap_or_default();
            return Ok(url_path(&base));
        }
    }
    Ok("/".to_owned())
}

/// The path of a base URL (`https://x.org/blog/` → `/blog/`).
fn url_path(base: &str) -> String {
    match url::Url::parse(base) {
        Ok(u) => as_base(u.path()),
        Err(_) => as_base(base),
    }
}

/// Whether the site at `root` installs `hexo-tag-embed` (which gives Hexo
/// 7 and later back the `youtube` and `vimeo` tags).
pub fn has_hexo_tag_embed(root: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(root.join("package.json")) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    ["dependencies", "devDependencies"]
        .iter()
        .any(|k| json.get(k).and_then(|d| d.get("hexo-tag-embed")).is_some())
}

/// Whether the site at `root` names `jekyll-redirect-from` (in its
/// `_config.yml` plugins or its `Gemfile`).
pub fn has_jekyll_redirect_from(root: &Path) -> bool {
    ["_config.yml", "Gemfile"].iter().any(|name| {
        std::fs::read_to_string(root.join(name)).is_ok_and(|t| t.contains("jekyll-redirect-from"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases() {
        assert_eq!(as_base(""), "/");
        assert_eq!(as_base("/blog"), "/blog/");
        assert_eq!(url_path("https://example.org/blog/"), "/blog/");
        assert_eq!(url_path("/"), "/");
    }
}
