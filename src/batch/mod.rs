//! Whole-archive runs: discovery, one pipeline per file, outcomes in a
//! deterministic order.
//!
//! The mode (write, check, diff, both) is decided once by the caller. Each
//! post goes through two steps, as ruff separates formatting from writing:
//! [`plan`] decides its outcome and writes nothing; [`apply`], the only
//! code that touches the output tree, carries it out in write mode. Files
//! that are not posts are planned and applied by [`carry`]. A file's
//! failure never stops the batch. Nothing here prints: a [`Progress`]
//! implementation sees each finished file.

mod apply;
pub mod carry;
pub mod discover;
pub mod error;
pub mod images;
pub mod journal;
pub mod overlap;
pub mod placement;
mod plan;
pub mod references;
pub mod write;

pub use placement::{output_path, output_rel, post_output_rel};

use crate::post::{PostOptions, body_kind_for, convert_bytes};
use crate::report::{PostRecord, Status, Totals};
use discover::Job;
use error::BatchError;
use images::{ImagePlan, PostImages, Resolved};
use journal::Journal;
use plan::{Context, failed, interrupted};
use references::References;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use write::Guard;

/// What a run may do, decided once (ruff's contract): write, or write
/// nothing and list the files that would change (check), print their
/// diff (diff), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write every changed file.
    Write,
    /// Write nothing; list what would change.
    Check,
    /// Write nothing; print a unified diff of what would change.
    Diff,
    /// Write nothing; list and diff what would change.
    CheckDiff,
}

impl Mode {
    /// The mode of a `--check`/`--dry-run` and `--diff` pair of flags.
    pub fn from_flags(check: bool, diff: bool) -> Mode {
        match (check, diff) {
            (false, false) => Mode::Write,
            (true, false) => Mode::Check,
            (false, true) => Mode::Diff,
            (true, true) => Mode::CheckDiff,
        }
    }

    /// Whether the run writes (only [`Mode::Write`]).
    pub fn writes(self) -> bool {
        self == Mode::Write
    }

    /// Whether the files that would change are listed.
    pub fn lists(self) -> bool {
        matches!(self, Mode::Check | Mode::CheckDiff)
    }

    /// Whether a unified diff is printed.
    pub fn diffs(self) -> bool {
        matches!(self, Mode::Diff | Mode::CheckDiff)
    }
}

/// Where converted files go.
#[derive(Debug, Clone)]
pub enum Destination {
    /// Over the input file (`fmt`).
    InPlace,
    /// Into a mirror of the source tree (`migrate`).
    Mirror {
        out_dir: PathBuf,
        /// SRC as given: with each [`Job::rel`], where a post came from
        /// (for steps that need the source site, e.g. its old URLs).
        src_root: Option<PathBuf>,
        /// The run's inputs, which no write may replace.
        guard: Guard,
        /// The output tree's names, for relative references.
        references: Option<Arc<References>>,
        /// Every post of the archive when the jobs are only a part of it
        /// (a shard): output collisions are found among all of them, so a
        /// shard refuses exactly the posts one whole run refuses.
        peers: Option<Arc<Vec<Job>>>,
    },
}

impl Destination {
    /// A mirror under `out_dir` guarding nothing and checking no references.
    pub fn mirror(out_dir: PathBuf) -> Destination {
        Destination::Mirror {
            out_dir,
            src_root: None,
            guard: Guard::none(),
            references: None,
            peers: None,
        }
    }
}

/// Settings of one run, resolved once.
pub struct Settings {
    pub post: PostOptions,
    pub mode: Mode,
    pub allow_lossy: bool,
    pub jobs: usize,
    pub resume: bool,
    /// Identifies the settings in the resume journal.
    pub config_hash: String,
    pub images: ImagePlan,
    /// Keep every record whole: texts before and after, diagnostics, images
    /// (for diffs, reports and verbose output). Off, a post that went well
    /// leaves only its status behind, so memory stays flat however large
    /// the archive; problems are always kept whole.
    pub keep_records: bool,
}

/// Sees each file as it finishes (a progress bar, a log).
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn finished(&self, _record: &PostRecord) {}
    /// Post `index` (its place in the jobs) finished; by default
    /// [`Progress::finished`]. Streaming reports use the index to keep
    /// the run's order.
    fn finished_nth(&self, _index: usize, record: &PostRecord) {
        self.finished(record);
    }
    /// An image download event (download mode only).
    fn image(&self, _event: &crate::assets::ProgressEvent<'_>) {}
}

/// Lets the downloader report through a batch [`Progress`].
struct ImageProgress<'a>(&'a dyn Progress);

impl crate::assets::Progress for ImageProgress<'_> {
    fn event(&self, e: &crate::assets::ProgressEvent<'_>) {
        self.0.image(e);
    }
}

/// A progress that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// Runs the pipeline over `jobs`; records come back in `jobs` order.
pub fn run(
    jobs: &[Job],
    dest: &Destination,
    settings: &Settings,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Finished {
    let layout = settings.images.layout();
    let site = settings.post.convert.site;
    let outputs: Vec<Option<PathBuf>> = jobs
        .iter()
        .map(|j| output_path(j, dest, layout, site))
        .collect();
    let collisions = match dest {
        Destination::Mirror {
            peers: Some(all), ..
        } => placement::collisions_among(jobs, all, dest, layout, site),
        _ => placement::collisions(jobs, dest, layout, site),
    };
    let journal = match open_journal(dest, settings) {
        Ok(journal) => journal,
        Err(error) => return all_failed(jobs, &error, progress),
    };
    let resolved = Arc::new(resolve_images(jobs, &outputs, dest, settings, progress));
    let references = match dest {
        Destination::Mirror { references, .. } => references.as_ref(),
        Destination::InPlace => None,
    };
    let ctx = Context {
        dest,
        settings,
        journal: journal.as_ref(),
        images: &resolved,
        references,
    };
    progress.start(jobs.len());
    let totals = Mutex::new(Totals {
        posts: jobs.len(),
        ..Totals::default()
    });
    let work = |i: usize| {
        let output = outputs[i].as_deref();
        let record = one_post(&jobs[i], output, collisions.get(&i), &ctx, stop);
        progress.finished_nth(i, &record);
        if let Ok(mut t) = totals.lock() {
            t.add(&record);
        }
        let status = record.status;
        let keep = settings.keep_records || worth_keeping(&record);
        (status, keep.then(|| Box::new(record)))
    };
    let outcomes = in_parallel(settings.jobs, jobs.len(), work);
    let totals = totals.into_inner().unwrap_or_else(|p| p.into_inner());
    finish(outcomes, totals)
}

/// One post: skipped once interrupted, failed when its output would clash
/// (`collision`), else planned and then applied.
fn one_post(
    job: &Job,
    output: Option<&std::path::Path>,
    collision: Option<&String>,
    ctx: &Context<'_>,
    stop: &AtomicBool,
) -> PostRecord {
    if stop.load(Ordering::SeqCst) {
        return interrupted(job);
    }
    if let Some(reason) = collision {
        let error = BatchError::Placement {
            path: job.input.clone(),
            reason: reason.clone(),
        };
        return failed(job, &error);
    }
    let out_rel = out_rel(job, ctx.dest, ctx.settings);
    let planned = plan::plan(job, output, out_rel, ctx);
    apply::apply(planned, ctx)
}

/// The record's path under the output root (the input's, in place).
fn out_rel(job: &Job, dest: &Destination, settings: &Settings) -> String {
    match dest {
        Destination::InPlace => job.rel.clone(),
        Destination::Mirror { .. } => post_output_rel(
            &job.rel,
            settings.images.layout(),
            settings.post.convert.site,
        ),
    }
}

/// Whether a record stays whole even when records are not kept: it failed,
/// lost content, lost an image or a reference.
fn worth_keeping(record: &PostRecord) -> bool {
    matches!(record.status, Status::Failed | Status::Lossy)
        || record.images.iter().any(|i| i.status == "failed")
        || record
            .diagnostics
            .iter()
            .any(|d| d.code == "broken-reference")
}

/// The resume journal of a mirror written to; one that is there but
/// cannot be read is an error of the run.
fn open_journal(dest: &Destination, settings: &Settings) -> Result<Option<Journal>, BatchError> {
    match dest {
        Destination::Mirror { out_dir, .. } if settings.mode.writes() => Journal::load(out_dir)
            .map(Some)
            .map_err(|source| BatchError::Journal {
                path: out_dir.join(journal::FILE_NAME),
                source,
            }),
        _ => Ok(None),
    }
}

/// Every job failed with one run-wide error.
fn all_failed(jobs: &[Job], error: &BatchError, progress: &dyn Progress) -> Finished {
    let records: Vec<PostRecord> = jobs.iter().map(|j| failed(j, error)).collect();
    for (i, record) in records.iter().enumerate() {
        progress.finished_nth(i, record);
    }
    let totals = Totals::from_records(&records, 0.0);
    Finished {
        statuses: records.iter().map(|r| r.status).collect(),
        records,
        totals,
    }
}

fn finish(outcomes: Vec<(Status, Option<Box<PostRecord>>)>, totals: Totals) -> Finished {
    let mut statuses = Vec::with_capacity(outcomes.len());
    let mut records = Vec::new();
    for (status, record) in outcomes {
        statuses.push(status);
        records.extend(record.map(|r| *r));
    }
    Finished {
        records,
        statuses,
        totals,
    }
}

/// What a batch gives back.
pub struct Finished {
    /// Whole records in job order: every job's with
    /// [`Settings::keep_records`], else only the failed and lossy ones.
    pub records: Vec<PostRecord>,
    /// Every job's status, in job order.
    pub statuses: Vec<Status>,
    /// Counted over every record before any was let go.
    pub totals: Totals,
}

/// Runs `work` over `0..n` on `threads` threads; results in index order.
fn in_parallel<T: Send>(
    threads: usize,
    n: usize,
    work: impl Fn(usize) -> T + Sync + Send,
) -> Vec<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build();
    match pool {
        Ok(pool) => pool.install(|| {
            use rayon::prelude::*;
            (0..n).into_par_iter().map(work).collect()
        }),
        Err(_) => (0..n).map(work).collect(),
    }
}

/// Settles the image plan before posts are written. Downloads happen only
/// when writing into a mirror; a dry run into a mirror looks up what an
/// earlier run stored (no network, nothing written), so an up-to-date
/// tree compares equal; `fmt` keeps image URLs.
fn resolve_images(
    jobs: &[Job],
    outputs: &[Option<PathBuf>],
    dest: &Destination,
    settings: &Settings,
    progress: &dyn Progress,
) -> Resolved {
    let ImagePlan::Download {
        config,
        assets_url,
        layout,
    } = &settings.images
    else {
        return match &settings.images {
            ImagePlan::Rewrite(rules) => Resolved::Rewrite(rules.clone()),
            _ => Resolved::Keep,
        };
    };
    if matches!(dest, Destination::InPlace) {
        return Resolved::Keep;
    }
    let urls = image_urls(jobs, settings);
    let posts: Vec<PostImages<'_>> = jobs
        .iter()
        .zip(outputs)
        .zip(&urls)
        .map(|((job, out), urls)| PostImages {
            post: out.as_deref().unwrap_or(&job.input),
            urls,
        })
        .collect();
    let resolved = if settings.mode.writes() {
        let progress = ImageProgress(progress);
        images::download(
            config.clone(),
            assets_url.clone(),
            *layout,
            &posts,
            &progress,
        )
    } else {
        images::look_up(config, assets_url.clone(), *layout, &posts)
    };
    resolved.unwrap_or_else(|e| images::all_failed(&posts, &e))
}

/// Every image each post shows that could be fetched, in post order (the
/// plan pass). A reference relative to the post names a file of the
/// archive, carried as it is: it is not a download.
fn image_urls(jobs: &[Job], settings: &Settings) -> Vec<Vec<String>> {
    in_parallel(settings.jobs, jobs.len(), |i| {
        let Ok(bytes) = std::fs::read(&jobs[i].input) else {
            return Vec::new();
        };
        let mut options = settings.post.clone();
        options.body = body_kind_for(options.body, Some(&jobs[i].input));
        convert_bytes(&bytes, &options)
            .map(|p| p.images)
            .unwrap_or_default()
            .into_iter()
            .filter(|url| !references::is_relative(url))
            .collect()
    })
}
