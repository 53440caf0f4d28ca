//! `mdmigrate fmt [PATHS]`: normalize posts in place, or --check / --diff;
//! `fmt -` reads stdin and writes stdout.

use super::args::FmtArgs;
use super::batch_run::{self, Finished};
use super::input::Input;
use super::output::{self, Exit};
use super::settings::{self, Command};
use super::{fmt_stdin, hints};
use mdmigrate::batch::discover::{Filter, Job, discover, relative};
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::batch::write::Guard;
use mdmigrate::batch::{Destination, Mode};
use mdmigrate::config::Config;
use mdmigrate::report::Status;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub fn run(args: FmtArgs) -> Exit {
    if args.paths.iter().any(|p| Input::is_stdin(p)) {
        return fmt_stdin::run(&args);
    }
    if args.stdin_filename.is_some() {
        return output::fail("--stdin-filename names stdin: give `-` as the path");
    }
    let layer = settings::fmt_layer(&args.common, &args.batch);
    let config = match settings::resolve(&args.common, layer, Path::new("."), Command::Fmt) {
        Ok(c) => c,
        Err(e) => return output::fail(e),
    };
    if args.common.dump_config {
        return output::print_or_fail(&config.to_toml());
    }
    let (jobs, excluded, images) = match collect(&args, &config) {
        Ok(found) => found,
        Err(e) => return output::fail(e),
    };
    let mode = settings::mode(args.check, args.diff, &args.batch);
    let keep = mode.diffs() || args.common.verbose;
    let settings = settings::batch(&config, images, mode, &args.batch, keep);
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
    let verb = if mode.writes() {
        "reformatted"
    } else {
        "would change"
    };
    batch_run::print_summary(verb, &finished.totals, args.common.quiet);
    if !args.common.quiet {
        print_hints(&args, mode, &jobs, &finished, &excluded);
    }
    let report_exit = batch_run::write_reports(
        &args.report,
        command_name(mode),
        &finished,
        &reports,
        &Guard::none(),
    );
    batch_run::exit_code(&finished, !mode.writes()).max(report_exit)
}

/// `fmt` never downloads: a `download` mode from the config keeps image
/// references as they are (rewrite rules need no network and apply; a
/// rewrite mode without rules is an error).
pub fn offline_images(config: &Config) -> Result<ImagePlan, String> {
    let plan = config.image_plan(Path::new("."), &[], mdmigrate::assets::CachePolicy::Offline)?;
    Ok(match plan {
        ImagePlan::Download { .. } => ImagePlan::Keep,
        plan => plan,
    })
}

fn command_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Write => "fmt",
        Mode::Check => "fmt --check",
        Mode::Diff => "fmt --diff",
        Mode::CheckDiff => "fmt --check --diff",
    }
}

/// What a run works on: the jobs of the paths named (and `--files-from`),
/// the files named that `--force-exclude` left out, and the image plan.
type Work = (Vec<Job>, Vec<String>, ImagePlan);

fn collect(args: &FmtArgs, config: &Config) -> Result<Work, String> {
    let images = offline_images(config)?;
    let filter = Filter::new(&config.include, &config.exclude)?;
    let mut paths = args.paths.clone();
    if let Some(list) = &args.files_from {
        paths.extend(read_list(list).map_err(|e| format!("{}: {e}", list.display()))?);
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let (jobs, excluded) = collect_jobs(&paths, &filter, args.force_exclude);
    Ok((jobs, excluded, images))
}

/// After a check: the command that fixes what `fmt` would fix, then the
/// files it would not write (lossy) and those `--force-exclude` left out.
fn print_hints(args: &FmtArgs, mode: Mode, jobs: &[Job], finished: &Finished, excluded: &[String]) {
    let with_status = |wanted: Status| -> Vec<&str> {
        jobs.iter()
            .zip(&finished.statuses)
            .filter(|(_, s)| **s == wanted)
            .map(|(j, _)| j.rel.as_str())
            .collect()
    };
    let fixable = with_status(Status::Converted);
    let lossy = with_status(Status::Lossy);
    if !mode.writes() && !fixable.is_empty() {
        output::note(format!("to fix, run: {}", fix_command(args, &fixable)));
    }
    for rel in &lossy {
        output::note(format!(
            "{}: not fixed by fmt: converting it would lose content; see what with `mdmigrate fmt --diff {}`, or write it anyway with --allow-lossy",
            rel,
            hints::shell_quote(rel)
        ));
    }
    for rel in excluded {
        output::note(format!(
            "{rel}: left out by --force-exclude (it matches an exclude); drop the exclude to format it"
        ));
    }
}

/// Files a fix command names one by one; past this, it repeats the paths
/// as they were given (fmt leaves lossy files alone, so that is safe).
const MAX_LISTED: usize = 20;

/// The command that fixes the files `fmt` would fix: those files, or the
/// paths as given when they are many (unless they came from stdin).
fn fix_command(args: &FmtArgs, fixable: &[&str]) -> String {
    let from_stdin = args.files_from.as_deref().is_some_and(Input::is_stdin);
    if fixable.len() <= MAX_LISTED || from_stdin {
        return hints::fmt_command(&args.common, &args.batch, fixable);
    }
    let mut words: Vec<String> = Vec::new();
    if args.force_exclude {
        words.push("--force-exclude".to_owned());
    }
    if let Some(list) = &args.files_from {
        words.extend(["--files-from".to_owned(), list.display().to_string()]);
    }
    let mut paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
    if paths.is_empty() && args.files_from.is_none() {
        paths.push(".".to_owned());
    }
    let named: Vec<&str> = paths.iter().map(String::as_str).collect();
    hints::fmt_command_with(&args.common, &args.batch, &words, &named)
}

/// Files named directly are taken as they are (unless --force-exclude:
/// those it excludes are returned apart); folders are searched with the
/// include and exclude globs.
fn collect_jobs(
    paths: &[PathBuf],
    filter: &Filter,
    force_exclude: bool,
) -> (Vec<Job>, Vec<String>) {
    let mut jobs = Vec::new();
    let mut excluded = Vec::new();
    for path in paths {
        if path.is_dir() {
            let (found, skipped) = discover(path, filter);
            for s in skipped {
                output::warn(format!("{}: skipped: {}", s.path.display(), s.reason));
            }
            jobs.extend(found.into_iter().map(|j| Job {
                rel: display_path(path, &j.rel),
                input: j.input,
                notes: j.notes,
            }));
        } else {
            let rel = typed_rel(path);
            if force_exclude && filter.excluded(&rel) {
                excluded.push(rel);
                continue;
            }
            jobs.push(Job {
                input: path.clone(),
                rel,
                notes: Vec::new(),
            });
        }
    }
    jobs.sort_by(|a, b| a.rel.cmp(&b.rel));
    jobs.dedup_by(|a, b| a.rel == b.rel);
    (jobs, excluded)
}

/// A file's path as typed, with `/` separators and no leading `./`, as
/// excludes match it.
pub fn typed_rel(path: &Path) -> String {
    let rel = path.to_string_lossy().replace('\\', "/");
    rel.strip_prefix("./").unwrap_or(&rel).to_owned()
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
