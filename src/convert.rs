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
    /// Every post of a run asks (lowering and verification alike) with the
    /// same settings: the list is built once per thread for them and
    /// shared.
    pub fn site_rules(&self) -> Arc<Vec<SiteRule>> {
        thread_local! {
            static LAST: std::cell::RefCell<Option<(RulesKey, Arc<Vec<SiteRule>>)>> =
                const { std::cell::RefCell::new(None) };
        }
        let key = RulesKey {
            config: Arc::clone(&self.rules),
            project_links: self.project_links,
            shortcode: self.project_shortcode.clone(),
        };
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            match last.as_ref() {
                Some((seen, rules)) if *seen == key => Arc::clone(rules),
                _ => {
                    let rules = Arc::new(self.merged_site_rules());
                    *last = Some((key, Arc::clone(&rules)));
                    rules
                }
            }
        })
    }

    fn merged_site_rules(&self) -> Vec<SiteRule> {
        let shortcode = self
            .project_shortcode
            .clone()
            .unwrap_or_else(site::default_project_shortcode);
        let mut rules: Vec<SiteRule> = self.rules.as_ref().clone();
        rules.extend(site::preset_36kr(self.project_links, &shortcode));
        rules
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

/// What a site rule list is built from. The config's list is held (so
/// its address cannot be reused while the key lives) and compared by
/// address: an `Arc`'s list does not change.
struct RulesKey {
    config: Arc<Vec<SiteRule>>,
    project_links: ProjectLinks,
    shortcode: Option<Action>,
}

impl PartialEq for RulesKey {
    fn eq(&self, other: &RulesKey) -> bool {
        Arc::ptr_eq(&self.config, &other.config)
            && self.project_links == other.project_links
            && self.shortcode == other.shortcode
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::site::Selector;

    fn names(rules: &[SiteRule]) -> Vec<(String, Action)> {
        rules
            .iter()
            .map(|r| (r.name.clone(), r.action.clone()))
            .collect()
    }

    #[test]
    fn site_rules_are_shared_while_the_settings_stay_and_follow_them_when_they_change() {
        let mut options = Options::default();
        let first = options.site_rules();
        assert!(Arc::ptr_eq(&first, &options.clone().site_rules()));
        assert_eq!(names(&first), names(&options.merged_site_rules()));

        options.project_links = ProjectLinks::Text;
        let text = options.site_rules();
        assert_eq!(text[0].action, Action::Text);

        options.project_shortcode = Some(Action::Remove);
        options.project_links = ProjectLinks::Shortcode;
        assert_eq!(options.site_rules()[0].action, Action::Remove);

        options.rules = Arc::new(vec![SiteRule {
            name: "mine".into(),
            selector: Selector::parse("span.x").expect("selector"),
            action: Action::Unwrap,
        }]);
        let mine = options.site_rules();
        assert_eq!(names(&mine), names(&options.merged_site_rules()));
        assert_eq!(mine[0].name, "mine");
        assert_eq!(mine.len(), 2);
    }
}
