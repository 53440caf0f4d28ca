//! mdmigrate: migrate blog posts whose bodies are scraped HTML into clean,
//! verified Markdown.
//!
//! The pipeline reads top to bottom: `html` (parse, guarded) → `lower`
//! (DOM → Markdown AST, one rule per element) → `transform` (passes over
//! the AST) → `md::writer` (the only place that escapes and spaces) →
//! `verify` (render back and compare). `site` knows the site the posts come
//! from (old permalinks, Jekyll Liquid). The library never prints or exits.

pub mod assets;
pub mod batch;
pub mod config;
pub mod convert;
pub mod diagnostic;
pub mod export;
pub mod frontmatter;
pub mod html;
pub mod lower;
pub mod md;
pub mod post;
pub mod report;
pub mod settings;
pub mod site;
pub mod site_names;
pub mod site_templates;
pub mod source;
pub mod transform;
pub mod verify;

pub use convert::{Conversion, Options, convert_html};
