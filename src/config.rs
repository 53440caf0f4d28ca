//! `mdmigrate.toml`: the project's settings, found by walking up from the
//! input, or named with `--config`.
//!
//! Precedence is defaults < file < flags: every field is optional, and
//! [`Config::merge`] lays one layer over another. [`Config::resolve`] turns
//! the merged layers into library options, once. Unknown keys are errors
//! that name the key. This module reads one small file; it never prints.

use crate::frontmatter::{FmFormat, Target};
use crate::html::Limits;
use crate::lower::site::{Action, Selector, SiteRule};
use crate::lower::{Captions, ProjectLinks};
use crate::md::writer::SiteSyntax;
use crate::post::{BodyKind, Eol, FrontMatterMode, PostOptions};
use crate::source::Encoding;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file name looked for.
pub const FILE_NAME: &str = "mdmigrate.toml";

/// Where the front matter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FormatName {
    Yaml,
    Toml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EncodingName {
    Utf8,
    Gb18030,
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ImageMode {
    Keep,
    Rewrite,
    Download,
}

/// Where downloaded images go (`download` mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
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

impl RuleConfig {
    fn to_rule(&self) -> Result<SiteRule, String> {
        let selector = Selector::parse(&self.selector)?;
        let action = match self.action.as_str() {
            "unwrap" => Action::Unwrap,
            "text" => Action::Text,
            "remove" => Action::Remove,
            "keep-html" => Action::KeepHtml,
            "link" => Action::Link {
                href: self.href.clone(),
            },
            "shortcode" => {
                shortcode_action(self.shortcode.as_deref(), &self.args).ok_or_else(|| {
                    format!(
                        "rule {:?}: a shortcode rule needs `shortcode = \"name\"`",
                        self.selector
                    )
                })?
            }
            other => {
                return Err(format!(
                    "rule {:?}: unknown action {other:?}",
                    self.selector
                ));
            }
        };
        Ok(SiteRule {
            name: self.name.clone().unwrap_or_else(|| self.selector.clone()),
            selector,
            action,
        })
    }
}

/// The shortcode for 36kr project links (`[project_link_shortcode]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortcodeConfig {
    pub name: String,
    #[serde(default)]
    pub args: toml::Table,
}

fn shortcode_action(name: Option<&str>, args: &toml::Table) -> Option<Action> {
    Some(Action::Shortcode {
        name: name?.to_owned(),
        args: args
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                )
            })
            .collect(),
    })
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
}

/// `HOST` or `HOST:PORT`.
fn parse_host(text: &str) -> Result<(String, Option<u16>), String> {
    match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') || host.ends_with(']') => {
            let port = port
                .parse()
                .map_err(|_| format!("bad port in allowed host {text:?}"))?;
            Ok((host.trim_matches(['[', ']']).to_owned(), Some(port)))
        }
        _ => Ok((text.trim_matches(['[', ']']).to_owned(), None)),
    }
}

/// `HOST:PORT:ADDR`, as curl's `--resolve`.
fn parse_pin(text: &str) -> Result<(String, u16, std::net::IpAddr), String> {
    let bad = || format!("bad --resolve {text:?}: expected HOST:PORT:ADDR");
    let mut parts = text.splitn(3, ':');
    let host = parts.next().filter(|h| !h.is_empty()).ok_or_else(bad)?;
    let port = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let addr = parts
        .next()
        .map(|a| a.trim_matches(['[', ']']))
        .and_then(|a| a.parse().ok())
        .ok_or_else(bad)?;
    Ok((host.to_owned(), port, addr))
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
            message: e.to_string().trim_end().replace('\n', " "),
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
        }
    }

    /// The settings as TOML (for `--dump-config`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The image plan for a run writing into `out_dir`. `resolve` pins
    /// (`HOST:PORT:ADDR`) and the cache policy come from flags only.
    pub fn image_plan(
        &self,
        out_dir: &Path,
        resolve: &[String],
        cache: crate::assets::CachePolicy,
    ) -> Result<crate::batch::images::ImagePlan, String> {
        use crate::assets::{DownloadConfig, RewriteRule};
        use crate::batch::images::ImagePlan;
        let images = &self.images;
        Ok(match images.mode.unwrap_or(ImageMode::Keep) {
            ImageMode::Keep => ImagePlan::Keep,
            ImageMode::Rewrite => {
                if images.rewrite.is_empty() {
                    return Err(
                        "images mode `rewrite` needs rules ([[images.rewrite]] or --image-rewrite)"
                            .into(),
                    );
                }
                ImagePlan::Rewrite(
                    images
                        .rewrite
                        .iter()
                        .map(|r| RewriteRule::new(&r.from, &r.to))
                        .collect(),
                )
            }
            ImageMode::Download => {
                let layout = self.image_layout();
                if layout.is_per_post() && images.assets_url.is_some() {
                    return Err(
                        "--assets-url (assets_url) points posts into the shared store; it does not apply to a per-post image layout"
                            .into(),
                    );
                }
                let default_dir = if layout.is_per_post() {
                    ".mdmigrate-images"
                } else {
                    "images"
                };
                let dir = images.assets_dir.as_deref().unwrap_or(default_dir);
                let mut config = DownloadConfig::new(out_dir.join(dir));
                config.mirrors = images.mirrors.clone();
                config.allow_svg = images.allow_svg.unwrap_or(false);
                config.cache = cache;
                if let Some(r) = images.retries {
                    config.max_retries = r;
                }
                if let Some(n) = images.concurrency {
                    config.concurrency = n.max(1) as usize;
                }
                if let Some(n) = images.per_host {
                    config.per_host = n.max(1) as usize;
                }
                if let Some(secs) = images.timeout {
                    let wait = std::time::Duration::from_secs(u64::from(secs.max(1)));
                    config.connect_timeout = wait;
                    config.response_timeout = wait;
                }
                config.policy.allow_hosts = images
                    .allow_hosts
                    .iter()
                    .map(|h| parse_host(h))
                    .collect::<Result<_, _>>()?;
                config.policy.resolve = resolve
                    .iter()
                    .map(|r| parse_pin(r))
                    .collect::<Result<_, _>>()?;
                ImagePlan::Download {
                    config: Box::new(config),
                    assets_url: images.assets_url.clone(),
                    layout,
                }
            }
        })
    }

    /// The image layout, `bundle` resolved for the target: Hugo and Zola
    /// read page bundles; Hexo (and `keep`, whose posts stay Hexo posts)
    /// reads post asset folders; Jekyll and plain Markdown get a folder
    /// beside the post referenced relative to the post file.
    pub fn image_layout(&self) -> crate::assets::Layout {
        use crate::assets::Layout;
        match self.images.layout.unwrap_or(ImageLayout::Shared) {
            ImageLayout::Shared => Layout::Shared,
            ImageLayout::PageBundle => Layout::PageBundle,
            ImageLayout::AssetFolder => Layout::AssetFolder,
            ImageLayout::PostFolder => Layout::PostFolder,
            ImageLayout::Bundle => match self.target.unwrap_or(TargetName::Keep) {
                TargetName::Hugo | TargetName::Zola => Layout::PageBundle,
                TargetName::Hexo | TargetName::Keep => Layout::AssetFolder,
                TargetName::Jekyll | TargetName::Plain => Layout::PostFolder,
            },
        }
    }

    /// The site syntax the target reads (shortcodes, template escapes).
    pub fn site_syntax(&self) -> SiteSyntax {
        match self.target.unwrap_or(TargetName::Keep) {
            TargetName::Hugo => SiteSyntax::Hugo,
            TargetName::Hexo => SiteSyntax::Hexo,
            TargetName::Jekyll => SiteSyntax::Jekyll,
            TargetName::Zola => SiteSyntax::Zola,
            TargetName::Keep | TargetName::Plain => SiteSyntax::None,
        }
    }

    /// Checks what only makes sense together; returns the site rules.
    pub fn site_rules(&self) -> Result<Vec<SiteRule>, String> {
        let needs_site = self.project_links == Some(ProjectLinks::Shortcode)
            || self.rules.iter().any(|r| r.action == "shortcode");
        if needs_site && self.site_syntax() == SiteSyntax::None {
            return Err("shortcodes need a site: --target hugo, hexo, jekyll or zola".into());
        }
        self.rules.iter().map(RuleConfig::to_rule).collect()
    }

    /// Every shortcode the settings can write (rules, then project links).
    pub fn shortcodes(&self) -> Vec<Action> {
        let mut out: Vec<Action> = self
            .site_rules()
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.action)
            .filter(|a| matches!(a, Action::Shortcode { .. }))
            .collect();
        if self.project_links == Some(ProjectLinks::Shortcode) {
            out.push(self.project_shortcode());
        }
        out
    }

    /// The shortcode 36kr project links become (the config's, or `company`).
    pub fn project_shortcode(&self) -> Action {
        self.project_link_shortcode
            .as_ref()
            .and_then(|s| shortcode_action(Some(&s.name), &s.args))
            .unwrap_or_else(crate::lower::site::default_project_shortcode)
    }

    /// Post options from the merged settings.
    pub fn post_options(&self) -> PostOptions {
        let limits = Limits {
            max_bytes: self.max_size.unwrap_or(Limits::default().max_bytes),
            max_depth: self.max_depth.unwrap_or(Limits::default().max_depth).max(1),
        };
        PostOptions {
            body: self.body.unwrap_or_default(),
            front_matter: self.front_matter_mode(),
            encoding: self.encoding.map(|e| match e {
                EncodingName::Utf8 => Encoding::Utf8,
                EncodingName::Gb18030 => Encoding::Gb18030,
                EncodingName::Auto => Encoding::Auto,
            }),
            eol: self.eol.unwrap_or_default(),
            drop_cover_duplicate: self.drop_cover_duplicate.unwrap_or(false),
            convert: crate::Options {
                project_links: self.project_links.unwrap_or_default(),
                limits,
                images: None,
                rules: std::sync::Arc::new(self.site_rules().unwrap_or_default()),
                project_shortcode: Some(self.project_shortcode()),
                site: self.site_syntax(),
                drop_image: None,
                captions: self.captions.unwrap_or_default(),
                read_source: false,
            },
        }
    }

    fn front_matter_mode(&self) -> FrontMatterMode {
        let target = match self.target.unwrap_or(TargetName::Keep) {
            TargetName::Keep => return FrontMatterMode::Keep,
            TargetName::Hexo => Target::Hexo,
            TargetName::Hugo => Target::Hugo,
            TargetName::Jekyll => Target::Jekyll,
            TargetName::Zola => Target::Zola,
            TargetName::Plain => Target::Plain,
        };
        let format = match (target, self.front_matter) {
            (Target::Zola, _) | (_, Some(FormatName::Toml)) => FmFormat::Toml,
            _ => FmFormat::Yaml,
        };
        FrontMatterMode::Target(target, format)
    }
}
