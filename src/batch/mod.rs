//! Whole-archive runs: discovery, one pipeline per file, outcomes in a
//! deterministic order.
//!
//! The mode (write, check, diff, dry run) is decided once by the caller;
//! every file goes through the same pipeline and comes back as a
//! [`PostRecord`]; only [`Mode::Write`] touches the disk, through atomic
//! writes. A file's failure never stops the batch. Nothing here prints: a
//! [`Progress`] implementation sees each finished file.

pub mod discover;
pub mod images;
pub mod journal;
pub mod write;

use crate::assets::Layout;
use crate::md::writer::SiteSyntax;
use crate::post::{PostOptions, body_kind_for, convert_bytes};
use crate::report::{DiagnosticRecord, PostRecord, Status, Totals};
use crate::verify::{VerifyOptions, verify, verify_source};
use discover::Job;
use images::{ImagePlan, PostImages, Resolved, Used};
use journal::{Entry, Journal};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use unicode_normalization::UnicodeNormalization;

/// What a run may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write every changed file.
    Write,
    /// Write nothing; report what would change.
    Check,
}

/// Where converted files go.
#[derive(Debug, Clone)]
pub enum Destination {
    /// Over the input file (`fmt`).
    InPlace,
    /// Into a mirror of the source tree (`migrate`).
    Mirror { out_dir: PathBuf },
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
    let collisions = collisions(jobs, dest, layout, site);
    let journal = match dest {
        Destination::Mirror { out_dir } if settings.mode == Mode::Write => {
            Some(Journal::load(out_dir))
        }
        _ => None,
    };
    let resolved = Arc::new(resolve_images(jobs, &outputs, dest, settings, progress));
    progress.start(jobs.len());
    let totals = Mutex::new(Totals {
        posts: jobs.len(),
        ..Totals::default()
    });
    let work = |i: usize| {
        let record = if stop.load(Ordering::SeqCst) {
            interrupted(&jobs[i])
        } else if let Some(other) = collisions.get(&i) {
            failed(&jobs[i], other.clone())
        } else {
            process(
                &jobs[i],
                outputs[i].as_deref(),
                dest,
                settings,
                journal.as_ref(),
                &resolved,
            )
        };
        progress.finished(&record);
        if let Ok(mut t) = totals.lock() {
            t.add(&record);
        }
        let status = record.status;
        let keep = settings.keep_records || matches!(status, Status::Failed | Status::Lossy);
        (status, keep.then(|| Box::new(record)))
    };
    let outcomes = in_parallel(settings.jobs, jobs.len(), work);
    let mut statuses = Vec::with_capacity(outcomes.len());
    let mut records = Vec::new();
    for (status, record) in outcomes {
        statuses.push(status);
        records.extend(record.map(|r| *r));
    }
    let totals = totals.into_inner().unwrap_or_else(|p| p.into_inner());
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
/// when writing into a mirror: `fmt` and dry runs stay offline.
fn resolve_images(
    jobs: &[Job],
    outputs: &[Option<PathBuf>],
    dest: &Destination,
    settings: &Settings,
    progress: &dyn Progress,
) -> Resolved {
    match &settings.images {
        ImagePlan::Keep => Resolved::Keep,
        ImagePlan::Rewrite(rules) => Resolved::Rewrite(rules.clone()),
        ImagePlan::Download { .. }
            if settings.mode != Mode::Write || matches!(dest, Destination::InPlace) =>
        {
            Resolved::Keep
        }
        ImagePlan::Download {
            config,
            assets_url,
            layout,
        } => {
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
            images::download(
                config.clone(),
                assets_url.clone(),
                *layout,
                &posts,
                &ImageProgress(progress),
            )
            .unwrap_or_else(|e| images::all_failed(&posts, &e))
        }
    }
}

/// Every image each post shows, in post order (the plan pass).
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
    })
}

/// Where a job's output goes: the input itself, or the mirror with `.md`
/// (in its page bundle with that layout).
pub fn output_path(
    job: &Job,
    dest: &Destination,
    layout: Layout,
    site: SiteSyntax,
) -> Option<PathBuf> {
    match dest {
        Destination::InPlace => Some(job.input.clone()),
        Destination::Mirror { out_dir } => {
            Some(out_dir.join(layout.post_rel(&output_rel(&job.rel, site))))
        }
    }
}

/// `a/b.html` → `a/b.md`; Markdown names stay; a name the target site
/// cannot build is changed (`site_names`).
pub fn output_rel(rel: &str, site: SiteSyntax) -> String {
    for ext in [".html", ".htm", ".HTML", ".HTM"] {
        if let Some(stem) = rel.strip_suffix(ext) {
            return crate::site_names::post_rel(site, &format!("{stem}.md")).into_owned();
        }
    }
    crate::site_names::post_rel(site, rel).into_owned()
}

/// Jobs whose outputs would land on one file on a case-insensitive or
/// normalizing file system, and posts a page bundle would swallow (a leaf
/// bundle's folder holds no other page): each is mapped to why.
fn collisions(
    jobs: &[Job],
    dest: &Destination,
    layout: Layout,
    site: SiteSyntax,
) -> HashMap<usize, String> {
    if matches!(dest, Destination::InPlace) {
        return HashMap::new();
    }
    let fold = |name: &str| name.nfc().collect::<String>().to_lowercase();
    let outs: Vec<String> = jobs
        .iter()
        .map(|job| fold(&layout.post_rel(&output_rel(&job.rel, site))))
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = HashMap::new();
    let collides =
        |other: &str| format!("output name collides with {other} (after case folding and NFC)");
    for (i, key) in outs.iter().enumerate() {
        if let Some(&first) = seen.get(key.as_str()) {
            out.insert(i, collides(&jobs[first].rel));
            out.entry(first).or_insert_with(|| collides(&jobs[i].rel));
        } else {
            seen.insert(key, i);
        }
    }
    swallowed_posts(jobs, &outs, layout, site, &mut out);
    shared_folders(jobs, &outs, layout, &mut out);
    out
}

/// A leaf bundle (`index.*`, where a page bundle moves `foo.md` too) holds
/// no other page: a post fails when another post's output lies inside its
/// folder (`foo/index.md` next to `foo/bar.md`), since Hugo would take that
/// post for a resource of the bundle. `outs` are the folded output names.
fn swallowed_posts(
    jobs: &[Job],
    outs: &[String],
    layout: Layout,
    site: SiteSyntax,
    reasons: &mut HashMap<usize, String>,
) {
    if layout != Layout::PageBundle {
        return;
    }
    let sorted: std::collections::BTreeMap<&str, usize> = outs
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    for (i, job) in jobs.iter().enumerate() {
        let (folder, file) = outs[i].rsplit_once('/').unwrap_or(("", &outs[i]));
        if reasons.contains_key(&i) || !file.starts_with("index.") {
            continue;
        }
        let key = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let inside = sorted
            .range(key.as_str()..)
            .take_while(|(k, _)| k.starts_with(&key))
            .find(|(_, j)| **j != i);
        if let Some((_, &j)) = inside {
            let moved = layout.post_rel(&output_rel(&job.rel, site));
            let bundle = moved.rsplit_once('/').map_or("", |(d, _)| d);
            let other = &jobs[j].rel;
            reasons.insert(
                i,
                format!("its page bundle {bundle}/ would also hold {other}; rename one of them"),
            );
        }
    }
}

/// With a per-post layout, two posts whose images would go to one folder
/// (`foo.md` and `foo.markdown`, or `index.md` and `_index.md` as page
/// bundles) could overwrite each other's images: the second one fails.
fn shared_folders(
    jobs: &[Job],
    outs: &[String],
    layout: Layout,
    reasons: &mut HashMap<usize, String>,
) {
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    for (i, out) in outs.iter().enumerate() {
        let Some(folder) = layout.folder(Path::new(out)) else {
            return;
        };
        if reasons.contains_key(&i) {
            continue;
        }
        match seen.get(&folder) {
            Some(&first) => {
                let folder = folder.display();
                let other = &jobs[first].rel;
                reasons.insert(
                    i,
                    format!("its image folder {folder}/ is also {other}'s; rename one of them"),
                );
            }
            None => {
                seen.insert(folder, i);
            }
        }
    }
}

fn process(
    job: &Job,
    output: Option<&Path>,
    dest: &Destination,
    settings: &Settings,
    journal: Option<&Journal>,
    images: &Arc<Resolved>,
) -> PostRecord {
    let bytes = match std::fs::read(&job.input) {
        Ok(b) => b,
        Err(e) => return failed(job, format!("cannot read: {e}")),
    };
    let entry = Entry {
        rel: job.rel.clone(),
        input: journal::hash(&bytes),
        config: settings.config_hash.clone(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let out_rel = match dest {
        Destination::InPlace => job.rel.clone(),
        Destination::Mirror { .. } => settings
            .images
            .layout()
            .post_rel(&output_rel(&job.rel, settings.post.convert.site)),
    };
    let mut record = blank_record(job, &bytes);
    record.output = Some(out_rel);
    if settings.resume
        && journal.is_some_and(|j| j.is_done(&entry))
        && output.is_some_and(|out| out.exists() && images.copies_present(out))
    {
        record.status = Status::Skipped;
        record.error = Some("unchanged since the last run (resume)".into());
        return record;
    }
    let mut options = settings.post.clone();
    options.body = body_kind_for(options.body, Some(&job.input));
    let post_path = output.unwrap_or(&job.input);
    let used = Used::default();
    options.convert.images = images.map_for(post_path, &used);
    options.convert.read_source = true;
    let mut post = match convert_bytes(&bytes, &options) {
        Ok(p) => p,
        Err(e) => {
            record.status = Status::Failed;
            record.error = Some(e.to_string());
            return record;
        }
    };
    record.diagnostics = post
        .diagnostics
        .iter()
        .map(|d| DiagnosticRecord {
            code: d.code.to_owned(),
            level: format!("{:?}", d.level).to_lowercase(),
            message: d.message.clone(),
        })
        .collect();
    record.rules_fired = rules_fired(&record.diagnostics);
    record.verification = verification(&mut post, &options.convert);
    record.images = images.records(&post.images, post_path);
    let existing = output.and_then(|p| std::fs::read(p).ok());
    let unchanged = existing.as_deref() == Some(post.text.as_bytes());
    record.after = Some(post.text.clone());
    record.status = if unchanged {
        Status::Unchanged
    } else if !record.verification.is_empty() {
        Status::Lossy
    } else {
        Status::Converted
    };
    let write = settings.mode == Mode::Write
        && !unchanged
        && (record.status != Status::Lossy || settings.allow_lossy);
    // A post's own images are in place before the post that shows them
    // (also when the post itself is unchanged: a deleted copy comes back).
    if settings.mode == Mode::Write
        && (write || unchanged)
        && let Err(e) = images.place(post_path, &used)
    {
        record.status = Status::Failed;
        record.error = Some(e);
        return record;
    }
    if write && let Some(path) = output {
        let durable = matches!(dest, Destination::InPlace);
        if let Err(e) = write::write_atomic_with(path, post.text.as_bytes(), durable) {
            record.status = Status::Failed;
            record.error = Some(format!("cannot write {}: {e}", path.display()));
            return record;
        }
        if let Some(j) = journal {
            let _ = j.record(&entry);
        }
    }
    record
}

/// What the round-trip check finds lost, one line per difference.
fn verification(post: &mut crate::post::ConvertedPost, convert: &crate::Options) -> Vec<String> {
    if post.source_html.is_empty() {
        return Vec::new();
    }
    let options = VerifyOptions::from(convert);
    let checked = match post.source.take() {
        Some(source) => verify_source(source, &post.converted_markdown, &options),
        None => verify(&post.source_html, &post.converted_markdown, &options),
    };
    checked
        .differences
        .iter()
        .map(|d| format!("{}: {d}", d.code()))
        .collect()
}

fn rules_fired(diagnostics: &[DiagnosticRecord]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics {
        // Site rules count under their own names.
        let key = if d.code == "rule-fired" {
            &d.message
        } else {
            &d.code
        };
        *out.entry(key.clone()).or_default() += 1;
    }
    out
}

fn blank_record(job: &Job, bytes: &[u8]) -> PostRecord {
    PostRecord {
        path: job.rel.clone(),
        output: None,
        status: Status::Failed,
        error: None,
        diagnostics: Vec::new(),
        rules_fired: BTreeMap::new(),
        images: Vec::new(),
        verification: Vec::new(),
        before: String::from_utf8_lossy(bytes).into_owned(),
        after: None,
    }
}

fn failed(job: &Job, error: String) -> PostRecord {
    let mut record = blank_record(job, &[]);
    record.error = Some(error);
    record
}

fn interrupted(job: &Job) -> PostRecord {
    let mut record = blank_record(job, &[]);
    record.status = Status::Skipped;
    record.error = Some("interrupted before this file".into());
    record
}
