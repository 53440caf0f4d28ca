//! From merged settings to the library's options: the post options, the
//! image plan, the site rules and the site syntax. `config.rs` is the file
//! format and its merge; this is what the merged layers mean. Nothing here
//! reads a file or prints.

use crate::config::{
    Config, EncodingName, FormatName, ImageLayout, ImageMode, RuleConfig, TargetName,
};
use crate::frontmatter::{FmFormat, Target};
use crate::html::Limits;
use crate::lower::ProjectLinks;
use crate::lower::media::Embeds;
use crate::lower::site::{Action, Selector, SiteRule};
use crate::md::writer::SiteSyntax;
use crate::post::{FrontMatterMode, PostOptions};
use crate::source::Encoding;
use std::path::Path;

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

impl Config {
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
        if let Some(pattern) = self.old_permalink.as_ref().and_then(|o| o.pattern()) {
            crate::site::permalink::Pattern::parse(pattern).map_err(|e| e.to_string())?;
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
                links: None,
                rules: std::sync::Arc::new(self.site_rules().unwrap_or_default()),
                project_shortcode: Some(self.project_shortcode()),
                site: self.site_syntax(),
                drop_image: None,
                captions: self.captions.unwrap_or_default(),
                embeds: self.embeds(false),
                read_source: false,
                omits_raw_html: false,
            },
            source_site: Some(std::sync::Arc::new(crate::site::Context::from_settings(
                self.old_permalink.as_ref(),
            ))),
            ..PostOptions::default()
        }
    }

    /// Why a Hexo target's embeds are links or tags (Hexo 7 removed the
    /// `youtube`/`vimeo` tags from core; `hexo-tag-embed` gives them back).
    pub fn embeds_note(&self, hexo_tag_embed: bool) -> Option<String> {
        let asked = self.embeds.unwrap_or_default() == Embeds::Shortcode;
        (asked && self.target == Some(TargetName::Hexo)).then(|| {
            if hexo_tag_embed {
                "the site has hexo-tag-embed: YouTube and Vimeo embeds become {% youtube %} and {% vimeo %} tags".to_owned()
            } else {
                "no hexo-tag-embed in the site's package.json: YouTube and Vimeo embeds become links (npm install hexo-tag-embed, then migrate again, for the tags)".to_owned()
            }
        })
    }

    /// What embeds become for the target: the shortcode where it has one
    /// (Hugo; Hexo only with `hexo-tag-embed`, which Hexo 7 removed from
    /// core), else a link.
    pub fn embeds(&self, hexo_tag_embed: bool) -> Embeds {
        match (self.embeds.unwrap_or_default(), self.target) {
            (Embeds::Shortcode, Some(TargetName::Hugo)) => Embeds::Shortcode,
            (Embeds::Shortcode, Some(TargetName::Hexo)) if hexo_tag_embed => Embeds::Shortcode,
            (Embeds::Shortcode, _) => Embeds::Link,
            (other, _) => other,
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
