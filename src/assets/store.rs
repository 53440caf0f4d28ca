//! Content-addressed image store: `ASSETS/<sha256[0..2]>/<sha256>.<ext>`.
//!
//! Bodies are streamed into a uniquely named `*.part` file in the assets
//! directory and hashed while written; only a complete, accepted body is
//! renamed to its final content-addressed name, so an interrupted run never
//! leaves a half image under a final name. A dropped, uncommitted part file
//! is deleted, and leftovers of killed runs are removed when a store opens
//! (not those of a running process of this program: shards share a store).
//! Identical bytes map to one file. This module knows nothing of HTTP.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

const PART_SUFFIX: &str = ".part";

/// The on-disk store rooted at the assets directory.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    next_part: AtomicU64,
}

/// Where a store rooted at `root` keeps bytes with this hash and
/// extension (whether or not present); opens nothing.
pub fn stored_path(root: &Path, sha256: &str, ext: &str) -> PathBuf {
    let shard = sha256.get(..2).unwrap_or("__");
    root.join(shard).join(format!("{sha256}.{ext}"))
}

/// An image committed to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// Final path (`root/ab/abcd….ext`).
    pub path: PathBuf,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

impl Store {
    /// Open (creating) the store at `root` and delete leftover part files.
    pub fn open(root: &Path) -> io::Result<Store> {
        fs::create_dir_all(root)?;
        let store = Store {
            root: root.to_path_buf(),
            next_part: AtomicU64::new(0),
        };
        store.remove_leftover_parts()?;
        Ok(store)
    }

    /// The assets directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where bytes with this hash and extension live (whether or not present).
    pub fn path_for(&self, sha256: &str, ext: &str) -> PathBuf {
        stored_path(&self.root, sha256, ext)
    }

    /// Start a new part file for one download.
    pub fn begin(&self) -> io::Result<PartFile> {
        let n = self.next_part.fetch_add(1, Ordering::Relaxed);
        let path = self
            .root
            .join(format!("dl-{}-{n}{PART_SUFFIX}", std::process::id()));
        let file = File::create(&path)?;
        Ok(PartFile {
            path,
            file: Some(file),
            hasher: Sha256::new(),
            size: 0,
        })
    }

    fn remove_leftover_parts(&self) -> io::Result<()> {
        for entry in fs::read_dir(&self.root)? {
            let path = entry?.path();
            let is_part = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(PART_SUFFIX));
            let in_flight = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(writer_alive);
            if is_part && !in_flight && path.is_file() {
                fs::remove_file(&path)?;
            }
        }
        Ok(())
    }
}

/// Whether the part file `name` (`dl-PID-N.part`) may still be written: by
/// this process, or by a running process of this same program (another
/// shard of a run sharing the store: `migrate --shard`). Where that cannot
/// be known (no `/proc`), a leftover is removed as before.
fn writer_alive(name: &str) -> bool {
    let Some(pid) = name
        .strip_prefix("dl-")
        .and_then(|rest| rest.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    if pid == std::process::id() {
        return true;
    }
    let exe = |who: &str| fs::read_link(format!("/proc/{who}/exe")).ok();
    match (exe(&pid.to_string()), exe("self")) {
        (Some(theirs), Some(ours)) => theirs == ours,
        _ => false,
    }
}

/// A download in progress; deleted on drop unless committed.
#[derive(Debug)]
pub struct PartFile {
    path: PathBuf,
    file: Option<File>,
    hasher: Sha256,
    size: u64,
}

impl PartFile {
    /// Append bytes, updating hash and size.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("part file already closed"))?;
        file.write_all(bytes)?;
        self.hasher.update(bytes);
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Flush to disk and move under the content-addressed name.
    pub fn commit(mut self, store: &Store, ext: &str) -> io::Result<Committed> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        let sha256 = hex::encode(self.hasher.clone().finalize());
        let path = store.path_for(&sha256, ext);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        if path.is_file() {
            fs::remove_file(&self.path)?;
        } else {
            fs::rename(&self.path, &path)?;
        }
        self.path = PathBuf::new();
        Ok(Committed {
            path,
            sha256,
            size: self.size,
        })
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        self.file = None;
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_root(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("assets-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn commit_is_content_addressed_and_deduplicated() {
        let root = temp_root("commit");
        let store = Store::open(&root).unwrap();
        let mut a = store.begin().unwrap();
        a.write(b"abc").unwrap();
        let ca = a.commit(&store, "png").unwrap();
        let mut b = store.begin().unwrap();
        b.write(b"abc").unwrap();
        let cb = b.commit(&store, "png").unwrap();
        assert_eq!(ca, cb);
        assert_eq!(
            ca.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(
            ca.path.ends_with(
                "ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.png"
            )
        );
        assert_eq!(fs::read(&ca.path).unwrap(), b"abc");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn parts_of_running_writers_are_kept() {
        let root = temp_root("running");
        fs::create_dir_all(&root).unwrap();
        let ours = root.join(format!("dl-{}-99.part", std::process::id()));
        fs::write(&ours, b"in flight").unwrap();
        fs::write(root.join("dl-notapid-1.part"), b"junk").unwrap();
        Store::open(&root).unwrap();
        assert!(ours.is_file(), "a running download is not a leftover");
        assert!(!root.join("dl-notapid-1.part").exists());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn dropped_part_is_removed_and_leftovers_cleaned() {
        let root = temp_root("drop");
        let store = Store::open(&root).unwrap();
        let mut p = store.begin().unwrap();
        p.write(b"half").unwrap();
        drop(p);
        assert_eq!(fs::read_dir(&root).unwrap().count(), 0);
        fs::write(root.join("dl-1-1.part"), b"junk").unwrap();
        let _store = Store::open(&root).unwrap();
        assert_eq!(fs::read_dir(&root).unwrap().count(), 0);
        let _ = fs::remove_dir_all(&root);
    }
}
