//! `mdmigrate fmt [PATHS]`: normalize posts in place, or --check / --diff.

use super::args::FmtArgs;
use super::output::{self, Exit};
use super::{batch_run, settings};
use mdmigrate::batch::discover::{Filter, Job, discover, relative};
use mdmigrate::batch::write::Guard;
use mdmigrate::batch::{Destination, Mode, Settings};
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub fn run(args: FmtArgs) -> Exit {
    let mut config = match settings::resolve(&args.common, Path::new(".")) {
        Ok(c) => c,
        Err(e) => return output::fail(e),
    };
    config.exclude.extend(args.batch.exclude.iter().cloned());
    if args.common.dump_config {
        return output::print_or_fail(&config.to_toml());
    }
    let filter = match Filter::new(&config.include, &config.exclude) {
        Ok(f) => f,
        Err(e) => return output::fail(e),
    };
    let mut paths = args.paths.clone();
    if let Some(list) = &args.files_from {
        match read_list(list) {
            Ok(more) => paths.extend(more),
            Err(e) => return output::fail(format!("{}: {e}", list.display())),
        }
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let jobs = collect_jobs(&paths, &filter, args.force_exclude);
    let mode = Mode::from_flags(args.check, args.diff);
    let checking = !mode.writes();
    let settings = Settings {
        // Offline: fmt rewrites image references by rules, never downloads.
        images: match config.image_plan(
            Path::new("."),
            &[],
            mdmigrate::assets::CachePolicy::Offline,
        ) {
            Ok(mdmigrate::batch::images::ImagePlan::Download { .. }) | Err(_) => {
                mdmigrate::batch::images::ImagePlan::Keep
            }
            Ok(plan) => plan,
        },
        post: config.post_options(),
        mode,
        allow_lossy: args.batch.allow_lossy,
        jobs: batch_run::jobs(args.batch.jobs),
        resume: false,
        config_hash: settings::fingerprint(&config),
        keep_records: mode.diffs() || args.common.verbose,
    };
    let reports = match batch_run::reports_for(&args.report) {
        Ok(r) => r,
        Err(e) => return output::fail(e),
    };
    let finished = batch_run::execute(
        &jobs,
        &Destination::InPlace,
        &settings,
        args.common.quiet,
        &reports,
    );
    let changed = batch_run::changed(&jobs, &finished);
    if let Err(e) = batch_run::print_changes(mode, &finished, &changed) {
        return output::fail(format!("writing stdout: {e}"));
    }
    batch_run::print_problems(&finished.records, args.common.verbose, args.common.quiet);
    let verb = if checking {
        "would change"
    } else {
        "reformatted"
    };
    batch_run::print_summary(verb, &finished.totals, args.common.quiet);
    if checking && !changed.is_empty() && !args.common.quiet {
        output::note(format!(
            "run `mdmigrate fmt {}` to fix",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    let report_exit = batch_run::write_reports(
        &args.report,
        match mode {
            Mode::Write => "fmt",
            Mode::Check => "fmt --check",
            Mode::Diff => "fmt --diff",
            Mode::CheckDiff => "fmt --check --diff",
        },
        &finished,
        &reports,
        &Guard::none(),
    );
    batch_run::exit_code(&finished, checking).max(report_exit)
}

/// Files named directly are taken as they are (unless --force-exclude);
/// folders are searched with the include and exclude globs.
fn collect_jobs(paths: &[PathBuf], filter: &Filter, force_exclude: bool) -> Vec<Job> {
    let mut jobs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let (found, skipped) = discover(path, filter);
            for s in skipped {
                output::warn(format!("{}: skipped: {}", s.path.display(), s.reason));
            }
            jobs.extend(found.into_iter().map(|j| Job {
                rel: display_path(path, &j.rel),
                input: j.input,
            }));
        } else {
            let rel = path.to_string_lossy().replace('\\', "/");
            let rel = rel.strip_prefix("./").unwrap_or(&rel).to_owned();
            if force_exclude && filter.excluded(&rel) {
                continue;
            }
            jobs.push(Job {
                input: path.clone(),
                rel,
            });
        }
    }
    jobs.sort_by(|a, b| a.rel.cmp(&b.rel));
    jobs.dedup_by(|a, b| a.rel == b.rel);
    jobs
}

/// The path a user would type for a file found under `root`.
fn display_path(root: &Path, rel: &str) -> String {
    let root =
        relative(Path::new("."), root).unwrap_or_else(|| root.to_string_lossy().into_owned());
    if root.is_empty() || root == "." {
        rel.to_owned()
    } else {
        format!("{}/{rel}", root.trim_end_matches('/'))
    }
}

fn read_list(list: &Path) -> std::io::Result<Vec<PathBuf>> {
    let lines: Vec<String> = if list == Path::new("-") {
        std::io::stdin().lock().lines().collect::<Result<_, _>>()?
    } else {
        std::fs::read_to_string(list)?
            .lines()
            .map(str::to_owned)
            .collect()
    };
    Ok(lines
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect())
}
