//! `mdmigrate.toml`: the project's settings, found by walking up from the
//! input, or named with `--config`.
//!
//! Precedence is defaults < file < flags: every field is optional, and
//! [`Config::merge`] lays one layer over another. [`Config::resolve`] turns
//! the merged layers into library options, once. Unknown keys are errors
//! that name the key. This module reads one small file; it never prints.

use crate::frontmatter::{FmFormat, Target};
use crate::html::Limits;
use crate::lower::ProjectLinks;
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
    /// Where downloads are stored, relative to the output folder.
    pub assets_dir: Option<String>,
    /// Root-relative URL prefix for stored images (else paths relative to the post).
    pub assets_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mirrors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_hosts: Vec<String>,
    pub allow_svg: Option<bool>,
}

/// One layer of settings. Every field is optional so layers can merge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
            images: Images {
                mode: over.images.mode.or(self.images.mode),
                rewrite: if over.images.rewrite.is_empty() {
                    self.images.rewrite
                } else {
                    over.images.rewrite
                },
                assets_dir: over.images.assets_dir.or(self.images.assets_dir),
                assets_url: over.images.assets_url.or(self.images.assets_url),
                mirrors: if over.images.mirrors.is_empty() {
                    self.images.mirrors
                } else {
                    over.images.mirrors
                },
                allow_hosts: [self.images.allow_hosts, over.images.allow_hosts].concat(),
                allow_svg: over.images.allow_svg.or(self.images.allow_svg),
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
                assets_dir: Some("images".into()),
                ..Images::default()
            },
        }
    }

    /// The settings as TOML (for `--dump-config`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
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
            convert: crate::Options {
                project_links: self.project_links.unwrap_or_default(),
                limits,
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
