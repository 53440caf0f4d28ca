//! `mdmigrate migrate SRC --out DIR`: a whole archive into a new tree.

use super::args::ImageArgs;
use super::args::MigrateArgs;
use super::output::{self, Exit};
use super::{batch_run, settings};
use mdmigrate::assets::CachePolicy;
use mdmigrate::batch::discover::{Filter, discover};
use mdmigrate::batch::{Destination, Mode, Settings};
use mdmigrate::config::{Config, ImageMode, Rewrite};
use mdmigrate::report::Status;

pub fn run(args: MigrateArgs) -> Exit {
    let mut config = match settings::resolve(&args.common, &args.src) {
        Ok(c) => c,
        Err(e) => return output::fail(e),
    };
    if !args.include.is_empty() {
        config.include = args.include.clone();
    }
    config.exclude.extend(args.batch.exclude.iter().cloned());
    if let Err(e) = apply_image_flags(&mut config, &args.images) {
        return output::fail(e);
    }
    if args.common.dump_config {
        return output::print_or_fail(&config.to_toml());
    }
    // An export file (issue 15) is staged as posts; a folder is walked.
    let mut staged = if args.src.is_file() {
        match super::migrate_export::stage_export(&args, &config) {
            Ok(staged) => Some(staged),
            Err(exit) => return exit,
        }
    } else {
        None
    };
    let jobs = match &mut staged {
        Some(s) => std::mem::take(&mut s.jobs),
        None if !args.src.is_dir() => {
            return output::fail(format!(
                "{}: not a folder or an export file",
                args.src.display()
            ));
        }
        None => {
            let filter = match Filter::new(&config.include, &config.exclude) {
                Ok(f) => f,
                Err(e) => return output::fail(e),
            };
            let (jobs, skipped) = discover(&args.src, &filter);
            for s in &skipped {
                output::warn(format!("{}: skipped: {}", s.path.display(), s.reason));
            }
            jobs
        }
    };
    let dry = args.dry_run || args.diff;
    let cache = if args.images.offline {
        CachePolicy::Offline
    } else if args.images.refresh {
        CachePolicy::Refresh
    } else {
        CachePolicy::Use
    };
    let images = match config.image_plan(&args.out, &args.images.resolve, cache) {
        Ok(plan) => plan,
        Err(e) => return output::fail(e),
    };
    let settings = Settings {
        images,
        post: config.post_options(),
        mode: if dry { Mode::Check } else { Mode::Write },
        allow_lossy: args.batch.allow_lossy,
        jobs: batch_run::jobs(args.batch.jobs),
        resume: args.resume,
        config_hash: settings::fingerprint(&config),
        keep_records: args.diff || !args.report.is_empty() || args.common.verbose,
    };
    let dest = Destination::Mirror {
        out_dir: args.out.clone(),
    };
    let finished = batch_run::execute(&jobs, &dest, &settings, args.common.quiet);
    if args.diff {
        let mut text = String::new();
        for r in finished
            .records
            .iter()
            .filter(|r| r.status == Status::Converted)
        {
            text.push_str(&r.diff());
        }
        if let Err(e) = output::print_stdout(&text) {
            return output::fail(format!("writing stdout: {e}"));
        }
    }
    batch_run::print_problems(&finished.records, args.common.verbose);
    let verb = if dry { "would be written" } else { "written" };
    batch_run::print_summary(verb, &finished.totals, args.common.quiet);
    let command = if dry { "migrate --dry-run" } else { "migrate" };
    let report_exit = batch_run::write_reports(&args.report, command, &finished);
    let templates_exit = if dry {
        Exit::Ok
    } else {
        write_templates(&config, args.site_root.as_deref().unwrap_or(&args.out))
    };
    batch_run::exit_code(&finished, false)
        .max(report_exit)
        .max(templates_exit)
        .max(staged.map_or(Exit::Ok, |s| s.exit))
}

/// Writes the target's shortcode templates under the site root; an
/// existing file with other contents is left alone, with a warning.
fn write_templates(config: &Config, site_root: &std::path::Path) -> Exit {
    let shortcodes = config.shortcodes();
    let refs: Vec<&mdmigrate::lower::site::Action> = shortcodes.iter().collect();
    let mut exit = Exit::Ok;
    for (rel, text) in mdmigrate::site_templates::templates(config.site_syntax(), &refs) {
        let path = site_root.join(&rel);
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == text => continue,
            Ok(_) => {
                output::warn(format!(
                    "{}: exists with other contents; not overwritten",
                    path.display()
                ));
                continue;
            }
            Err(_) => {}
        }
        if let Err(e) = mdmigrate::batch::write::write_atomic(&path, text.as_bytes()) {
            exit = exit.max(output::fail(format!("{}: {e}", path.display())));
        }
    }
    exit
}

/// Image flags over the config file's `[images]`.
fn apply_image_flags(config: &mut Config, flags: &ImageArgs) -> Result<(), String> {
    let images = &mut config.images;
    if flags.assets_dir.is_some() {
        images.assets_dir = flags.assets_dir.clone();
    }
    if flags.assets_url.is_some() {
        images.assets_url = flags.assets_url.clone();
    }
    if let Some(layout) = flags.image_layout {
        if images.mode != Some(ImageMode::Download) {
            return Err("--image-layout applies to --images download".into());
        }
        images.layout = Some(layout);
    }
    if !flags.mirrors.is_empty() {
        images.mirrors = flags.mirrors.clone();
    }
    if !flags.rewrite.is_empty() {
        images.rewrite = flags
            .rewrite
            .iter()
            .map(|r| {
                let (from, to) = r
                    .split_once('=')
                    .ok_or_else(|| format!("bad --image-rewrite {r:?}: expected FROM=TO"))?;
                Ok(Rewrite {
                    from: from.to_owned(),
                    to: to.to_owned(),
                })
            })
            .collect::<Result<_, String>>()?;
    }
    images.allow_hosts.extend(flags.allow_hosts.iter().cloned());
    if flags.allow_svg {
        images.allow_svg = Some(true);
    }
    if flags.image_retries.is_some() {
        images.retries = flags.image_retries;
    }
    Ok(())
}
