//! The JSON ledger: a machine-readable record of a run, one entry per post.
//!
//! The ledger carries each post's unified diff and the sizes of its input
//! and output, never the full `before`/`after` texts: the diff is what a
//! reviewer or a script needs, and it keeps the file small. Posts stay in
//! the run's order.
//!
//! The ledger is built as posts finish ([`Builder`]): each post becomes one
//! line of JSON in a [`Spool`] the moment it is done, so a run with a
//! report holds no more in memory than one without. The file is still one
//! JSON object (`format`, `tool_version`, `command`, `totals`, `posts`,
//! `files`, `failed_images`), written with one post and one failed image
//! per line, so `grep` and line tools work on it too. This module writes
//! to a `Write` it is given; it does not open files.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::report::spool::Spool;
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
        .flat_map(|post| failed_of(&post.path, &post.images))
        .collect()
}

/// The failed images of one post.
fn failed_of(post: &str, images: &[ImageRecord]) -> Vec<FailedImage> {
    images
        .iter()
        .filter(|i| i.status == "failed")
        .map(|i| FailedImage {
            post: post.to_owned(),
            url: i.url.clone(),
            kind: i.kind.clone(),
            reason: i.reason.clone(),
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

    /// Whether the post had output (a diff can be shown).
    pub fn has_output(&self) -> bool {
        self.after_bytes.is_some()
    }
}

/// What a ledger says about the run besides its posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Head<'a> {
    pub tool_version: &'a str,
    pub command: &'a str,
}

/// Builds a ledger as posts finish; see the module docs.
#[derive(Debug)]
pub struct Builder {
    posts: Spool,
    failed: Spool,
}

impl Builder {
    /// A builder whose pieces wait in `posts` and `failed` (two spools).
    pub fn new(posts: Spool, failed: Spool) -> Builder {
        Builder { posts, failed }
    }

    /// Records post `index` (its place in the run).
    pub fn push(&mut self, index: usize, post: &LedgerPost) -> io::Result<()> {
        self.posts.push(index, json_line(post)?.as_bytes())?;
        for failed in failed_of(&post.path, &post.images) {
            self.failed.push(index, json_line(&failed)?.as_bytes())?;
        }
        Ok(())
    }

    /// Writes the whole ledger to `out`.
    pub fn write(
        &mut self,
        head: &Head<'_>,
        totals: &Totals,
        files: &[FileRecord],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        writeln!(out, "{{\n  \"format\": {FORMAT},")?;
        writeln!(
            out,
            "  \"tool_version\": {},",
            json_line(head.tool_version)?
        )?;
        writeln!(out, "  \"command\": {},", json_line(head.command)?)?;
        writeln!(out, "  \"totals\": {},", json_line(totals)?)?;
        write_array(out, "posts", &mut self.posts)?;
        out.write_all(b",\n")?;
        let mut file_lines = Spool::in_memory();
        for (index, file) in files.iter().enumerate() {
            file_lines.push(index, json_line(file)?.as_bytes())?;
        }
        write_array(out, "files", &mut file_lines)?;
        out.write_all(b",\n")?;
        write_array(out, "failed_images", &mut self.failed)?;
        out.write_all(b"\n}\n")
    }
}

/// `  "name": [` one element per line `]`, without a trailing comma.
fn write_array(out: &mut dyn Write, name: &str, items: &mut Spool) -> io::Result<()> {
    if items.is_empty() {
        return write!(out, "  \"{name}\": []");
    }
    write!(out, "  \"{name}\": [\n    ")?;
    items.write_sorted(out, b",\n    ")?;
    out.write_all(b"\n  ]")
}

/// One value as compact JSON.
fn json_line(value: &(impl Serialize + ?Sized)) -> io::Result<String> {
    serde_json::to_string(value).map_err(io::Error::other)
}

/// The ledger of a run held in memory, ending with a newline.
pub fn to_json(run: &Run) -> String {
    let mut builder = Builder::new(Spool::in_memory(), Spool::in_memory());
    let mut out = Vec::new();
    let head = Head {
        tool_version: &run.tool_version,
        command: &run.command,
    };
    let written = run
        .posts
        .iter()
        .enumerate()
        .try_for_each(|(i, p)| builder.push(i, &LedgerPost::from_record(p)))
        .and_then(|()| builder.write(&head, &run.totals, &run.files, &mut out));
    match written {
        // Writing to memory fails only if serializing does, and every
        // value here is plain data with string keys.
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
    }
}
