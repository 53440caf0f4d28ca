//! The plan step: decides one post's outcome and writes nothing.
//!
//! A post is read, converted, verified and compared with what is already
//! at its output; the result is a [`Planned`] post: its record and the
//! [`Action`] the apply step would take in write mode. This step may read
//! SRC and `--out`, never write either: check, diff and write runs share
//! it, so a dry run tells exactly what a write would do.

use super::discover::Job;
use super::error::BatchError;
use super::images::{Resolved, Used};
use super::journal::{self, Entry, Journal};
use super::references::References;
use super::{Destination, Settings};
use crate::post::{body_kind_for, convert_bytes};
use crate::report::{DiagnosticRecord, PostRecord, Status};
use crate::verify::{VerifyOptions, verify, verify_source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the apply step does with a post in write mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Nothing: failed, skipped, or lossy without `--allow-lossy`.
    Nothing,
    /// The post is up to date; put back any missing image copies.
    PlaceImages,
    /// Place the images, then write the text and journal the post.
    Write(String),
}

/// One post, decided.
pub(crate) struct Planned {
    pub record: PostRecord,
    pub action: Action,
    /// Where the post is written.
    pub output: Option<PathBuf>,
    /// The images whose copies go beside the post.
    pub used: Used,
    /// The journal line recorded once the post is written.
    pub entry: Option<Entry>,
}

/// What every post's plan reads besides its own input.
pub(crate) struct Context<'a> {
    pub dest: &'a Destination,
    pub settings: &'a Settings,
    pub journal: Option<&'a Journal>,
    pub images: &'a Arc<Resolved>,
    pub references: Option<&'a Arc<References>>,
}

impl Planned {
    fn done(record: PostRecord) -> Planned {
        Planned {
            record,
            action: Action::Nothing,
            output: None,
            used: Used::default(),
            entry: None,
        }
    }
}

/// Decides one post: its record and what a write would do.
pub(crate) fn plan(
    job: &Job,
    output: Option<&Path>,
    out_rel: String,
    ctx: &Context<'_>,
) -> Planned {
    let bytes = match std::fs::read(&job.input) {
        Ok(b) => b,
        Err(e) => {
            let error = BatchError::Read {
                path: job.input.clone(),
                source: e,
            };
            return Planned::done(failed(job, &error));
        }
    };
    let entry = Entry {
        rel: job.rel.clone(),
        input: journal::hash(&bytes),
        config: ctx.settings.config_hash.clone(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let mut record = blank_record(job, &bytes);
    record.output = Some(out_rel);
    if resumable(&entry, output, ctx) {
        record.status = Status::Skipped;
        record.error = Some("unchanged since the last run (resume)".into());
        return Planned::done(record);
    }
    let post_path = output.unwrap_or(&job.input);
    let used = Used::default();
    let text = match convert(job, &bytes, post_path, &used, &mut record, ctx) {
        Ok(text) => text,
        Err(error) => return Planned::done(failed_record(record, &error)),
    };
    let action = decide(&text, output, &mut record, ctx);
    record.after = Some(text);
    Planned {
        record,
        action,
        output: output.map(Path::to_owned),
        used,
        entry: Some(entry),
    }
}

/// Sets the post's status from what is already at its output, and
/// chooses what a write would do.
fn decide(text: &str, output: Option<&Path>, record: &mut PostRecord, ctx: &Context<'_>) -> Action {
    let existing = output.and_then(|p| std::fs::read(p).ok());
    // Without writing, a post whose image copies are missing would change
    // the tree (a write puts them back): it is not up to date.
    let copies_missing =
        !ctx.settings.mode.writes() && output.is_some_and(|out| !ctx.images.copies_present(out));
    let unchanged = existing.as_deref() == Some(text.as_bytes()) && !copies_missing;
    record.status = if unchanged {
        Status::Unchanged
    } else if !record.verification.is_empty() {
        Status::Lossy
    } else {
        Status::Converted
    };
    if unchanged {
        Action::PlaceImages
    } else if record.status != Status::Lossy || ctx.settings.allow_lossy {
        Action::Write(text.to_owned())
    } else {
        Action::Nothing
    }
}

/// Whether `--resume` may skip the post: journalled with the same input,
/// settings and version, its output and image copies all there.
fn resumable(entry: &Entry, output: Option<&Path>, ctx: &Context<'_>) -> bool {
    ctx.settings.resume
        && ctx.journal.is_some_and(|j| j.is_done(entry))
        && output.is_some_and(|out| out.exists() && ctx.images.copies_present(out))
}

/// Converts and verifies the post into `record`; returns the output text.
fn convert(
    job: &Job,
    bytes: &[u8],
    post_path: &Path,
    used: &Used,
    record: &mut PostRecord,
    ctx: &Context<'_>,
) -> Result<String, BatchError> {
    let mut options = ctx.settings.post.clone();
    options.body = body_kind_for(options.body, Some(&job.input));
    options.source_rel = Some(job.rel.clone());
    let images = ctx.images.map_for(post_path, used);
    options.convert.links = ctx.references.and_then(|refs| refs.link_map(&job.rel));
    options.convert.images = match ctx.references {
        Some(refs) => refs.image_map(&job.rel, images),
        None => images,
    };
    options.convert.read_source = true;
    let mut post = convert_bytes(bytes, &options).map_err(|e| BatchError::Convert {
        path: job.input.clone(),
        message: e.to_string(),
    })?;
    record.diagnostics = (job.notes.iter().chain(&post.diagnostics))
        .map(diagnostic_record)
        .collect();
    record.rules_fired = rules_fired(&record.diagnostics);
    if let Some(refs) = ctx.references {
        record.diagnostics.extend(refs.broken(&job.rel, &post.text));
    }
    record.verification = verification(&mut post, &options.convert);
    record.images = ctx.images.records(&post.images, post_path);
    Ok(post.text)
}

fn diagnostic_record(d: &crate::diagnostic::Diagnostic) -> DiagnosticRecord {
    DiagnosticRecord {
        code: d.code.to_owned(),
        level: format!("{:?}", d.level).to_lowercase(),
        message: d.message.clone(),
    }
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
        // Valid UTF-8 (nearly every post) is checked once and copied.
        before: match crate::source::valid_utf8(bytes) {
            Some(text) => text.to_owned(),
            None => String::from_utf8_lossy(bytes).into_owned(),
        },
        after: None,
    }
}

/// A record for a post that failed before it was read.
pub(crate) fn failed(job: &Job, error: &BatchError) -> PostRecord {
    failed_record(blank_record(job, &[]), error)
}

/// `record`, marked failed with `error` and its causes.
pub(crate) fn failed_record(mut record: PostRecord, error: &BatchError) -> PostRecord {
    record.status = Status::Failed;
    record.error = Some(error.chain());
    record.after = None;
    record
}

pub(crate) fn interrupted(job: &Job) -> PostRecord {
    let mut record = blank_record(job, &[]);
    record.status = Status::Skipped;
    record.error = Some("interrupted before this file".into());
    record
}
