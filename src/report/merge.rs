//! Merging the ledgers of shards (`migrate --shard K/N`, `--files-from`)
//! into the ledger, or page, of one run over the whole archive.
//!
//! Shards run disjoint parts of one archive, so a post may appear in one
//! ledger only; the merged posts are in path order, the order of one run.
//! Totals are added up, except what one run counts once and shards may
//! count twice: an image two shards both downloaded counts as downloaded
//! once and reused once, as in one run. Nothing here reads or writes files.

use std::collections::HashSet;
use std::io::{self, Write};

use crate::report::ledger::{self, Head, Ledger, LedgerPost};
use crate::report::page;
use crate::report::spool::Spool;
use crate::report::{FileRecord, Totals};

/// Why ledgers cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("no ledger to merge")]
    Empty,
    #[error("ledgers of different tool versions ({0} and {1}) cannot be merged")]
    Version(String, String),
    #[error("{0} is in two ledgers: shards of one run never share a post")]
    Duplicate(String),
}

/// The ledgers of several shards as one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub tool_version: String,
    pub command: String,
    pub totals: Totals,
    pub posts: Vec<LedgerPost>,
    pub files: Vec<FileRecord>,
}

/// Merges shard ledgers; see the module docs.
pub fn merge(ledgers: Vec<Ledger>) -> Result<Merged, MergeError> {
    let first = ledgers.first().ok_or(MergeError::Empty)?;
    if let Some(other) = ledgers
        .iter()
        .find(|l| l.tool_version != first.tool_version)
    {
        return Err(MergeError::Version(
            first.tool_version.clone(),
            other.tool_version.clone(),
        ));
    }
    let (tool_version, command) = (first.tool_version.clone(), first.command.clone());
    let totals = merged_totals(&ledgers);
    let mut posts = Vec::new();
    let mut files = Vec::new();
    for ledger in ledgers {
        posts.extend(ledger.posts);
        files.extend(ledger.files);
    }
    posts.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = posts.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(MergeError::Duplicate(pair[0].path.clone()));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Merged {
        tool_version,
        command,
        totals,
        posts,
        files,
    })
}

impl Merged {
    fn head(&self) -> Head<'_> {
        Head {
            tool_version: &self.tool_version,
            command: &self.command,
        }
    }

    /// The merged ledger.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut builder = ledger::Builder::new(Spool::in_memory(), Spool::in_memory());
        for (i, post) in self.posts.iter().enumerate() {
            builder.push(i, post)?;
        }
        builder.write(&self.head(), &self.totals, &self.files, out)
    }

    /// The merged report page.
    pub fn write_html(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut builder =
            page::Builder::new(Spool::in_memory(), Spool::in_memory(), Spool::in_memory());
        for (i, post) in self.posts.iter().enumerate() {
            builder.push(i, post)?;
        }
        builder.write(&self.head(), &self.totals, &self.files, out)
    }
}

/// Totals of several shards' ledgers of one archive, as one run over the
/// whole archive would count them. Image counts are recounted from the
/// posts: a URL two shards both downloaded counts as downloaded once and
/// reused once, as in one run; `seconds` is the longest shard's.
pub fn merged_totals(ledgers: &[Ledger]) -> Totals {
    let mut totals = Totals::default();
    let mut downloaded: HashSet<&str> = HashSet::new();
    let mut stored_refs = 0;
    for ledger in ledgers {
        let t = &ledger.totals;
        totals.posts += t.posts;
        totals.converted += t.converted;
        totals.unchanged += t.unchanged;
        totals.failed += t.failed;
        totals.lossy += t.lossy;
        totals.skipped += t.skipped;
        totals.images_failed += t.images_failed;
        totals.copied += t.copied;
        totals.copy_failed += t.copy_failed;
        totals.hidden_skipped += t.hidden_skipped;
        totals.seconds = totals.seconds.max(t.seconds);
        for (rule, n) in &t.rules_fired {
            *totals.rules_fired.entry(rule.clone()).or_default() += n;
        }
        for (level, n) in &t.diagnostics {
            *totals.diagnostics.entry(level.clone()).or_default() += n;
        }
        for image in ledger.posts.iter().flat_map(|p| &p.images) {
            match image.status.as_str() {
                "downloaded" => {
                    stored_refs += 1;
                    downloaded.insert(&image.url);
                }
                "reused" => stored_refs += 1,
                _ => {}
            }
        }
    }
    totals.images_downloaded = downloaded.len();
    totals.images_reused = stored_refs - downloaded.len();
    totals
}
