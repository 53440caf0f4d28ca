//! The download manifest: `manifest.jsonl` in the assets directory.
//!
//! One JSON object per line maps an original image URL to what happened to it
//! (sha256, extension, MIME type, size, status, error). Later lines win.
//! Loading tolerates a truncated or garbled line (e.g. from a killed run):
//! such lines are skipped and counted, and the next append starts on a fresh
//! line. The manifest is keyed by the ORIGINAL URL even when a mirror served
//! the bytes. This module does no networking and never deletes image files.
//! Several processes may append at once (shards of one run): each line is
//! one `write` to a file opened with `O_APPEND`. Two shards that fetched
//! the same URL both add a line with the same contents; later lines win.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// File name of the manifest inside the assets directory.
pub const MANIFEST_FILE: &str = "manifest.jsonl";

/// Outcome recorded for a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryStatus {
    /// Stored in the content-addressed store.
    Ok,
    /// The last attempt failed; it is retried on the next online run.
    Failed,
}

/// One manifest line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The original URL (the key).
    pub url: String,
    /// Outcome.
    pub status: EntryStatus,
    /// Hex SHA-256 of the stored bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Extension from magic bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<String>,
    /// MIME type from magic bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The URL that actually served the bytes, if not the original (mirror).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_from: Option<String>,
    /// Failure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The loaded manifest plus an append handle.
#[derive(Debug)]
pub struct Manifest {
    path: PathBuf,
    entries: HashMap<String, Entry>,
    skipped_lines: usize,
    needs_newline: bool,
}

impl Manifest {
    /// Load `dir/manifest.jsonl` (missing file = empty manifest).
    pub fn load(dir: &Path) -> io::Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        let mut bytes = Vec::new();
        match File::open(&path) {
            Ok(mut f) => {
                f.read_to_end(&mut bytes)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let mut manifest = Manifest {
            path,
            entries: HashMap::new(),
            skipped_lines: 0,
            needs_newline: bytes.last().is_some_and(|b| *b != b'\n'),
        };
        manifest.parse_lines(&bytes);
        Ok(manifest)
    }

    fn parse_lines(&mut self, bytes: &[u8]) {
        for line in bytes.split(|b| *b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Entry>(line) {
                Ok(entry) => {
                    self.entries.insert(entry.url.clone(), entry);
                }
                Err(_) => self.skipped_lines += 1,
            }
        }
    }

    /// The latest entry for `url`.
    pub fn get(&self, url: &str) -> Option<&Entry> {
        self.entries.get(url)
    }

    /// All entries, latest per URL, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// Lines that could not be parsed when loading.
    pub fn skipped_lines(&self) -> usize {
        self.skipped_lines
    }

    /// Where the manifest lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Record an entry in memory and append it as one line on disk.
    pub fn append(&mut self, entry: Entry) -> io::Result<()> {
        let mut line = serde_json::to_string(&entry).map_err(io::Error::other)?;
        line.push('\n');
        if self.needs_newline {
            line.insert(0, '\n');
        }
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        // One write of a whole line in append mode: processes sharing the
        // store (`migrate --shard`) each add whole lines, never torn ones.
        file.write_all(line.as_bytes())?;
        self.needs_newline = false;
        self.entries.insert(entry.url.clone(), entry);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_entry(url: &str) -> Entry {
        Entry {
            url: url.into(),
            status: EntryStatus::Ok,
            sha256: Some("ab".repeat(32)),
            ext: Some("png".into()),
            mime: Some("image/png".into()),
            size: Some(3),
            fetched_from: None,
            error: None,
        }
    }

    #[test]
    fn tolerates_truncated_last_line_and_appends_cleanly() {
        let dir = std::env::temp_dir().join(format!("assets-manifest-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let good = serde_json::to_string(&ok_entry("http://a/1")).unwrap();
        fs::write(
            dir.join(MANIFEST_FILE),
            format!("{good}\n{{\"url\":\"http://a/2\",\"sta"),
        )
        .unwrap();
        let mut m = Manifest::load(&dir).unwrap();
        assert_eq!(m.skipped_lines(), 1);
        assert!(m.get("http://a/1").is_some());
        assert!(m.get("http://a/2").is_none());
        m.append(ok_entry("http://a/3")).unwrap();
        let m = Manifest::load(&dir).unwrap();
        assert_eq!(m.skipped_lines(), 1);
        assert!(m.get("http://a/3").is_some());
        let _ = fs::remove_dir_all(&dir);
    }
}
