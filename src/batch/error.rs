//! Why a batch step failed, always with the path it failed on.
//!
//! Each value names its file; the cause is in `Display` (for messages the
//! library builds) or in `source()` (for I/O errors), never both. This
//! module only describes errors: it does no I/O.

use std::path::PathBuf;
use thiserror::Error;

/// A failure of one post, one copied file, or the whole run.
#[derive(Debug, Error)]
pub enum BatchError {
    /// An input could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output could not be written (also: the write layer refused it).
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The resume journal could not be read or appended to.
    #[error("cannot use the resume journal {}", path.display())]
    Journal {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The post could not be converted (the message names line and column).
    #[error("{message}")]
    Convert { path: PathBuf, message: String },
    /// The post's output would clash with another's (folded names, bundles).
    #[error("{reason}")]
    Placement { path: PathBuf, reason: String },
    /// `--out` (or another written folder) overlaps the source archive.
    #[error("{}: {reason}", path.display())]
    Overlap { path: PathBuf, reason: String },
}

impl BatchError {
    /// The file (or folder) this error is about.
    /// The message with its causes, for a record or a terminal line.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(": ");
            text.push_str(&c.to_string());
            cause = c.source();
        }
        text
    }

    pub fn path(&self) -> &std::path::Path {
        match self {
            BatchError::Read { path, .. }
            | BatchError::Write { path, .. }
            | BatchError::Journal { path, .. }
            | BatchError::Convert { path, .. }
            | BatchError::Placement { path, .. }
            | BatchError::Overlap { path, .. } => path,
        }
    }
}
