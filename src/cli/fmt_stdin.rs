//! `mdmigrate fmt -`: a post on stdin, formatted to stdout (as ruff,
//! prettier and mdformat do for editors). `--stdin-filename` names it: its
//! mdmigrate.toml is used, its extension decides how it is read, with
//! `--force-exclude` an excluded name passes through unchanged, and
//! messages and diffs name it. It runs the same batch pipeline as files
//! (from a private temporary copy, never written back), so stdin is
//! checked for lost content exactly as a file would be.

use super::args::FmtArgs;
use super::batch_run;
use super::fmt::{offline_images, typed_rel};
use super::input::{Input, STDIN_NAME};
use super::output::{self, Exit};
use super::settings::{self, Command};
use mdmigrate::batch::discover::{Filter, Job};
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::batch::{Destination, Mode};
use mdmigrate::config::Config;
use mdmigrate::report::Status;
use std::path::Path;

pub fn run(args: &FmtArgs) -> Exit {
    if args.paths.len() > 1 || args.files_from.is_some() || !args.report.is_empty() {
        return output::fail(
            "`-` reads one post from stdin: give it alone (no other paths, --files-from or --report)",
        );
    }
    let input = Input::Stdin(args.stdin_filename.clone());
    let layer = settings::fmt_layer(&args.common, &args.batch);
    let config = match settings::resolve(&args.common, layer, input.config_start(), Command::Fmt) {
        Ok(c) => c,
        Err(e) => return output::fail(e),
    };
    if args.common.dump_config {
        return output::print_or_fail(&config.to_toml());
    }
    let bytes = match input.read() {
        Ok(b) => b,
        Err(e) => return output::fail(format!("{}: cannot read: {e}", input.name())),
    };
    let (excluded, images) = match excluded_and_images(&config, &input) {
        Ok(found) => found,
        Err(e) => return output::fail(e),
    };
    let mode = settings::mode(args.check, args.diff, &args.batch);
    if args.force_exclude && excluded {
        // As ruff: an excluded file is passed through, not formatted.
        return if mode.writes() {
            output::print_bytes_or_fail(&bytes)
        } else {
            Exit::Ok
        };
    }
    // Never writes: the diff mode keeps the formatted text in the record.
    let batch_mode = if mode.writes() { Mode::Diff } else { mode };
    let settings = settings::batch(&config, images, batch_mode, &args.batch, true);
    let finished = match format_copy(&bytes, &input, &settings) {
        Ok(f) => f,
        Err(e) => return output::fail(format!("{}: {e}", input.name())),
    };
    batch_run::print_problems(&finished.records, args.common.verbose, args.common.quiet);
    if let Err(e) = print_result(mode, &finished, args.batch.allow_lossy) {
        return output::fail(format!("writing stdout: {e}"));
    }
    batch_run::exit_code(&finished, !mode.writes())
}

/// Whether the config excludes the path stdin stands for, and the image
/// plan (offline).
fn excluded_and_images(config: &Config, input: &Input) -> Result<(bool, ImagePlan), String> {
    let filter = Filter::new(&config.include, &config.exclude)?;
    let excluded = input.path().is_some_and(|p| filter.excluded(&typed_rel(p)));
    Ok((excluded, offline_images(config)?))
}

/// Runs the batch over a private temporary copy of stdin, named as
/// `--stdin-filename` (so `.html` reads as HTML); its record is named as
/// the input.
fn format_copy(
    bytes: &[u8],
    input: &Input,
    settings: &mdmigrate::batch::Settings,
) -> std::io::Result<batch_run::Finished> {
    let dir = tempfile::tempdir()?;
    let file_name = input
        .path()
        .and_then(Path::file_name)
        .unwrap_or(std::ffi::OsStr::new("stdin.md"));
    let copy = dir.path().join(file_name);
    std::fs::write(&copy, bytes)?;
    let name = match input.path() {
        Some(p) => typed_rel(p),
        None => STDIN_NAME.to_owned(),
    };
    let job = Job {
        input: copy,
        rel: name,
        notes: Vec::new(),
    };
    Ok(batch_run::execute(
        &[job],
        &Destination::InPlace,
        settings,
        true,
        &batch_run::reports_for(&[]).map_err(std::io::Error::other)?,
    ))
}

/// Write mode prints the formatted post (nothing when it failed or would
/// lose content without --allow-lossy); check and diff print as for files.
fn print_result(
    mode: Mode,
    finished: &batch_run::Finished,
    allow_lossy: bool,
) -> std::io::Result<()> {
    let Some(record) = finished.records.first() else {
        return Ok(());
    };
    if !mode.writes() {
        let changed: Vec<&str> = match record.status {
            Status::Converted | Status::Lossy => vec![record.path.as_str()],
            _ => Vec::new(),
        };
        return batch_run::print_changes(mode, finished, &changed);
    }
    let writable = match record.status {
        Status::Converted | Status::Unchanged => true,
        Status::Lossy => allow_lossy,
        Status::Failed | Status::Skipped => false,
    };
    match &record.after {
        Some(text) if writable => output::print_stdout(text),
        _ => Ok(()),
    }
}
