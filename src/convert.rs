//! One HTML body in, Markdown out: parse → lower → transform → write.
//!
//! This is the library's front door for a single body. It does not read
//! files or front matter (see `source` and `post`), and never prints.

use crate::diagnostic::Diagnostic;
use crate::html::{self, Limits, ParseError};
use crate::lower::{self, ProjectLinks};
use crate::md::writer;
use crate::transform;
pub use crate::transform::images::ImageMap;

/// Everything that changes how a body converts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub project_links: ProjectLinks,
    pub limits: Limits,
    /// Where image references point instead (rewrite rules, downloads).
    pub images: Option<ImageMap>,
}

/// A converted body.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub markdown: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Every image source of the body (before any rewrite), once each.
    pub images: Vec<String>,
}

/// Converts an HTML body (fragment or page) to Markdown.
pub fn convert_html(html: &str, options: &Options) -> Result<Conversion, ParseError> {
    let parsed = html::parse(html, options.limits)?;
    let lower_options = lower::Options {
        project_links: options.project_links,
    };
    let (mut doc, lower_diags) = lower::lower(&parsed.root, &lower_options);
    let images = transform::run(&mut doc, options.images.as_ref());
    let markdown = writer::write(&doc);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(lower_diags);
    Ok(Conversion {
        markdown,
        diagnostics,
        images,
    })
}
