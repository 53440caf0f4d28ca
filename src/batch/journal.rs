//! The resume journal: one JSON line per post written, so `migrate
//! --resume` can skip posts whose input, settings and tool version have
//! not changed since. A torn last line (a killed run) is ignored.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The journal's file name, in the output folder.
pub const FILE_NAME: &str = ".mdmigrate-journal.jsonl";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub rel: String,
    pub input: String,
    pub config: String,
    pub version: String,
}

pub struct Journal {
    path: PathBuf,
    done: HashMap<String, Entry>,
    file: Mutex<Option<std::fs::File>>,
}

/// Hex SHA-256 of some bytes.
pub fn hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Journal {
    /// Loads the journal of `out_dir` (empty when absent); a journal that
    /// is there but cannot be read is an error.
    pub fn load(out_dir: &Path) -> std::io::Result<Journal> {
        let path = out_dir.join(FILE_NAME);
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(std::io::Error::other("not a regular file"));
        }
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        let done = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Entry>(l).ok())
            .map(|e| (e.rel.clone(), e))
            .collect();
        Ok(Journal {
            path,
            done,
            file: Mutex::new(None),
        })
    }

    /// Where the journal lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this exact post was already written by this tool and settings.
    pub fn is_done(&self, entry: &Entry) -> bool {
        self.done.get(&entry.rel) == Some(entry)
    }

    /// Records a written post.
    pub fn record(&self, entry: &Entry) -> std::io::Result<()> {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            *guard = Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)?,
            );
        }
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        // One write of a whole line to a file opened for appending: shard
        // processes sharing the journal never interleave within a line.
        if let Some(f) = guard.as_mut() {
            f.write_all(line.as_bytes())?;
        }
        Ok(())
    }
}
