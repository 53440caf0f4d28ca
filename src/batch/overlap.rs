//! Whether the folders a run writes overlap the archive it reads.
//!
//! Decided from paths alone, before any file is read: SRC, `--out` and
//! every other written folder are resolved through symbolic links (a path
//! that does not exist yet is resolved through its nearest existing
//! ancestor). `--out` equal to SRC, or reaching it through a link, is
//! refused; `--out` inside SRC is left out of discovery; SRC inside
//! `--out` is allowed only while no output can land on an input, which
//! [`Roots::lands_on_input`] answers per planned output. Nothing here
//! writes or reads a file's contents.

use super::error::BatchError;
use std::path::{Component, Path, PathBuf};

/// SRC and `--out`, resolved, and how they nest.
#[derive(Debug, Clone)]
pub struct Roots {
    /// SRC, canonical.
    pub src: PathBuf,
    /// `--out`, canonical (through its nearest existing ancestor).
    pub out: PathBuf,
    /// `--out` relative to SRC (`/`-separated) when it lies inside SRC:
    /// the walk leaves this folder out, so a rerun finds the same posts.
    pub left_out: Option<String>,
    /// SRC relative to `--out` when SRC lies inside it.
    nested_src: Option<PathBuf>,
}

/// Resolves SRC and `--out` and refuses an overlap that could harm SRC.
/// `written` are the other folders the run writes into, each with the flag
/// that named it (`--assets-dir`, `--site-root`).
pub fn check(src: &Path, out: &Path, written: &[(&str, &Path)]) -> Result<Roots, BatchError> {
    let src_real = src.canonicalize().map_err(|e| BatchError::Read {
        path: src.to_owned(),
        source: e,
    })?;
    let out_real = resolve(out);
    if out_real == src_real {
        return Err(overlap(
            out,
            "--out is the source archive itself (through its path or a symbolic link); \
             choose another folder: migrate never writes into SRC",
        ));
    }
    let left_out = out_real.strip_prefix(&src_real).ok().map(slash_path);
    let nested_src = src_real.strip_prefix(&out_real).ok().map(Path::to_owned);
    for (flag, dir) in written {
        let real = resolve(dir);
        let inside_out = real.starts_with(&out_real);
        if real == src_real || (real.starts_with(&src_real) && !inside_out) {
            return Err(overlap(
                dir,
                &format!("{flag} lies in the source archive; choose a folder outside SRC"),
            ));
        }
        if src_real.starts_with(&real) && !inside_out {
            return Err(overlap(
                dir,
                &format!("{flag} holds the source archive; choose a folder outside it"),
            ));
        }
    }
    Ok(Roots {
        src: src_real,
        out: out_real,
        left_out,
        nested_src,
    })
}

impl Roots {
    /// Whether an output at `out_rel` (relative to `--out`) would land on
    /// or inside SRC: only possible when SRC lies inside `--out`.
    pub fn lands_on_input(&self, out_rel: &str) -> bool {
        let Some(nested) = &self.nested_src else {
            return false;
        };
        Path::new(out_rel).starts_with(nested)
    }

    /// The refusal for an output that would land in SRC.
    pub fn refuse_nested(&self, out_rel: &str) -> BatchError {
        overlap(
            &self.out.join(out_rel),
            "SRC lies inside --out and this output would land on an input; \
             choose an --out that does not hold SRC",
        )
    }
}

fn overlap(path: &Path, reason: &str) -> BatchError {
    BatchError::Overlap {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

/// `path` made absolute and resolved through symbolic links: the nearest
/// existing ancestor is canonicalized and the rest is appended, with `..`
/// and `.` settled lexically.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_owned())
    };
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component<'_>> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return append(real, rest.iter().rev());
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => {
                return append(
                    PathBuf::new(),
                    absolute.components().collect::<Vec<_>>().iter(),
                );
            }
        }
    }
}

fn append<'a>(mut base: PathBuf, parts: impl Iterator<Item = &'a Component<'a>>) -> PathBuf {
    for part in parts {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                base.pop();
            }
            other => base.push(other.as_os_str()),
        }
    }
    base
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_equal_to_src_is_refused_also_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        assert!(check(&src, &src, &[]).is_err());
        assert!(check(&src, &src.join("."), &[]).is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&src, &link).unwrap();
            assert!(check(&src, &link, &[]).is_err());
            let roots = check(&src, &link.join("out/new"), &[]).unwrap();
            assert_eq!(roots.left_out.as_deref(), Some("out/new"));
        }
    }

    #[test]
    fn src_inside_out_refuses_only_outputs_that_land_on_it() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("site/old");
        std::fs::create_dir_all(&src).unwrap();
        let roots = check(&src, &dir.path().join("site"), &[]).unwrap();
        assert!(roots.lands_on_input("old/a.md"));
        assert!(!roots.lands_on_input("a.md"));
        assert!(!roots.lands_on_input("older/a.md"));
    }

    #[test]
    fn a_written_folder_inside_src_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        let out = dir.path().join("out");
        let err = check(&src, &out, &[("--assets-dir", &src.join("img"))]).unwrap_err();
        assert!(err.to_string().contains("--assets-dir"));
        assert!(
            check(
                &src,
                &src.join("out"),
                &[("--assets-dir", &src.join("out/img"))]
            )
            .is_ok()
        );
    }
}
