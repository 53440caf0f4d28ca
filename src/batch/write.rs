//! Atomic writes: a temporary file in the target folder, then a rename, so
//! a reader never sees half a file under its final name, whatever happens
//! (kill, disk full, Ctrl-C). On Linux a new file is written unnamed
//! (`O_TMPFILE`) and named once complete, which is as atomic and leaves
//! nothing behind when the run is killed.
//!
//! New files get the mode `open(2)` gives with 0666 (so the umask decides,
//! as for `cp` and `git`); a file that is replaced keeps its own mode. A
//! [`Guard`] holds the inputs of a run: as defence in depth, a write that
//! would land on one of them is refused here, whatever the caller planned.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The input files of a run, which no write may replace, and the source
/// folder, which no write may enter (unless it lands in the output folder
/// inside it).
#[derive(Debug, Clone, Default)]
pub struct Guard {
    inputs: HashSet<PathBuf>,
    /// SRC and `--out`, canonical.
    roots: Option<(PathBuf, PathBuf)>,
    /// Folders already resolved in this run, and what they resolved to
    /// (a run writes many files into few folders).
    folders: Arc<Mutex<HashMap<PathBuf, PathBuf>>>,
}

impl Guard {
    /// A guard over these files (canonicalized; files that vanish are
    /// dropped, they can no longer be harmed).
    pub fn over<'a>(inputs: impl IntoIterator<Item = &'a Path>) -> Guard {
        let mut guard = Guard::default();
        guard.inputs = inputs
            .into_iter()
            .filter_map(|p| guard.resolve(p))
            .collect();
        guard
    }

    /// Also refuses any new file inside `src` that is not inside `out`
    /// (both canonical): a link in the output tree cannot lead into SRC.
    pub fn within(mut self, src: PathBuf, out: PathBuf) -> Guard {
        self.roots = Some((src, out));
        self
    }

    /// A guard that refuses nothing (`fmt` rewrites its inputs by design).
    pub fn none() -> Guard {
        Guard::default()
    }

    /// Whether writing `path` would replace an input of the run or enter
    /// the source folder.
    pub fn protects(&self, path: &Path) -> bool {
        self.protects_seen(path, std::fs::symlink_metadata(path).ok().as_ref())
    }

    /// [`Guard::protects`], with what `lstat` says of `path` already known.
    fn protects_seen(&self, path: &Path, seen: Option<&std::fs::Metadata>) -> bool {
        if self.inputs.is_empty() && self.roots.is_none() {
            return false;
        }
        let canonical = self.in_folder(path).unwrap_or_else(|| path.to_owned());
        let in_src = |p: &Path| {
            self.roots
                .as_ref()
                .is_some_and(|(src, out)| p.starts_with(src) && !p.starts_with(out))
        };
        // Only a link leads elsewhere than its folder says: a missing file
        // or a plain one is `canonical` itself.
        let is_link = seen.is_some_and(|m| m.file_type().is_symlink());
        let real = is_link.then(|| path.canonicalize().ok()).flatten();
        self.inputs.contains(&canonical)
            || in_src(&canonical)
            || real.is_some_and(|c| self.inputs.contains(&c) || in_src(&c))
    }

    /// Where `path` really is (`Path::canonicalize`), its folder resolved
    /// once per run; `None` when it does not exist.
    fn resolve(&self, path: &Path) -> Option<PathBuf> {
        if std::fs::symlink_metadata(path)
            .ok()?
            .file_type()
            .is_symlink()
        {
            return path.canonicalize().ok();
        }
        self.in_folder(path)
    }

    /// `path` with its folder resolved through links (the name kept).
    fn in_folder(&self, path: &Path) -> Option<PathBuf> {
        let (dir, name) = (path.parent()?, path.file_name()?);
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        self.folder(dir).map(|d| d.join(name))
    }

    /// Whether `dir` was already resolved in this run (so it exists).
    fn knows_folder(&self, dir: &Path) -> bool {
        let folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        folders.contains_key(dir)
    }

    /// `dir` resolved through links, once per run; `None` while it does
    /// not exist (not remembered: it may be created).
    fn folder(&self, dir: &Path) -> Option<PathBuf> {
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(real) = folders.get(dir) {
            return Some(real.clone());
        }
        let real = dir.canonicalize().ok()?;
        folders.insert(dir.to_owned(), real.clone());
        Some(real)
    }

    /// The error for a refused write.
    fn refuse(path: &Path) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{} is an input of this run or lies in SRC; refusing to write it",
                path.display()
            ),
        )
    }
}

/// Writes `bytes` to `path` atomically, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, false)
}

/// Like [`write_atomic`]; `durable` also syncs the data to disk before the
/// rename (for files that replace an input: `fmt` in place), at a cost of
/// one disk flush per file.
pub fn write_atomic_with(path: &Path, bytes: &[u8], durable: bool) -> std::io::Result<()> {
    write_guarded(path, bytes, durable, &Guard::none())
}

/// Like [`write_atomic_with`], refusing a path `guard` protects.
pub fn write_guarded(
    path: &Path,
    bytes: &[u8],
    durable: bool,
    guard: &Guard,
) -> std::io::Result<()> {
    write_with_mode(path, bytes, durable, guard, NEW_FILE_MODE)
}

/// Like [`write_guarded`], with the contents streamed by `body` into the
/// temporary file (for files too large to hold in memory: reports).
pub fn write_guarded_with(
    path: &Path,
    guard: &Guard,
    body: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_streamed(path, false, guard, NEW_FILE_MODE, body)
}

/// Mode asked for new files (the umask takes its bits off).
const NEW_FILE_MODE: u32 = 0o666;

/// Writes atomically; a new file is created with `new_mode` minus the
/// umask, a replaced file keeps its mode.
fn write_with_mode(
    path: &Path,
    bytes: &[u8],
    durable: bool,
    guard: &Guard,
    new_mode: u32,
) -> std::io::Result<()> {
    write_streamed(path, durable, guard, new_mode, |file| file.write_all(bytes))
}

/// Writes atomically what `body` writes into the temporary file.
fn write_streamed(
    path: &Path,
    durable: bool,
    guard: &Guard,
    new_mode: u32,
    body: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // One look at the target serves the folder check, the guard and the
    // mode kept: most writes go to a folder already seen in this run.
    let existing = std::fs::symlink_metadata(path).ok();
    if existing.is_none() && !guard.knows_folder(dir) && !dir.is_dir() {
        std::fs::create_dir_all(dir)?;
    }
    if guard.protects_seen(path, existing.as_ref()) {
        return Err(Guard::refuse(path));
    }
    #[cfg(target_os = "linux")]
    let body = match existing {
        None => match unnamed::write_new(dir, path, durable, new_mode, body) {
            unnamed::Outcome::Written => return Ok(()),
            unnamed::Outcome::Failed(e) => return Err(e),
            unnamed::Outcome::Unsupported(body) => body,
        },
        Some(_) => body,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mdmigrate-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(new_mode));
    }
    #[cfg(not(unix))]
    let _ = new_mode;
    let mut tmp = builder.tempfile_in(dir)?;
    body(tmp.as_file_mut())?;
    if durable {
        tmp.as_file().sync_all()?;
    }
    // A replaced file keeps its mode (a link's target's).
    let kept = match &existing {
        Some(m) if m.file_type().is_symlink() => std::fs::metadata(path).ok(),
        other => other.clone(),
    };
    if let Some(meta) = kept {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// New files written as an unnamed file in their folder (`O_TMPFILE`) that
/// is given its name once complete (`linkat`): as atomic as a temporary
/// file and a rename, with one name created instead of two changes.
#[cfg(target_os = "linux")]
mod unnamed {
    use rustix::fs::{AtFlags, CWD, Mode, OFlags};
    use std::io::{Seek, Write};
    use std::os::fd::AsRawFd;
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, Ordering};

    pub enum Outcome<B> {
        Written,
        Failed(std::io::Error),
        /// The folder's file system (or the kernel) has no unnamed files:
        /// write the usual way; `body` has not run.
        Unsupported(B),
    }

    pub fn write_new<B>(dir: &Path, path: &Path, durable: bool, mode: u32, body: B) -> Outcome<B>
    where
        B: FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    {
        let flags = OFlags::RDWR | OFlags::TMPFILE | OFlags::CLOEXEC;
        let Ok(fd) = rustix::fs::openat(CWD, dir, flags, Mode::from_raw_mode(mode)) else {
            return Outcome::Unsupported(body);
        };
        let mut file = std::fs::File::from(fd);
        let written = body(&mut file).and_then(|()| {
            if durable {
                file.sync_all()?;
            }
            name(&mut file, dir, path, mode)
        });
        match written {
            Ok(()) => Outcome::Written,
            Err(e) => Outcome::Failed(e),
        }
    }

    /// Whether `linkat` with `AT_EMPTY_PATH` may be used: it needs a
    /// capability most processes lack (`CAP_DAC_READ_SEARCH`); once it is
    /// refused, the run names files through `/proc` only.
    static BY_DESCRIPTOR: AtomicBool = AtomicBool::new(true);

    /// Names `file` through its descriptor, with no path lookup in
    /// `/proc`; false when that is refused (or the name is taken).
    fn link_by_descriptor(file: &std::fs::File, path: &Path) -> bool {
        if !BY_DESCRIPTOR.load(Ordering::Relaxed) {
            return false;
        }
        match rustix::fs::linkat(file, "", CWD, path, AtFlags::EMPTY_PATH) {
            Ok(()) => true,
            Err(rustix::io::Errno::EXIST) => false,
            Err(_) => {
                BY_DESCRIPTOR.store(false, Ordering::Relaxed);
                false
            }
        }
    }

    /// Gives the complete unnamed `file` its name; where that cannot be
    /// done (no `/proc`, or a file appeared there meanwhile), its bytes go
    /// through a named temporary file and a rename instead.
    fn name(file: &mut std::fs::File, dir: &Path, path: &Path, mode: u32) -> std::io::Result<()> {
        if link_by_descriptor(file, path) {
            return Ok(());
        }
        let fd_path = format!("/proc/self/fd/{}", file.as_raw_fd());
        if rustix::fs::linkat(CWD, fd_path.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW).is_ok() {
            return Ok(());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".mdmigrate-").suffix(".tmp");
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let mut tmp = builder.tempfile_in(dir)?;
        file.rewind()?;
        std::io::copy(file, tmp.as_file_mut())?;
        tmp.as_file_mut().flush()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(tmp.path(), meta.permissions())?;
        }
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Copies `from` to `to` atomically (same bytes; a new file gets 0666
/// minus the umask, plus `from`'s execute bits, as `git` checks files out),
/// unless `to` already holds them.
/// Returns whether anything was written.
pub fn copy_atomic(from: &Path, to: &Path, guard: &Guard) -> std::io::Result<bool> {
    let bytes = std::fs::read(from)?;
    if holds(to, &bytes) {
        return Ok(false);
    }
    write_with_mode(to, &bytes, false, guard, source_mode(from))?;
    Ok(true)
}

/// 0666 plus the execute bits of `path`.
fn source_mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let exec = std::fs::metadata(path).map_or(0, |m| m.permissions().mode() & 0o111);
        NEW_FILE_MODE | exec
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        NEW_FILE_MODE
    }
}

/// Whether the file at `path` holds exactly `bytes` (sizes first).
pub(crate) fn holds(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|there| there == bytes)
}

/// Whether a copy of `from` at `to` would change anything.
pub(crate) fn copy_would_change(from: &Path, to: &Path) -> std::io::Result<bool> {
    let bytes = std::fs::read(from)?;
    Ok(!holds(to, &bytes))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_guard_sees_through_links_to_inputs_and_src() {
        let dir = tempfile::tempdir().unwrap();
        let (src, out) = (dir.path().join("src"), dir.path().join("out"));
        std::fs::create_dir_all(src.join("sub")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        let input = src.join("sub/a.html");
        std::fs::write(&input, "<p>a</p>").unwrap();
        std::os::unix::fs::symlink(&input, out.join("file-link.md")).unwrap();
        std::os::unix::fs::symlink(src.join("sub"), out.join("dir-link")).unwrap();
        let canonical = |p: &Path| p.canonicalize().unwrap();
        let guard = Guard::over([input.as_path()]).within(canonical(&src), canonical(&out));
        assert!(guard.protects(&input));
        assert!(guard.protects(&out.join("file-link.md")));
        assert!(guard.protects(&out.join("dir-link/new.md")));
        assert!(guard.protects(&out.join("dir-link/a.html")));
        // Asked twice: the folder is remembered, the answer stays.
        assert!(guard.protects(&out.join("dir-link/other.md")));
        assert!(!guard.protects(&out.join("a.md")));
        assert!(!guard.protects(&out.join("new/deeper/a.md")));
        assert!(!Guard::none().protects(&input));
    }

    #[test]
    fn a_replaced_file_keeps_its_mode_and_new_folders_are_made() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/post.md");
        let guard = Guard::over([]).within(dir.path().join("src"), dir.path().to_owned());
        write_guarded(&path, b"one", false, &guard).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_guarded(&path, b"two", false, &guard).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            (std::fs::read(&path).unwrap(), mode),
            (b"two".to_vec(), 0o600)
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_unnamed_file_that_cannot_take_its_name_still_lands_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        // A file appears after the look: linking fails, the rename replaces it.
        std::fs::write(&path, "stale").unwrap();
        let outcome =
            unnamed::write_new(dir.path(), &path, false, 0o666, |f| f.write_all(b"fresh"));
        assert!(matches!(outcome, unnamed::Outcome::Written));
        assert_eq!(std::fs::read(&path).unwrap(), b"fresh");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["post.md"], "no temporary file is left");
    }
}
