//! `mdmigrate.toml`: the project's settings, found by walking up from the
//! input, or named with `--config`.
//!
//! Precedence is defaults < file < flags: every field is optional, and
//! [`Config::merge`] lays one layer over another. What
//! the merged layers mean for the library is `crate::settings`. Unknown keys
//! are errors that name the key and line. This module reads one small
//! file; it never prints.

use crate::html::Limits;
use crate::lower::media::Embeds;
use crate::lower::{Captions, ProjectLinks};
use crate::post::{BodyKind, Eol};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file name looked for.
pub const FILE_NAME: &str = "mdmigrate.toml";

/// Where the front matter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetName {
    /// Front matter passed through untouched.
    Keep,
    Hexo,
    Hugo,
    Jekyll,
    Zola,
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatName {
    Yaml,
    Toml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EncodingName {
    Utf8,
    Gb18030,
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageMode {
    Keep,
    Rewrite,
    Download,
}

/// Where downloaded images go (`download` mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageLayout {
    /// One shared store; posts point into it.
    Shared,
    /// The target's own per-post folder: page-bundle for hugo and zola,
    /// asset-folder for hexo and keep, post-folder for jekyll and plain.
    Bundle,
    /// `foo.md` becomes `foo/index.md`, images beside it (Hugo, Zola).
    PageBundle,
    /// Images in `foo/` beside `foo.md`, named as Hexo's post_asset_folder does.
    AssetFolder,
    /// Images in `foo/` beside `foo.md`, referenced as `foo/name.jpg`.
    PostFolder,
}

/// A URL rewrite: `from` may end in `{path}`, which `to` repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rewrite {
    pub from: String,
    pub to: String,
}

/// Image settings (`[images]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Images {
    pub mode: Option<ImageMode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rewrite: Vec<Rewrite>,
    /// Where downloads are stored, relative to the output folder (default
    /// `images`, or `.mdmigrate-images` with a per-post layout).
    pub assets_dir: Option<String>,
    /// Shared store, or a folder of images per post.
    pub layout: Option<ImageLayout>,
    /// Root-relative URL prefix for stored images (else paths relative to the post).
    pub assets_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mirrors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_hosts: Vec<String>,
    pub allow_svg: Option<bool>,
    /// Retries per image on connect errors, timeouts, 408/429/5xx (default 3).
    pub retries: Option<u32>,
    /// Images downloaded at once (default 8).
    pub concurrency: Option<u32>,
    /// Downloads from one host at once (default: all of `concurrency`).
    pub per_host: Option<u32>,
    /// Seconds to wait for a connection and for a response to start.
    pub timeout: Option<u32>,
}

/// A site rule as written in the file (`[[rules]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// The name rule counts are reported under (default: the selector).
    pub name: Option<String>,
    /// `tag.class[attr][attr=value][attr^=value][attr*=value]`.
    pub selector: String,
    /// `unwrap`, `text`, `remove`, `keep-html`, `link` or `shortcode`.
    pub action: String,
    /// For `link`: the href template (`{attr}`, `{text}`).
    pub href: Option<String>,
    /// For `shortcode`: its name.
    pub shortcode: Option<String>,
    /// For `shortcode`: argument templates, in order.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub args: toml::Table,
}

/// The shortcode for 36kr project links (`[project_link_shortcode]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortcodeConfig {
    pub name: String,
    #[serde(default)]
    pub args: toml::Table,
}

/// One layer of settings. Every field is optional so layers can merge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub target: Option<TargetName>,
    pub front_matter: Option<FormatName>,
    pub project_links: Option<ProjectLinks>,
    pub body: Option<BodyKind>,
    pub encoding: Option<EncodingName>,
    pub eol: Option<Eol>,
    pub max_size: Option<usize>,
    pub max_depth: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub images: Images,
    /// Site rules, tried in order before the built-in 36kr preset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleConfig>,
    pub project_link_shortcode: Option<ShortcodeConfig>,
    /// Drop the first body image that repeats the cover.
    pub drop_cover_duplicate: Option<bool>,
    pub captions: Option<Captions>,
    /// What YouTube/Vimeo and other embeds become.
    pub embeds: Option<Embeds>,
    /// The source site's permalink pattern (`:year/:month/:day/:title/`),
    /// when the source site's own `_config.yml` does not say it; a table
    /// can also give the old root (`[old_permalink]`, `pattern`, `root`).
    pub old_permalink: Option<crate::site::OldPermalink>,
}

fn is_default(images: &Images) -> bool {
    images == &Images::default()
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Reads a config file; unknown keys are errors naming the key and line.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.to_owned(),
            // toml's message is multi-line: the line, a caret under the
            // column, then what is wrong. Kept as it is.
            message: e.to_string().trim_end().to_owned(),
        })
    }

    /// The nearest `mdmigrate.toml` at or above `start`.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(start).ok()?;
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            dir = d.parent();
        }
        None
    }

    /// `over`'s settings win where it has them.
    pub fn merge(self, over: Config) -> Config {
        Config {
            target: over.target.or(self.target),
            front_matter: over.front_matter.or(self.front_matter),
            project_links: over.project_links.or(self.project_links),
            body: over.body.or(self.body),
            encoding: over.encoding.or(self.encoding),
            eol: over.eol.or(self.eol),
            max_size: over.max_size.or(self.max_size),
            max_depth: over.max_depth.or(self.max_depth),
            include: if over.include.is_empty() {
                self.include
            } else {
                over.include
            },
            exclude: [self.exclude, over.exclude].concat(),
            rules: [self.rules, over.rules].concat(),
            project_link_shortcode: over.project_link_shortcode.or(self.project_link_shortcode),
            drop_cover_duplicate: over.drop_cover_duplicate.or(self.drop_cover_duplicate),
            captions: over.captions.or(self.captions),
            embeds: over.embeds.or(self.embeds),
            old_permalink: match (over.old_permalink, self.old_permalink) {
                (Some(over), Some(under)) => Some(over.over(under)),
                (over, under) => over.or(under),
            },
            images: Images {
                mode: over.images.mode.or(self.images.mode),
                rewrite: if over.images.rewrite.is_empty() {
                    self.images.rewrite
                } else {
                    over.images.rewrite
                },
                assets_dir: over.images.assets_dir.or(self.images.assets_dir),
                layout: over.images.layout.or(self.images.layout),
                assets_url: over.images.assets_url.or(self.images.assets_url),
                mirrors: if over.images.mirrors.is_empty() {
                    self.images.mirrors
                } else {
                    over.images.mirrors
                },
                allow_hosts: [self.images.allow_hosts, over.images.allow_hosts].concat(),
                allow_svg: over.images.allow_svg.or(self.images.allow_svg),
                retries: over.images.retries.or(self.images.retries),
                concurrency: over.images.concurrency.or(self.images.concurrency),
                per_host: over.images.per_host.or(self.images.per_host),
                timeout: over.images.timeout.or(self.images.timeout),
            },
        }
    }

    /// The built-in defaults, spelled out (for `--dump-config`).
    pub fn defaults() -> Config {
        Config {
            target: Some(TargetName::Keep),
            front_matter: Some(FormatName::Yaml),
            project_links: Some(ProjectLinks::Link),
            body: Some(BodyKind::Auto),
            encoding: Some(EncodingName::Utf8),
            eol: Some(Eol::Lf),
            max_size: Some(Limits::default().max_bytes),
            max_depth: Some(Limits::default().max_depth),
            include: vec!["**/*.md".into(), "**/*.html".into(), "**/*.htm".into()],
            exclude: Vec::new(),
            images: Images {
                mode: Some(ImageMode::Keep),
                layout: Some(ImageLayout::Shared),
                ..Images::default()
            },
            rules: Vec::new(),
            project_link_shortcode: None,
            drop_cover_duplicate: Some(false),
            captions: Some(Captions::Italic),
            embeds: Some(Embeds::Shortcode),
            old_permalink: None,
        }
    }

    /// The settings as TOML (for `--dump-config`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}
