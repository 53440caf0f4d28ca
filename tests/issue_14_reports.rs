//! Issue 14, item 1: reports that scale. The ledger is streamed (one post
//! per line, in the run's order, whatever the finishing order of the
//! workers), and the page lists only the posts that need attention, with
//! the clean ones as folders with counts. Diagnostics are counted by level.

use assert_cmd::Command;
use mdmigrate::report::ledger::Ledger;
use std::path::Path;

fn mdmigrate() -> Command {
    let mut cmd = Command::cargo_bin("mdmigrate").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The sample archive's posts copied into three folders, plus one post
/// that is not UTF-8 (it fails).
fn archive(src: &Path) -> usize {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-archive");
    let mut posts = 0;
    for folder in ["a", "b/c", "d"] {
        for entry in walkdir::WalkDir::new(&sample) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                let name = entry.file_name().to_string_lossy().into_owned();
                let to = src.join(folder).join(name);
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), to).unwrap();
                posts += 1;
            }
        }
    }
    std::fs::write(
        src.join("b/broken.md"),
        b"---\ntitle: x\n---\n<p>\xff\xfe</p>\n",
    )
    .unwrap();
    posts + 1
}

fn run(src: &Path, out: &Path, json: &Path, html: &Path, jobs: &str) {
    mdmigrate()
        .arg("migrate")
        .arg(src)
        .arg("--out")
        .arg(out)
        .args(["--jobs", jobs, "-q", "--report"])
        .arg(json)
        .arg("--report")
        .arg(html)
        .assert()
        .code(2);
}

#[test]
fn ledger_is_streamed_one_post_per_line_in_run_order() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let posts = archive(&src);
    let (json, html) = (dir.path().join("r.json"), dir.path().join("r.html"));
    run(&src, &dir.path().join("out"), &json, &html, "2");

    let text = std::fs::read_to_string(&json).unwrap();
    let ledger: Ledger = serde_json::from_str(&text).unwrap();
    assert_eq!(ledger.posts.len(), posts);
    assert_eq!(ledger.totals.posts, posts);
    assert_eq!(ledger.totals.failed, 1);
    let paths: Vec<&str> = ledger.posts.iter().map(|p| p.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "posts in the run's (sorted) order");
    // One post per line: a line tool can read the ledger too.
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("    {\"path\":"))
        .collect();
    assert_eq!(lines.len(), posts);
    for (line, post) in lines.iter().zip(&ledger.posts) {
        let one: mdmigrate::report::ledger::LedgerPost =
            serde_json::from_str(line.trim_end_matches(',').trim()).unwrap();
        assert_eq!(&one, post);
    }
    // Diagnostics by level: the sample's rules leave info notes only.
    let by_level = &ledger.totals.diagnostics;
    assert!(
        by_level.get("info").copied().unwrap_or(0) > 0,
        "{by_level:?}"
    );
    assert_eq!(by_level.get("warning"), None, "{by_level:?}");

    // The same run on one thread gives the same posts, byte for byte.
    let (json1, html1) = (dir.path().join("r1.json"), dir.path().join("r1.html"));
    run(&src, &dir.path().join("out1"), &json1, &html1, "1");
    let posts_of = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("    {"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        posts_of(&text),
        posts_of(&std::fs::read_to_string(&json1).unwrap())
    );
}

#[test]
fn page_lists_problems_and_summarizes_clean_posts_by_folder() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let posts = archive(&src);
    let (json, html) = (dir.path().join("r.json"), dir.path().join("r.html"));
    run(&src, &dir.path().join("out"), &json, &html, "2");
    let page = std::fs::read_to_string(&html).unwrap();

    // Only the failed post is a row and a section; its reason is visible.
    assert_eq!(page.matches("<tr class=\"post-row\"").count(), 1);
    assert_eq!(page.matches("<details class=\"post\"").count(), 1);
    assert!(
        page.contains("<tr class=\"post-row\" data-path=\"b/broken.md\" data-status=\"failed\"")
    );
    assert!(page.contains("Posts needing attention (1)"));
    // The clean ones: one folder line each, with counts and their names.
    let clean = posts - 1;
    assert!(page.contains(&format!("Clean posts by folder ({clean} posts in ")));
    for folder in ["a/", "b/c/", "d/"] {
        assert!(
            page.contains(&format!("<summary><code>{folder}</code>")),
            "{folder}"
        );
    }
    assert!(page.contains("<dt>info diagnostics</dt>"));
    assert!(!page.contains("<dt>warning diagnostics</dt>"));
    assert!(page.contains("id=\"path-search\""));
}
