//! The pre-commit hooks, run by the real `pre-commit` tool in a temporary
//! git repository: a dirty post fails the check hook and is fixed by the
//! fmt hook; a clean one passes. Offline: the hook is built from this
//! repository's HEAD commit with `CARGO_NET_OFFLINE`, from crates already
//! fetched, with a cheap release profile and a shared target folder.

#[path = "support/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DIRTY: &str = "\n---\ntitle: 'T'\n---\n\n<div>   \n<p>A <strong>bold</strong> post.</p> \n</div>\n            ";
const CLEAN: &str = "---\ntitle: 'T'\n---\n\nA **bold** post.\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("command runs")
}

fn git(dir: &Path, args: &[&str]) {
    let out = run(Command::new("git").args(args).current_dir(dir));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn head() -> String {
    let out = run(Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root()));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn config() -> String {
    format!(
        "repos:\n- repo: {}\n  rev: {}\n  hooks:\n  - id: mdmigrate-check\n  - id: mdmigrate-fmt\n",
        root().display(),
        head()
    )
}

fn hook(dir: &Path, hook: &str, file: &str) -> Output {
    let cache = root().join("target/pre-commit-cache");
    run(Command::new("pre-commit")
        .args(["run", hook, "--files", file])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", cache.join("home"))
        .env("CARGO_TARGET_DIR", cache.join("target"))
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env_remove("CI"))
}

#[test]
fn hooks_check_and_fix_posts_with_real_pre_commit() {
    if tools::require("pre-commit", "pip install pre-commit").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::write(d.join("dirty.md"), DIRTY).unwrap();
    std::fs::write(d.join("clean.md"), CLEAN).unwrap();
    std::fs::write(d.join(".pre-commit-config.yaml"), config()).unwrap();
    git(d, &["add", "."]);

    let clean = hook(d, "mdmigrate-check", "clean.md");
    let log = |o: &Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    assert!(
        clean.status.success(),
        "clean post failed the check:\n{}",
        log(&clean)
    );

    let dirty = hook(d, "mdmigrate-check", "dirty.md");
    assert!(
        !dirty.status.success(),
        "dirty post passed the check:\n{}",
        log(&dirty)
    );
    assert!(
        log(&dirty).contains("dirty.md"),
        "the failure names the file:\n{}",
        log(&dirty)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("dirty.md")).unwrap(),
        DIRTY,
        "check modified the file"
    );

    let fixed = hook(d, "mdmigrate-fmt", "dirty.md");
    assert!(
        !fixed.status.success(),
        "pre-commit reports the file it modified:\n{}",
        log(&fixed)
    );
    assert_eq!(std::fs::read_to_string(d.join("dirty.md")).unwrap(), CLEAN);

    let again = hook(d, "mdmigrate-check", "dirty.md");
    assert!(
        again.status.success(),
        "fixed post still fails:\n{}",
        log(&again)
    );
}
