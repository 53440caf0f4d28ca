//! Issue 15: archives that are one file (WordPress WXR, Blogger, RSS,
//! Atom) migrated through the folder pipeline.
//!
//! Golden cases live in `fixtures/exports/<case>/`: `input.xml`, `args`
//! (extra flags, one per line) and `expected/`, the whole output tree
//! (the resume journal left out). `MDMIGRATE_BLESS=1` rewrites
//! `expected/`. Every output is then checked stable with `fmt --check`.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports");
    let mut out: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.xml").is_file() && p.join("args").is_file())
        .collect();
    out.sort();
    out
}

/// Every file under `root` (relative path → text), the journal left out.
fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return out;
    }
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !rel.ends_with(".mdmigrate-journal.jsonl") {
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

fn migrate(input: &Path, out: &Path, args: &[String]) -> std::process::Output {
    Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn golden_exports() {
    let bless = std::env::var_os("MDMIGRATE_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 5, "fixture cases missing: {cases:?}");
    for case in cases {
        let args: Vec<String> = std::fs::read_to_string(case.join("args"))
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let out = tempfile::tempdir().unwrap();
        let run = migrate(&case.join("input.xml"), out.path(), &args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{}: {stderr}", case.display());
        let got = tree(out.path());
        let expected_dir = case.join("expected");
        if bless {
            let _ = std::fs::remove_dir_all(&expected_dir);
            for (rel, text) in &got {
                let path = expected_dir.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        } else {
            assert_eq!(got, tree(&expected_dir), "{}", case.display());
        }
        // Formatting the output again changes nothing.
        Command::cargo_bin("mdmigrate")
            .unwrap()
            .arg("fmt")
            .arg("--check")
            .arg(out.path())
            .assert()
            .success();
    }
}

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/exports")
        .join(case)
        .join("input.xml")
}

#[test]
fn detection_and_forcing_the_source() {
    for (case, first) in [
        ("wxr-rules", "_posts/classic-simple.md"),
        ("rss-feed", "_posts/entities-and-cdata.md"),
        ("atom-feed", "_posts/atom03.md"),
        ("blogger-export", "_posts/trip-to-coast.md"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let run = migrate(&fixture(case), out.path(), &[]);
        assert!(run.status.success(), "{case}");
        assert!(out.path().join(first).is_file(), "{case}: {first}");
    }
    // Forced: a WXR read as plain RSS has no pages, drafts or attachments
    // apart, so every item is a post (attachments included).
    let out = tempfile::tempdir().unwrap();
    let args = ["--source".to_owned(), "rss".to_owned()];
    let run = migrate(&fixture("wxr-rules"), out.path(), &args);
    assert!(run.status.success());
    assert!(out.path().join("_posts/about.md").is_file());
    // Not an export at all.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.xml");
    std::fs::write(&html, "<html><body>hi</body></html>").unwrap();
    let run = migrate(&html, &dir.path().join("out"), &[]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("not a WordPress, Blogger, RSS or Atom export"),
        "{stderr}"
    );
}

#[test]
fn malformed_file_names_line_and_column_and_keeps_earlier_items() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("broken.xml");
    std::fs::write(
        &input,
        "<rss version=\"2.0\"><channel>\n<item><title>First</title><link>https://f.test/first/</link><description>one</description></item>\n<item><title>Second</title><link>https://f.test/second/</link><description>two</description></item>\n<item><title>Third</broken></item>\n<item><title>Fourth</title><description>four</description></item>\n</channel></rss>\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = migrate(&input, &out, &["--target".into(), "hugo".into()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("broken.xml:4:19: malformed XML"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the 2 items before it are migrated"),
        "{stderr}"
    );
    assert!(out.join("posts/first.md").is_file());
    assert!(out.join("posts/second.md").is_file());
    assert!(!out.join("posts/fourth.md").exists());
}

#[test]
fn an_item_over_the_size_limit_is_skipped_and_the_rest_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("feed.xml");
    let big = "x".repeat(5000);
    std::fs::write(
        &input,
        format!("<rss version=\"2.0\"><channel>\n<item><title>Big</title><description>{big}</description></item>\n<item><title>Small</title><description>ok</description></item>\n</channel></rss>\n"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = migrate(&input, &out, &["--max-size".into(), "1000".into()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("feed.xml:2: <item> is larger than the size limit"),
        "{stderr}"
    );
    assert!(out.join("_posts/small.md").is_file());
    assert!(!out.join("_posts/big.md").exists());
}

#[test]
fn dry_run_writes_nothing_and_verbose_lists_skipped_items() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = migrate(
        &fixture("wxr-rules"),
        &out,
        &["--dry-run".into(), "-v".into()],
    );
    // Issue 10's mode model: posts would be written, so the dry run exits 1.
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(!out.exists());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("skipped attachment \"cat\""), "{stderr}");
    assert!(
        stderr.contains("skipped nav_menu_item \"Home\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("attachment ×2, nav_menu_item ×1"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "the slug of _posts/blocks.md is taken by an earlier item; written as _posts/blocks-2.md"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown-shortcode: [contact-form-7] kept as text"),
        "{stderr}"
    );
}

#[test]
fn bad_layout_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = migrate(
        &fixture("rss-feed"),
        &dir.path().join("out"),
        &["--layout".into(), "../{slug}.md".into()],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("bad --layout"));
}

#[test]
fn the_summary_divider_survives_any_html_post() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("post.md");
    std::fs::write(
        &post,
        "---\ntitle: t\n---\n<p>Intro <b>bold</b>.</p>\n<!-- more -->\n<p>Rest.</p>\n",
    )
    .unwrap();
    let run = Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("convert")
        .arg(&post)
        .output()
        .unwrap();
    assert!(run.status.success());
    let once = String::from_utf8(run.stdout).unwrap();
    assert_eq!(
        once,
        "---\ntitle: t\n---\n\nIntro **bold**.\n\n<!--more-->\n\nRest.\n"
    );
    // Converting the output again changes nothing.
    std::fs::write(&post, &once).unwrap();
    let twice = Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("convert")
        .arg(&post)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(twice.stdout).unwrap(), once);
}

#[test]
fn staging_notes_reach_each_posts_record_in_the_ledger_and_page() {
    let dir = tempfile::tempdir().unwrap();
    let (json, html) = (dir.path().join("r.json"), dir.path().join("r.html"));
    let run = migrate(
        &fixture("wxr-rules"),
        &dir.path().join("out"),
        &[
            "--target".into(),
            "hugo".into(),
            "--report".into(),
            json.to_str().unwrap().into(),
            "--report".into(),
            html.to_str().unwrap().into(),
        ],
    );
    assert!(run.status.success(), "{run:?}");
    let ledger: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let posts = ledger["posts"].as_array().unwrap();
    let post = |path: &str| {
        posts
            .iter()
            .find(|p| p["path"] == path)
            .unwrap_or_else(|| panic!("{path} not in {posts:?}"))
    };
    let codes = |p: &serde_json::Value| -> Vec<(String, String)> {
        p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let s = |k: &str| d[k].as_str().unwrap().to_owned();
                (s("code"), s("level"))
            })
            .collect()
    };
    let classic = post("posts/classic-simple.md");
    assert!(
        codes(classic).contains(&("unknown-shortcode".into(), "warning".into())),
        "{classic}"
    );
    assert!(
        classic["diagnostics"]
            .to_string()
            .contains("[contact-form-7] kept as text"),
        "{classic}"
    );
    // The old URL, written by the folder pipeline's writer, is noted too.
    assert!(
        codes(classic).contains(&("old-url".into(), "info".into())),
        "{classic}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("posts/classic-simple.md"), "not in the page");
    assert!(page.contains("unknown-shortcode"), "no warning in the page");
}

/// Every file under `root` as bytes (the journal left out).
fn bytes_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(root)
        .into_keys()
        .map(|rel| {
            let bytes = std::fs::read(root.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

#[test]
fn three_shards_over_an_export_write_the_tree_of_one_run() {
    for case in ["wxr-rules", "real-wxr-wordpress-com", "wxr-layout"] {
        let args: Vec<String> = std::fs::read_to_string(fixture(case).with_file_name("args"))
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let (one, sharded) = (dir.path().join("one"), dir.path().join("sharded"));
        let run = migrate(&fixture(case), &one, &args);
        assert!(run.status.success(), "{case}: {run:?}");
        let a = bytes_tree(&one);
        // Files after each shard: the first does not write them all.
        let mut counts = Vec::new();
        for k in 0..3 {
            let mut shard = args.clone();
            shard.extend(["--shard".to_owned(), format!("{k}/3")]);
            let run = migrate(&fixture(case), &sharded, &shard);
            assert!(run.status.success(), "{case} shard {k}: {run:?}");
            counts.push(bytes_tree(&sharded).len());
        }
        assert!(counts[0] < a.len(), "{case}: shard 0 wrote everything");
        let b = bytes_tree(&sharded);
        assert!(a.len() >= 3, "{case}: {:?}", a.keys());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{case}"
        );
        assert!(a == b, "{case}: the shards' tree differs from one run's");
    }
}
