//! Flags and the config file, resolved once: each flag maps to one config
//! key here (one line each, in [`common_layer`] and [`image_layer`]), the
//! layers merge as defaults < file < flags, and flag combinations that
//! would do nothing are refused or warned about here, nowhere else.
//! Commands then read library settings off the merged `Config`.

use super::args::{BatchArgs, Common, ImageArgs, MigrateArgs};
use super::output;
use mdmigrate::assets::CachePolicy;
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::batch::{Mode, Settings};
use mdmigrate::config::{Config, ImageMode, Images, Rewrite, TargetName};
use std::path::Path;

/// Which command the flags were given to (some combinations differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Convert,
    Migrate,
    Fmt,
}

/// Defaults < config file (given, or the nearest one above `start`) < the
/// `flags` layer; refuses combinations that would do nothing.
pub fn resolve(
    common: &Common,
    flags: Config,
    start: &Path,
    command: Command,
) -> Result<Config, String> {
    let file = match &common.config {
        Some(path) => Some(Config::load(path).map_err(|e| e.to_string())?),
        None => match Config::discover(start) {
            Some(path) => Some(Config::load(&path).map_err(|e| e.to_string())?),
            None => None,
        },
    };
    check_flags(&flags, command)?;
    let merged = Config::defaults()
        .merge(file.unwrap_or_default())
        .merge(flags.clone());
    check_combinations(&flags, &merged)?;
    merged.site_rules()?;
    Ok(merged)
}

/// The flags every command shares, as a config layer.
pub fn common_layer(common: &Common) -> Config {
    Config {
        target: common.target.map(Into::into),
        front_matter: common.front_matter.map(Into::into),
        project_links: common.project_links.map(Into::into),
        body: common.body.map(Into::into),
        encoding: common.encoding.map(Into::into),
        eol: common.eol.map(Into::into),
        max_size: common.max_size,
        max_depth: common.max_depth,
        drop_cover_duplicate: common.drop_cover_duplicate.then_some(true),
        captions: common.captions.map(Into::into),
        embeds: common.embeds.map(Into::into),
        old_permalink: common
            .old_permalink
            .clone()
            .map(mdmigrate::site::OldPermalink::Pattern),
        images: Images {
            mode: common.images.map(Into::into),
            ..Images::default()
        },
        ..Config::default()
    }
}

/// `migrate`'s own flags over the common layer.
pub fn migrate_layer(
    common: &Common,
    include: &[String],
    batch: &BatchArgs,
    images: &ImageArgs,
) -> Result<Config, String> {
    let mut layer = common_layer(common);
    layer.include = include.to_vec();
    layer.exclude = batch.exclude.clone();
    image_layer(&mut layer.images, images)?;
    Ok(layer)
}

/// `fmt`'s own flags over the common layer.
pub fn fmt_layer(common: &Common, batch: &BatchArgs) -> Config {
    Config {
        exclude: batch.exclude.clone(),
        ..common_layer(common)
    }
}

/// Image flags as `[images]` keys.
fn image_layer(images: &mut Images, flags: &ImageArgs) -> Result<(), String> {
    images.assets_dir = flags.assets_dir.clone();
    images.assets_url = flags.assets_url.clone();
    images.layout = flags.image_layout.map(Into::into);
    images.mirrors = flags.mirrors.clone();
    images.rewrite = flags
        .rewrite
        .iter()
        .map(|r| parse_rewrite(r))
        .collect::<Result<_, _>>()?;
    images.allow_hosts = flags.allow_hosts.clone();
    images.allow_svg = flags.allow_svg.then_some(true);
    images.retries = flags.image_retries;
    images.concurrency = flags.image_concurrency;
    images.per_host = flags.per_host;
    images.timeout = flags.image_timeout;
    Ok(())
}

fn parse_rewrite(rule: &str) -> Result<Rewrite, String> {
    let (from, to) = rule
        .split_once('=')
        .ok_or_else(|| format!("bad --image-rewrite {rule:?}: expected FROM=TO"))?;
    Ok(Rewrite {
        from: from.to_owned(),
        to: to.to_owned(),
    })
}

/// Flags a command cannot honour.
fn check_flags(flags: &Config, command: Command) -> Result<(), String> {
    if flags.images.mode == Some(ImageMode::Download) && command != Command::Migrate {
        let name = if command == Command::Fmt {
            "fmt"
        } else {
            "convert"
        };
        return Err(format!(
            "`{name}` works offline: --images download applies to `migrate` only (use --images keep or rewrite)"
        ));
    }
    Ok(())
}

/// Flags that would do nothing with the merged settings: an error when
/// the flag can only be a mistake, a warning when it is merely redundant.
fn check_combinations(flags: &Config, merged: &Config) -> Result<(), String> {
    let mode = merged.images.mode.unwrap_or(ImageMode::Keep);
    let download_only = [
        ("--assets-dir", flags.images.assets_dir.is_some()),
        ("--assets-url", flags.images.assets_url.is_some()),
        ("--image-layout", flags.images.layout.is_some()),
        ("--image-mirror", !flags.images.mirrors.is_empty()),
        ("--allow-host", !flags.images.allow_hosts.is_empty()),
        ("--allow-svg", flags.images.allow_svg.is_some()),
        ("--image-retries", flags.images.retries.is_some()),
        ("--image-concurrency", flags.images.concurrency.is_some()),
        ("--per-host", flags.images.per_host.is_some()),
        ("--image-timeout", flags.images.timeout.is_some()),
    ];
    if let Some((name, _)) = download_only.iter().find(|(_, given)| *given)
        && mode != ImageMode::Download
    {
        return Err(format!(
            "{name} applies to --images download (images are {}); add --images download or drop {name}",
            mode_name(mode)
        ));
    }
    if mode != ImageMode::Rewrite && !flags.images.rewrite.is_empty() {
        return Err(format!(
            "--image-rewrite applies to --images rewrite (images are {}); add --images rewrite or drop --image-rewrite",
            mode_name(mode)
        ));
    }
    if let Some(format) = flags.front_matter {
        match merged.target.unwrap_or(TargetName::Keep) {
            TargetName::Keep => output::warn(
                "--front-matter has no effect with --target keep (the front matter is kept as it is)",
            ),
            TargetName::Zola if format != mdmigrate::config::FormatName::Toml => output::warn(
                "--front-matter yaml has no effect with --target zola (Zola reads TOML)",
            ),
            _ => {}
        }
    }
    Ok(())
}

fn mode_name(mode: ImageMode) -> &'static str {
    match mode {
        ImageMode::Keep => "kept",
        ImageMode::Rewrite => "rewritten",
        ImageMode::Download => "downloaded",
    }
}

/// `migrate`'s flags that are not config keys: those that configure
/// downloads need `--images download`; `--resume` does nothing without
/// writing (a dry run compares every post).
pub fn check_migrate_flags(merged: &Config, args: &MigrateArgs) -> Result<(), String> {
    let images = &args.images;
    let given = [
        ("--resolve", !images.resolve.is_empty()),
        ("--offline", images.offline),
        ("--refresh", images.refresh),
    ];
    if let Some((name, _)) = given.iter().find(|(_, g)| *g)
        && merged.images.mode != Some(ImageMode::Download)
    {
        return Err(format!(
            "{name} applies to --images download; add --images download or drop {name}"
        ));
    }
    if args.resume && (args.dry_run || args.diff) {
        output::warn("--resume has no effect with --dry-run or --diff: every post is compared");
    }
    Ok(())
}

/// The mode of a `--check` (`--dry-run`) and `--diff` pair, decided here
/// once; `--allow-lossy` only matters when writing, so it is warned about
/// in the other modes.
pub fn mode(check: bool, diff: bool, batch: &BatchArgs) -> Mode {
    let mode = Mode::from_flags(check, diff);
    if batch.allow_lossy && !mode.writes() {
        output::warn(
            "--allow-lossy has no effect with --check, --dry-run or --diff: nothing is written, and a lossy file is still reported",
        );
    }
    mode
}

/// `--offline` and `--refresh` (exclusive, as clap checks).
pub fn cache_policy(flags: &ImageArgs) -> CachePolicy {
    if flags.offline {
        CachePolicy::Offline
    } else if flags.refresh {
        CachePolicy::Refresh
    } else {
        CachePolicy::Use
    }
}

/// The batch settings of a `migrate` or `fmt` run.
pub fn batch(
    config: &Config,
    images: ImagePlan,
    mode: Mode,
    flags: &BatchArgs,
    keep_records: bool,
) -> Settings {
    Settings {
        images,
        post: config.post_options(),
        mode,
        allow_lossy: flags.allow_lossy,
        jobs: flags
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        resume: false,
        config_hash: fingerprint(config),
        keep_records,
    }
}

/// A stable fingerprint of the settings, for the resume journal.
pub fn fingerprint(config: &Config) -> String {
    mdmigrate::batch::journal::hash(config.to_toml().as_bytes())
}
