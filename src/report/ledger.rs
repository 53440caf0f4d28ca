//! The JSON ledger: a machine-readable record of a run, one entry per post.
//!
//! The ledger carries each post's unified diff and the sizes of its input
//! and output, never the full `before`/`after` texts: the diff is what a
//! reviewer or a script needs, and it keeps the file small. Posts stay in
//! the run's order. This module builds text only; it does not write files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::{DiagnosticRecord, FileRecord, ImageRecord, PostRecord, Run, Status, Totals};

/// Bumped when a field changes meaning or disappears.
pub const FORMAT: u32 = 1;

/// The ledger's top level, as written to JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub format: u32,
    pub tool_version: String,
    pub command: String,
    pub totals: Totals,
    pub posts: Vec<LedgerPost>,
    /// Carried files that are not posts (see [`Run::files`]).
    #[serde(default)]
    pub files: Vec<FileRecord>,
    /// Every failed image of the run, in post order.
    #[serde(default)]
    pub failed_images: Vec<FailedImage>,
}

/// A failed image with the post that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedImage {
    pub post: String,
    pub url: String,
    /// The reason's kind (`dns`, `refused`, `http-status`, `timeout`, ...).
    pub kind: Option<String>,
    pub reason: Option<String>,
}

/// Every failed image of a run, in post order.
pub fn failed_images(run: &Run) -> Vec<FailedImage> {
    run.posts
        .iter()
        .flat_map(|post| {
            post.images
                .iter()
                .filter(|i| i.status == "failed")
                .map(|i| FailedImage {
                    post: post.path.clone(),
                    url: i.url.clone(),
                    kind: i.kind.clone(),
                    reason: i.reason.clone(),
                })
        })
        .collect()
}

/// One post in the ledger: the record minus its texts, plus the diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerPost {
    pub path: String,
    pub output: Option<String>,
    pub status: Status,
    pub error: Option<String>,
    pub diagnostics: Vec<DiagnosticRecord>,
    pub rules_fired: BTreeMap<String, usize>,
    pub images: Vec<ImageRecord>,
    pub verification: Vec<String>,
    /// Size of the input text in bytes.
    pub before_bytes: usize,
    /// Size of the output text in bytes; `None` when there is no output.
    pub after_bytes: Option<usize>,
    /// Unified diff from input to output; empty when nothing changed.
    pub diff: String,
}

impl Ledger {
    pub fn from_run(run: &Run) -> Ledger {
        Ledger {
            format: FORMAT,
            tool_version: run.tool_version.clone(),
            command: run.command.clone(),
            totals: run.totals.clone(),
            posts: run.posts.iter().map(LedgerPost::from_record).collect(),
            files: run.files.clone(),
            failed_images: failed_images(run),
        }
    }
}

impl LedgerPost {
    pub fn from_record(record: &PostRecord) -> LedgerPost {
        LedgerPost {
            path: record.path.clone(),
            output: record.output.clone(),
            status: record.status,
            error: record.error.clone(),
            diagnostics: record.diagnostics.clone(),
            rules_fired: record.rules_fired.clone(),
            images: record.images.clone(),
            verification: record.verification.clone(),
            before_bytes: record.before.len(),
            after_bytes: record.after.as_ref().map(String::len),
            diff: record.diff(),
        }
    }
}

/// The ledger as pretty-printed JSON, ending with a newline.
pub fn to_json(run: &Run) -> String {
    let mut json = serde_json::to_string_pretty(&Ledger::from_run(run))
        // Only string-keyed maps and plain values: serializing cannot fail.
        .expect("ledger serializes to JSON");
    json.push('\n');
    json
}
