//! One HTML body in, Markdown out: parse → lower → transform → write.
//!
//! This is the library's front door for a single body. It does not read
//! files or front matter (see `source` and `post`), and never prints.

use crate::diagnostic::Diagnostic;
use crate::html::{self, Limits, ParseError};
use crate::lower::media::Embeds;
use crate::lower::site::{self, Action, SiteRule};
use crate::lower::{self, Captions, ProjectLinks};
use crate::md::writer;
pub use crate::md::writer::SiteSyntax;
use crate::transform;
pub use crate::transform::images::ImageMap;
use std::sync::Arc;

/// Everything that changes how a body converts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub project_links: ProjectLinks,
    pub limits: Limits,
    /// Where image references point instead (rewrite rules, downloads).
    pub images: Option<ImageMap>,
    /// Where relative link targets point instead (a post moved into a
    /// page bundle reaching the same carried file).
    pub links: Option<ImageMap>,
    /// Site rules from the config, tried before the built-in preset.
    pub rules: Arc<Vec<SiteRule>>,
    /// The shortcode 36kr project links become with `--project-links shortcode`.
    pub project_shortcode: Option<Action>,
    /// How the target site spells shortcodes and escapes template syntax.
    pub site: SiteSyntax,
    /// The first body image with this source is dropped (the cover's duplicate).
    pub drop_image: Option<String>,
    pub captions: Captions,
    /// What embeds become, resolved for the target: `Shortcode` only where
    /// the target has a video shortcode (Hugo; Hexo with hexo-tag-embed).
    pub embeds: Embeds,
    /// Also read the source side of the round-trip check off the parsed
    /// tree ([`Conversion::source`]), so verifying need not parse it again.
    pub read_source: bool,
    /// The site omits raw HTML (Hugo whose own config leaves goldmark's
    /// `unsafe` off): verification reads the Markdown so.
    pub omits_raw_html: bool,
}

impl Options {
    /// The rules lowering applies: the config's, then the 36kr preset.
    /// Without rules of the config's own or a shortcode of its own, the
    /// preset is built once per run and shared (every post asks).
    pub fn site_rules(&self) -> Arc<Vec<SiteRule>> {
        if self.rules.is_empty() && self.project_shortcode.is_none() {
            return preset_only(self.project_links);
        }
        let shortcode = self
            .project_shortcode
            .clone()
            .unwrap_or_else(site::default_project_shortcode);
        let mut rules: Vec<SiteRule> = self.rules.as_ref().clone();
        rules.extend(site::preset_36kr(self.project_links, &shortcode));
        Arc::new(rules)
    }

    /// What embeds become here: a shortcode only for a target that spells
    /// video shortcodes (Hugo, Hexo), else a link.
    pub fn effective_embeds(&self) -> Embeds {
        match (self.embeds, self.site) {
            (Embeds::Shortcode, SiteSyntax::Hugo | SiteSyntax::Hexo) => Embeds::Shortcode,
            (Embeds::Shortcode, _) => Embeds::Link,
            (other, _) => other,
        }
    }
}

/// The 36kr preset alone, for `links`, built once.
fn preset_only(links: ProjectLinks) -> Arc<Vec<SiteRule>> {
    static PRESETS: std::sync::LazyLock<[Arc<Vec<SiteRule>>; 4]> = std::sync::LazyLock::new(|| {
        let shortcode = site::default_project_shortcode();
        [
            ProjectLinks::Link,
            ProjectLinks::Text,
            ProjectLinks::Keep,
            ProjectLinks::Shortcode,
        ]
        .map(|links| Arc::new(site::preset_36kr(links, &shortcode)))
    });
    let index = match links {
        ProjectLinks::Link => 0,
        ProjectLinks::Text => 1,
        ProjectLinks::Keep => 2,
        ProjectLinks::Shortcode => 3,
    };
    Arc::clone(&PRESETS[index])
}

/// A converted body.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub markdown: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Every image source of the body (before any rewrite), once each.
    pub images: Vec<String>,
    /// The source side of the round-trip check, when asked for.
    pub source: Option<crate::verify::Source>,
}

/// Converts an HTML body (fragment or page) to Markdown.
pub fn convert_html(html: &str, options: &Options) -> Result<Conversion, ParseError> {
    let parsed = html::parse(html, options.limits)?;
    let lower_options = lower::Options {
        rules: options.site_rules(),
        captions: options.captions,
        embeds: options.effective_embeds(),
    };
    let (mut doc, lower_diags) = lower::lower(&parsed.root, &lower_options);
    let source = options
        .read_source
        .then(|| crate::verify::read_source(&parsed.root, &options.into()));
    let outcome = transform::run(
        &mut doc,
        transform::Maps {
            images: options.images.as_ref(),
            links: options.links.as_ref(),
        },
        options.drop_image.as_deref(),
    );
    let markdown = writer::write(&doc, options.site);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(lower_diags);
    if outcome.dropped_cover {
        diagnostics.push(Diagnostic::info(
            "dropped-cover-duplicate",
            "the first body image repeated the cover and was dropped",
        ));
    }
    let images = outcome.images;
    Ok(Conversion {
        markdown,
        diagnostics,
        images,
        source,
    })
}
