//! Reports on a run: a unified diff per post, a JSON ledger for machines
//! and one self-contained HTML page for people.
//!
//! This stage only turns posts into text. It does not convert, verify,
//! fetch or write report files, and it never prints: the CLI decides where
//! the text goes. Reports are built as posts finish ([`stream::Reports`]),
//! spooled in post order, so a 100k-post run with reports needs little more
//! memory than one without; the same posts always give the same bytes.

pub mod diff;
pub mod ledger;
pub mod merge;
pub mod page;
pub mod spool;
pub mod stream;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What happened to one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Converted,
    Unchanged,
    Failed,
    Lossy,
    Skipped,
}

impl Status {
    /// Every status, in the order reports list them: problems first.
    pub const ALL: [Status; 5] = [
        Status::Failed,
        Status::Lossy,
        Status::Converted,
        Status::Unchanged,
        Status::Skipped,
    ];

    /// The lowercase name, the same one serde writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Converted => "converted",
            Status::Unchanged => "unchanged",
            Status::Failed => "failed",
            Status::Lossy => "lossy",
            Status::Skipped => "skipped",
        }
    }
}

/// A diagnostic as reports show it (code, level and message as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticRecord {
    pub code: String,
    pub level: String,
    pub message: String,
}

/// One image reference of a post and what the asset stage did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRecord {
    pub url: String,
    /// `downloaded`, `reused`, `failed`, `kept` or `rewritten`.
    pub status: String,
    pub local: Option<String>,
    pub reason: Option<String>,
    /// For `failed`: the kind of reason (`dns`, `refused`, `http-status`,
    /// `timeout`, `not-an-image`, ...; see `assets::ImageError::kind`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A file that is not a post, carried to the output tree unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Relative to the input root, with `/` separators.
    pub path: String,
    /// `copied` (or would be, in a dry run), `unchanged` or `failed`.
    pub status: String,
    pub error: Option<String>,
}

/// Everything the reports know about one post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostRecord {
    /// Relative to the input root, with `/` separators.
    pub path: String,
    pub output: Option<String>,
    pub status: Status,
    /// For `Failed`: the message, with the line when known.
    pub error: Option<String>,
    pub diagnostics: Vec<DiagnosticRecord>,
    pub rules_fired: BTreeMap<String, usize>,
    pub images: Vec<ImageRecord>,
    /// Differences found by the round-trip check; empty means clean.
    pub verification: Vec<String>,
    pub before: String,
    /// `None` when the post failed or was skipped.
    pub after: Option<String>,
}

impl PostRecord {
    /// The unified diff from `before` to `after`, labelled with the input
    /// path and the output path (the input path again when there is none).
    /// Empty when there is no output or nothing changed.
    pub fn diff(&self) -> String {
        let Some(after) = &self.after else {
            return String::new();
        };
        let new_path = self.output.as_deref().unwrap_or(&self.path);
        diff::unified(&self.path, new_path, &self.before, after)
    }
}

/// Counts over a whole run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub posts: usize,
    pub converted: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub lossy: usize,
    pub skipped: usize,
    pub images_downloaded: usize,
    pub images_reused: usize,
    pub images_failed: usize,
    pub rules_fired: BTreeMap<String, usize>,
    pub seconds: f64,
    /// Files that are not posts, copied (or that would be, in a dry run).
    #[serde(default)]
    pub copied: usize,
    /// Files that are not posts and could not be carried.
    #[serde(default)]
    pub copy_failed: usize,
    /// Dot-files and dot-folders left out of the run.
    #[serde(default)]
    pub hidden_skipped: usize,
    /// Diagnostics by level (`info`, `warning`, ...): an info is a note on
    /// what a rule did, not a problem.
    #[serde(default)]
    pub diagnostics: BTreeMap<String, usize>,
}

impl Totals {
    /// Adds up the records; `seconds` is the run's wall-clock time.
    pub fn from_records(records: &[PostRecord], seconds: f64) -> Totals {
        let mut totals = Totals {
            posts: records.len(),
            seconds,
            ..Totals::default()
        };
        for record in records {
            totals.add(record);
        }
        totals
    }

    /// Counts one record in (not `posts`, which the caller sets).
    pub fn add(&mut self, record: &PostRecord) {
        *self.status_count(record.status) += 1;
        for image in &record.images {
            match image.status.as_str() {
                "downloaded" => self.images_downloaded += 1,
                "reused" => self.images_reused += 1,
                "failed" => self.images_failed += 1,
                _ => {}
            }
        }
        for (rule, count) in &record.rules_fired {
            *self.rules_fired.entry(rule.clone()).or_default() += count;
        }
        for d in &record.diagnostics {
            *self.diagnostics.entry(d.level.clone()).or_default() += 1;
        }
    }

    fn status_count(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Converted => &mut self.converted,
            Status::Unchanged => &mut self.unchanged,
            Status::Failed => &mut self.failed,
            Status::Lossy => &mut self.lossy,
            Status::Skipped => &mut self.skipped,
        }
    }

    /// Counts one carried file in.
    pub fn add_file(&mut self, file: &FileRecord) {
        match file.status.as_str() {
            "copied" => self.copied += 1,
            "failed" => self.copy_failed += 1,
            _ => {}
        }
    }

    /// How many posts ended with `status`.
    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Converted => self.converted,
            Status::Unchanged => self.unchanged,
            Status::Failed => self.failed,
            Status::Lossy => self.lossy,
            Status::Skipped => self.skipped,
        }
    }
}

/// One finished run of a command, as the reports see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub tool_version: String,
    /// The command as the user would retype it, e.g. `migrate --dry-run`.
    pub command: String,
    pub totals: Totals,
    pub posts: Vec<PostRecord>,
    /// The carried files worth reading about: every one with `-v` or a
    /// report, else only the failed ones.
    #[serde(default)]
    pub files: Vec<FileRecord>,
}
