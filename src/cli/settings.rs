//! Resolving flags and the config file into one `Config`, once.

use super::args::Common;
use mdmigrate::config::{Config, Images};
use std::path::Path;

/// Defaults < config file (given, or the nearest one above `start`) < flags.
pub fn resolve(common: &Common, start: &Path) -> Result<Config, String> {
    let file = match &common.config {
        Some(path) => Some(Config::load(path).map_err(|e| e.to_string())?),
        None => match Config::discover(start) {
            Some(path) => Some(Config::load(&path).map_err(|e| e.to_string())?),
            None => None,
        },
    };
    let flags = Config {
        target: common.target,
        front_matter: common.front_matter,
        project_links: common.project_links,
        body: common.body,
        encoding: common.encoding,
        eol: common.eol,
        max_size: common.max_size,
        max_depth: common.max_depth,
        drop_cover_duplicate: common.drop_cover_duplicate.then_some(true),
        captions: common.captions,
        embeds: common.embeds,
        old_permalink: common
            .old_permalink
            .clone()
            .map(mdmigrate::site::OldPermalink::Pattern),
        images: Images {
            mode: common.images,
            ..Images::default()
        },
        ..Config::default()
    };
    let merged = Config::defaults()
        .merge(file.unwrap_or_default())
        .merge(flags);
    merged.site_rules()?;
    Ok(merged)
}

/// A stable fingerprint of the settings, for the resume journal.
pub fn fingerprint(config: &Config) -> String {
    mdmigrate::batch::journal::hash(config.to_toml().as_bytes())
}
