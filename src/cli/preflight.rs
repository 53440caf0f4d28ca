//! `migrate`'s preflight: everything that can be checked before any work
//! is checked first (report names, mirrors, templates, whether `--out` can
//! be created and written), so a bad one exits 2 with nothing written and
//! nothing converted. Probing a folder for writing creates and removes one
//! temporary file there, never inside SRC.

use mdmigrate::batch::overlap::{Roots, resolve};
use std::path::{Path, PathBuf};

/// Report names end in `.json` or `.html`, lie outside SRC (unless in
/// `--out`), and their folder can be written.
pub fn reports(reports: &[PathBuf], roots: &Roots) -> Result<(), String> {
    for path in reports {
        match path.extension().and_then(|e| e.to_str()) {
            Some("json" | "html" | "htm") => {}
            _ => {
                return Err(format!(
                    "{}: a report must end in .json or .html",
                    path.display()
                ));
            }
        }
        let real = resolve(path);
        if real.starts_with(&roots.src) && !real.starts_with(&roots.out) {
            return Err(format!(
                "{}: a report must not be written into the source archive",
                path.display()
            ));
        }
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        writable(parent, roots).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    Ok(())
}

/// Each mirror template names `{url}` or `{path}` and makes an http(s) URL.
pub fn mirrors(templates: &[String]) -> Result<(), String> {
    let sample = url::Url::parse("https://example.com/a/b.jpg?x=1").map_err(|e| e.to_string())?;
    for template in templates {
        if !template.contains("{url}") && !template.contains("{path}") {
            return Err(format!(
                "image mirror {template:?}: names neither {{url}} nor {{path}}"
            ));
        }
        let expanded = mdmigrate::assets::expand_mirror(template, &sample);
        match url::Url::parse(&expanded) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            Ok(u) => {
                return Err(format!(
                    "image mirror {template:?}: scheme {} (only http and https)",
                    u.scheme()
                ));
            }
            Err(e) => return Err(format!("image mirror {template:?}: {e}")),
        }
    }
    Ok(())
}

/// Templates land outside SRC, and the site root can be written.
pub fn templates(site_root: &Path, rels: &[PathBuf], roots: &Roots) -> Result<(), String> {
    for rel in rels {
        let real = resolve(&site_root.join(rel));
        if real.starts_with(&roots.src) && !real.starts_with(&roots.out) {
            return Err(format!(
                "{}: the template would be written into the source archive; choose another --site-root",
                site_root.join(rel).display()
            ));
        }
    }
    if rels.is_empty() {
        return Ok(());
    }
    writable(site_root, roots).map_err(|e| format!("{}: cannot write: {e}", site_root.display()))
}

/// Whether `dir` is (or can be created as) a folder we can write: its
/// nearest existing ancestor must be a folder, and outside SRC a temporary
/// file is created and removed there to prove it.
pub fn writable(dir: &Path, roots: &Roots) -> Result<(), String> {
    let mut existing = dir.to_owned();
    while std::fs::symlink_metadata(&existing).is_err() {
        match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => existing = p.to_owned(),
            _ => {
                existing = PathBuf::from(".");
                break;
            }
        }
    }
    let meta = std::fs::metadata(&existing).map_err(|e| format!("{}: {e}", existing.display()))?;
    if !meta.is_dir() {
        return Err(format!("{} is not a folder", existing.display()));
    }
    if resolve(&existing).starts_with(&roots.src) {
        // Never create even a probe inside the archive.
        return Ok(());
    }
    tempfile::Builder::new()
        .prefix(".mdmigrate-probe-")
        .tempfile_in(&existing)
        .map(drop)
        .map_err(|e| format!("{}: {e}", existing.display()))
}

/// The resume journal in `--out`, when there is one, can be read.
pub fn journal(out: &Path) -> Result<(), String> {
    mdmigrate::batch::journal::Journal::load(out)
        .map(drop)
        .map_err(|source| {
            let path = out.join(mdmigrate::batch::journal::FILE_NAME);
            mdmigrate::batch::error::BatchError::Journal { path, source }.chain()
        })
}
