//! Issue 10, the property: random archive trees with `--out` at random
//! places (inside SRC, equal to it, beside it, through a symbolic link,
//! holding it) never modify or remove a byte of SRC, write nothing outside
//! `--out`, and two runs give the same output tree.

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where `--out` goes, relative to SRC.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// `SRC/out`
    Inside,
    /// `SRC/<first folder>/out` (or `SRC/out` when there is none)
    DeepInside,
    /// SRC itself
    Equal,
    /// a sibling folder
    Beside,
    /// a symbolic link to SRC
    #[cfg(unix)]
    Link,
    /// a folder below a symbolic link to SRC
    #[cfg(unix)]
    BelowLink,
    /// the folder holding SRC
    Holding,
}

fn place() -> impl Strategy<Value = Place> {
    let places = vec![
        Place::Inside,
        Place::DeepInside,
        Place::Equal,
        Place::Beside,
        #[cfg(unix)]
        Place::Link,
        #[cfg(unix)]
        Place::BelowLink,
        Place::Holding,
    ];
    proptest::sample::select(places)
}

/// A file of a random archive: its path and bytes.
fn file() -> impl Strategy<Value = (String, Vec<u8>)> {
    let dir = proptest::sample::select(vec!["", "a/", "a/b/", "src/", ".hidden/", "out/"]);
    let stem = proptest::sample::select(vec!["p", "q", "index", "_x", ".dot", "img"]);
    let ext = proptest::sample::select(vec!["md", "html", "png", "txt"]);
    let body = proptest::sample::select(vec![
        "<p>Hello <b>world</b></p>\n",
        "---\ntitle: T\n---\n<div><p>x</p><img src=\"img.png\"></div>\n",
        "plain text *already* markdown\n",
        "\u{89}PNG bytes",
    ]);
    (dir, stem, ext, body).prop_map(|(d, s, e, b)| (format!("{d}{s}.{e}"), b.as_bytes().to_vec()))
}

/// Every entry under `dir` (files with bytes, links with targets, folders),
/// relative, not descending into `skip` (relative).
fn snapshot(dir: &Path, skip: Option<&Path>) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if std::fs::symlink_metadata(dir).is_err() {
        // A run that had nothing to write made no `--out`.
        return out;
    }
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| skip.is_none_or(|s| e.path() != s));
    for entry in walk {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let value = if entry.path_is_symlink() {
            let target = std::fs::read_link(entry.path()).unwrap();
            format!("link→{}", target.display()).into_bytes()
        } else if entry.file_type().is_file() {
            std::fs::read(entry.path()).unwrap()
        } else {
            b"<dir>".to_vec()
        };
        out.insert(rel, value);
    }
    out
}

fn migrate(src: &Path, out: &Path) -> Option<i32> {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("mdmigrate"))
        .arg("migrate")
        .arg(src)
        .arg("--out")
        .arg(out)
        .args(["-q", "--jobs", "1"])
        .output()
        .unwrap()
        .status
        .code()
}

/// The `--out` for `place` and the folder whose contents are its output
/// tree (the link's target folder for links).
fn out_for(place: Place, root: &Path, src: &Path) -> (PathBuf, PathBuf) {
    let first_dir = ["a", "src", "out"]
        .iter()
        .map(|d| src.join(d))
        .find(|d| d.is_dir());
    match place {
        Place::Inside => (src.join("out"), src.join("out")),
        Place::DeepInside => {
            let base = first_dir.unwrap_or_else(|| src.to_owned());
            (base.join("out"), base.join("out"))
        }
        Place::Equal => (src.to_owned(), src.to_owned()),
        Place::Beside => (root.join("beside"), root.join("beside")),
        #[cfg(unix)]
        Place::Link => {
            std::os::unix::fs::symlink(src, root.join("link")).unwrap();
            (root.join("link"), src.to_owned())
        }
        #[cfg(unix)]
        Place::BelowLink => {
            std::os::unix::fs::symlink(src, root.join("link")).unwrap();
            (root.join("link/new"), src.join("new"))
        }
        Place::Holding => (root.to_owned(), root.to_owned()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn src_is_never_harmed_and_runs_are_stable(
        files in proptest::collection::vec(file(), 1..8),
        place in place(),
        links in proptest::bool::ANY,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let src = root.join("src");
        std::fs::create_dir_all(&src).unwrap();
        for (rel, bytes) in &files {
            let path = src.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        #[cfg(unix)]
        if links {
            // Links in the archive: to a folder of it and out of it.
            std::os::unix::fs::symlink(&src, src.join("loop")).unwrap();
            std::fs::write(root.join("outside.md"), "<p>secret</p>").unwrap();
            std::os::unix::fs::symlink(root.join("outside.md"), src.join("leak.md")).unwrap();
        }
        #[cfg(not(unix))]
        let _ = links;
        let before = snapshot(&src, None);
        let (out, out_tree) = out_for(place, &root, &src);
        // `--out` inside SRC is output, not archive: left out of SRC's view.
        let skip = (out_tree != src).then_some(out_tree.as_path());
        let first = migrate(&src, &out);
        let src_after = snapshot(&src, skip);
        let tree_one = snapshot(&out_tree, Some(&src));
        let second = migrate(&src, &out);
        let tree_two = snapshot(&out_tree, Some(&src));
        prop_assert_eq!(&snapshot(&src, skip), &src_after);
        for (rel, bytes) in &before {
            if skip.is_some_and(|s| src.join(rel).starts_with(s)) {
                continue;
            }
            prop_assert_eq!(src_after.get(rel), Some(bytes), "{} changed or removed", rel);
        }
        let new: Vec<_> = src_after.keys().filter(|k| !before.contains_key(*k)).collect();
        prop_assert!(new.is_empty(), "written into SRC outside --out: {:?}", new);
        prop_assert!(matches!(first, Some(0 | 2)), "{:?}", first);
        prop_assert_eq!(first, second);
        if out_tree == src {
            prop_assert_eq!(first, Some(2));
        }
        prop_assert_eq!(tree_one, tree_two);
    }
}
