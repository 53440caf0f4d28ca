//! What `migrate` and `fmt` share: running the batch with a progress bar
//! and Ctrl-C handling, printing errors and the summary, writing reports,
//! and choosing the exit code.

use super::advice::with_hint;
use super::output::{self, Exit};
use super::progress::Bar;
use mdmigrate::batch::Mode;
use mdmigrate::batch::write::{Guard, write_guarded_with};
use mdmigrate::batch::{self, Destination, Progress, Settings, discover::Job};
use mdmigrate::report::ledger::Head;
use mdmigrate::report::stream::Reports;
use mdmigrate::report::{self, FileRecord, PostRecord, Status, Totals};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The outcome of a batch, ready to print.
pub struct Finished {
    /// See [`batch::Finished::records`].
    pub records: Vec<PostRecord>,
    /// Every job's status, in job order.
    pub statuses: Vec<Status>,
    pub totals: Totals,
    pub interrupted: bool,
    /// Carried files worth a line (`migrate` only; see `Run::files`).
    pub files: Vec<FileRecord>,
}

/// What sees each finished post: the progress bar, if any, and the
/// streaming reports.
struct Observer<'a> {
    bar: Option<&'a Bar>,
    reports: &'a Reports,
    quiet: bool,
}

impl Progress for Observer<'_> {
    fn start(&self, total: usize) {
        if let Some(bar) = self.bar {
            bar.start(total);
        }
    }

    fn finished_nth(&self, index: usize, record: &PostRecord) {
        if let Some(bar) = self.bar {
            bar.finished(record);
        }
        self.reports.add(index, record);
    }

    fn image(&self, event: &mdmigrate::assets::ProgressEvent<'_>) {
        if let Some(bar) = self.bar {
            bar.image(event);
        }
        if let mdmigrate::assets::ProgressEvent::Warning(text) = event
            && !self.quiet
        {
            output::warn(text.clone());
        }
    }
}

/// The streaming reports `paths` ask for (by extension); the names were
/// checked by the preflight.
pub fn reports_for(paths: &[PathBuf]) -> Result<Reports, String> {
    let has = |exts: &[&str]| {
        paths.iter().any(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
    };
    Reports::new(has(&["json"]), has(&["html", "htm"]))
        .map_err(|e| format!("cannot open a temporary file for the reports: {e}"))
}

/// Runs the batch; Ctrl-C stops dispatching and lets in-flight files finish.
pub fn execute(
    jobs: &[Job],
    dest: &Destination,
    settings: &Settings,
    quiet: bool,
    reports: &Reports,
) -> Finished {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    let _ = ctrlc::set_handler(move || handler_stop.store(true, Ordering::SeqCst));
    let started = Instant::now();
    let bar = Bar::for_terminal(quiet);
    let observer = Observer {
        bar: bar.as_ref(),
        reports,
        quiet,
    };
    let batch::Finished {
        records,
        statuses,
        totals,
    } = batch::run(jobs, dest, settings, &observer, &stop);
    if let Some(b) = &bar {
        b.clear();
    }
    Finished {
        records,
        statuses,
        totals: Totals {
            seconds: started.elapsed().as_secs_f64(),
            ..totals
        },
        interrupted: stop.load(Ordering::SeqCst),
        files: Vec::new(),
    }
}

/// What a check or diff run prints: the unified diff of every post that
/// would change on stdout (diff modes), and the list of them (`changed`,
/// as the user names them), on stdout in check mode or on stderr next to
/// a diff, so stdout stays a patch.
pub fn print_changes(mode: Mode, finished: &Finished, changed: &[&str]) -> std::io::Result<()> {
    if mode.diffs() {
        let diff: String = finished
            .records
            .iter()
            .filter(|r| matches!(r.status, Status::Converted | Status::Lossy))
            .map(PostRecord::diff)
            .collect();
        output::print_diff(&diff)?;
    }
    match mode {
        Mode::Check => {
            let list: String = changed.iter().map(|rel| format!("{rel}\n")).collect();
            output::print_stdout(&list)?;
        }
        Mode::CheckDiff => {
            for rel in changed {
                output::note(format!("would change: {rel}"));
            }
        }
        Mode::Write | Mode::Diff => {}
    }
    Ok(())
}

/// The jobs whose posts would change (or did), as the user names them;
/// from the statuses, so it needs no whole records.
pub fn changed<'a>(jobs: &'a [Job], finished: &Finished) -> Vec<&'a str> {
    jobs.iter()
        .zip(&finished.statuses)
        .filter(|(_, s)| matches!(s, Status::Converted | Status::Lossy))
        .map(|(job, _)| job.rel.as_str())
        .collect()
}

/// Prints each carried file that could not be carried.
pub fn print_file_problems(files: &[FileRecord]) {
    for f in files.iter().filter(|f| f.status == "failed") {
        output::error(format!(
            "{}: {}",
            f.path,
            f.error.as_deref().unwrap_or("failed")
        ));
    }
}

/// How many failed images stderr lists without `-v`.
const FIRST_FAILED_IMAGES: usize = 5;

/// Lists failed images (URL, post, kind of reason): the first few, with a
/// count of the rest, or every one with `-v`; none with `-q`.
pub fn print_failed_images(records: &[PostRecord], verbose: bool, quiet: bool) {
    if quiet {
        return;
    }
    let failed: Vec<(&str, &report::ImageRecord)> = records
        .iter()
        .flat_map(|r| {
            r.images
                .iter()
                .filter(|i| i.status == "failed")
                .map(move |i| (r.path.as_str(), i))
        })
        .collect();
    let shown = if verbose {
        failed.len()
    } else {
        FIRST_FAILED_IMAGES
    };
    for (post, image) in failed.iter().take(shown) {
        output::warn(format!(
            "{post}: image failed ({}): {}: {}",
            image.kind.as_deref().unwrap_or("unknown"),
            image.url,
            image.reason.as_deref().unwrap_or("")
        ));
    }
    if failed.len() > shown {
        output::note(format!(
            "… and {} more failed images (all of them with -v or in --report)",
            failed.len() - shown
        ));
    }
}

/// Prints each failure (with the flag that fixes it, when one does) on
/// stderr; verbose, every file with its status and diagnostics; else,
/// unless quiet, broken references.
pub fn print_problems(records: &[PostRecord], verbose: bool, quiet: bool) {
    for r in records {
        if verbose {
            output::note(format!("{}: {}", r.path, r.status.as_str()));
        }
        match r.status {
            Status::Failed => output::error(with_hint(format!(
                "{}: {}",
                r.path,
                r.error.as_deref().unwrap_or("failed")
            ))),
            Status::Lossy => {
                output::error(format!(
                    "{}: conversion would lose content; not written (use --allow-lossy):",
                    r.path
                ));
                for d in &r.verification {
                    output::note(format!("  {d}"));
                }
            }
            _ => {}
        }
        for d in &r.diagnostics {
            if verbose {
                output::note(format!("{}: {}: {}", r.path, d.code, d.message));
            } else if d.code == "broken-reference" && !quiet {
                output::warn(format!("{}: {}: {}", r.path, d.code, d.message));
            }
        }
    }
}

/// The one-line summary on stderr.
pub fn print_summary(verb: &str, t: &Totals, quiet: bool) {
    if quiet {
        return;
    }
    let rate = if t.seconds > 0.0 {
        t.posts as f64 / t.seconds
    } else {
        0.0
    };
    let mut line = format!(
        "{} posts: {} {verb}, {} unchanged, {} failed, {} lossy, {} skipped in {:.2} s ({:.0} posts/s)",
        t.posts, t.converted, t.unchanged, t.failed, t.lossy, t.skipped, t.seconds, rate
    );
    if t.images_downloaded + t.images_reused + t.images_failed > 0 {
        line.push_str(&format!(
            "; images: {} downloaded, {} reused, {} failed",
            t.images_downloaded, t.images_reused, t.images_failed
        ));
    }
    output::note(line);
    if t.copied + t.copy_failed + t.hidden_skipped > 0 {
        output::note(format!(
            "other files: {} {}, {} failed; {} dot-files and dot-folders skipped",
            t.copied,
            if verb == "written" {
                "copied"
            } else {
                "would be copied"
            },
            t.copy_failed,
            t.hidden_skipped
        ));
    }
    if !t.rules_fired.is_empty() {
        let rules: Vec<String> = t
            .rules_fired
            .iter()
            .map(|(k, v)| format!("{k} ×{v}"))
            .collect();
        output::note(format!("rules fired: {}", rules.join(", ")));
    }
}

/// Writes the reports asked for, by extension (.json ledger, .html page),
/// each atomically, streamed from the spools the run filled.
pub fn write_reports(
    paths: &[PathBuf],
    command: &str,
    finished: &Finished,
    reports: &Reports,
    guard: &Guard,
) -> Exit {
    let head = Head {
        tool_version: env!("CARGO_PKG_VERSION"),
        command,
    };
    let mut exit = Exit::Ok;
    for path in paths {
        let (totals, files) = (&finished.totals, finished.files.as_slice());
        let written = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => write_report(path, guard, |out| {
                reports.write_ledger(&head, totals, files, out)
            }),
            Some("html" | "htm") => write_report(path, guard, |out| {
                reports.write_page(&head, totals, files, out)
            }),
            _ => Err(std::io::Error::other("a report must end in .json or .html")),
        };
        if let Err(e) = written {
            exit = exit.max(output::fail(format!("{}: {e}", path.display())));
        }
    }
    exit
}

/// One report file, written atomically through a buffer.
fn write_report(
    path: &Path,
    guard: &Guard,
    body: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_guarded_with(path, guard, |file| {
        let mut out = std::io::BufWriter::new(file);
        body(&mut out)?;
        std::io::Write::flush(&mut out)
    })
}

/// The exit code a finished batch deserves.
pub fn exit_code(finished: &Finished, changes_matter: bool) -> Exit {
    let t = &finished.totals;
    if finished.interrupted {
        Exit::Interrupted
    } else if t.failed > 0 || t.copy_failed > 0 || (!changes_matter && t.lossy > 0) {
        Exit::Error
    } else if changes_matter && (t.converted > 0 || t.lossy > 0 || t.copied > 0) {
        Exit::Changes
    } else {
        Exit::Ok
    }
}
