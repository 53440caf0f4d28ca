//! What `migrate` and `fmt` share: running the batch with a progress bar
//! and Ctrl-C handling, printing errors and the summary, writing reports,
//! and choosing the exit code.

use super::output::{self, Exit};
use super::progress::Bar;
use mdmigrate::batch::{self, Destination, Settings, Silent, discover::Job};
use mdmigrate::report::{self, PostRecord, Run, Status, Totals};
use std::path::PathBuf;
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
}

/// Runs the batch; Ctrl-C stops dispatching and lets in-flight files finish.
pub fn execute(jobs: &[Job], dest: &Destination, settings: &Settings, quiet: bool) -> Finished {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    let _ = ctrlc::set_handler(move || handler_stop.store(true, Ordering::SeqCst));
    let started = Instant::now();
    let bar = Bar::for_terminal(quiet);
    let batch::Finished {
        records,
        statuses,
        totals,
    } = match &bar {
        Some(b) => batch::run(jobs, dest, settings, b, &stop),
        None => batch::run(jobs, dest, settings, &Silent, &stop),
    };
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
    }
}

/// Prints each failure (and, verbose, each file's diagnostics) on stderr.
pub fn print_problems(records: &[PostRecord], verbose: bool) {
    for r in records {
        match r.status {
            Status::Failed => output::error(format!(
                "{}: {}",
                r.path,
                r.error.as_deref().unwrap_or("failed")
            )),
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
        if verbose {
            for d in &r.diagnostics {
                output::note(format!("{}: {}: {}", r.path, d.code, d.message));
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
    if !t.rules_fired.is_empty() {
        let rules: Vec<String> = t
            .rules_fired
            .iter()
            .map(|(k, v)| format!("{k} ×{v}"))
            .collect();
        output::note(format!("rules fired: {}", rules.join(", ")));
    }
}

/// Writes the reports asked for, by extension (.json ledger, .html page).
pub fn write_reports(paths: &[PathBuf], command: &str, finished: &Finished) -> Exit {
    let mut exit = Exit::Ok;
    for path in paths {
        let run = Run {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            command: command.to_owned(),
            totals: finished.totals.clone(),
            posts: finished.records.clone(),
        };
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => report::ledger::to_json(&run),
            Some("html" | "htm") => report::page::to_html(&run),
            _ => {
                exit = exit.max(output::fail(format!(
                    "{}: a report must end in .json or .html",
                    path.display()
                )));
                continue;
            }
        };
        if let Err(e) = batch::write::write_atomic(path, text.as_bytes()) {
            exit = exit.max(output::fail(format!("{}: {e}", path.display())));
        }
    }
    exit
}

/// The exit code a finished batch deserves.
pub fn exit_code(finished: &Finished, changes_matter: bool) -> Exit {
    let t = &finished.totals;
    if finished.interrupted {
        Exit::Interrupted
    } else if t.failed > 0 || (!changes_matter && t.lossy > 0) {
        Exit::Error
    } else if changes_matter && (t.converted > 0 || t.lossy > 0) {
        Exit::Changes
    } else {
        Exit::Ok
    }
}

/// Worker threads: the flag, else every core.
pub fn jobs(flag: Option<usize>) -> usize {
    flag.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
