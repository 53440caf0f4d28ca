//! Carrying the files that are not posts (images, attachments, data files,
//! a Hexo asset folder) to the same relative path under `--out`.
//!
//! [`plan`] decides per file, from names and bytes, whether a copy would
//! change anything and whether it may be made at all (a post's output
//! owns its path); [`apply`] makes the copies (atomic, same bytes, through
//! the run's write guard) and is the only code here that writes. The bytes
//! are never converted.

use super::discover::Job;
use super::error::BatchError;
use super::placement::fold;
use super::write::{Guard, copy_atomic, copy_would_change};
use crate::report::FileRecord;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What happens to one carried file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CarryAction {
    /// Copy it (new, or other bytes at its output).
    Copy,
    /// Its output already holds the same bytes.
    Unchanged,
    /// Not carried: the reason (a post is written there, or it cannot be read).
    Refused(String),
}

/// One file, decided.
#[derive(Debug, Clone)]
pub struct Carry {
    pub job: Job,
    pub to: PathBuf,
    pub action: CarryAction,
}

/// Decides every file: `posts_out` are the posts' output paths relative to
/// `--out`, which a carried file never replaces.
pub fn plan(others: &[Job], out_dir: &Path, posts_out: &[String]) -> Vec<Carry> {
    let taken: HashMap<String, &str> = posts_out.iter().map(|p| (fold(p), p.as_str())).collect();
    others
        .iter()
        .map(|job| {
            let to = out_dir.join(&job.rel);
            let action = match taken.get(&fold(&job.rel)) {
                Some(post) => CarryAction::Refused(format!(
                    "not copied: the post output {post} is written there"
                )),
                None => match copy_would_change(&job.input, &to) {
                    Ok(true) => CarryAction::Copy,
                    Ok(false) => CarryAction::Unchanged,
                    Err(e) => CarryAction::Refused(
                        BatchError::Read {
                            path: job.input.clone(),
                            source: e,
                        }
                        .chain(),
                    ),
                },
            };
            Carry {
                job: job.clone(),
                to,
                action,
            }
        })
        .collect()
}

/// Makes the planned copies when `write` is set; one record per file.
pub fn apply(plans: &[Carry], write: bool, guard: &Guard) -> Vec<FileRecord> {
    plans.iter().map(|c| apply_one(c, write, guard)).collect()
}

fn apply_one(carry: &Carry, write: bool, guard: &Guard) -> FileRecord {
    let mut record = FileRecord {
        path: carry.job.rel.clone(),
        status: "unchanged".into(),
        error: None,
    };
    match &carry.action {
        CarryAction::Unchanged => {}
        CarryAction::Refused(reason) => {
            record.status = "failed".into();
            record.error = Some(reason.clone());
        }
        CarryAction::Copy if !write => record.status = "copied".into(),
        CarryAction::Copy => match copy_atomic(&carry.job.input, &carry.to, guard) {
            Ok(_) => record.status = "copied".into(),
            Err(source) => {
                record.status = "failed".into();
                let error = BatchError::Write {
                    path: carry.to.clone(),
                    source,
                };
                record.error = Some(error.chain());
            }
        },
    }
    record
}
