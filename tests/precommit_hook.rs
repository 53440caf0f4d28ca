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

/// A README whose HTML `fmt` would rewrite: the hooks must leave it alone.
const README: &str = "# Project\n\n<div><p>Some <b>HTML</b> in a README.</p></div>\n";
const POST: &str = "source/_posts/dirty.md";
const CLEAN_POST: &str = "source/_posts/clean.md";

fn config() -> String {
    format!(
        "repos:\n- repo: {}\n  rev: {}\n  hooks:\n  - id: mdmigrate-check\n  - id: mdmigrate-fmt\n",
        root().display(),
        head()
    )
}

/// The README's `language: system` variant, for users who have the binary.
const SYSTEM_CONFIG: &str = "repos:
- repo: local
  hooks:
  - id: mdmigrate-check
    name: mdmigrate (check)
    entry: mdmigrate fmt --check --force-exclude
    language: system
    types: [markdown]
    files: '(^|/)(_posts|_drafts|posts|content)/'
";

/// A git repository with a README, a dirty and a clean post, and `config`.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::create_dir_all(d.join("source/_posts")).unwrap();
    std::fs::write(d.join(POST), DIRTY).unwrap();
    std::fs::write(d.join(CLEAN_POST), CLEAN).unwrap();
    std::fs::write(d.join("README.md"), README).unwrap();
    std::fs::write(d.join(".pre-commit-config.yaml"), config).unwrap();
    git(d, &["add", "."]);
    dir
}

fn log(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn pre_commit(dir: &Path, args: &[&str]) -> Command {
    let cache = root().join("target/pre-commit-cache");
    let mut cmd = Command::new("pre-commit");
    cmd.args(["run"])
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", cache.join("home"))
        .env("CARGO_TARGET_DIR", cache.join("target"))
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env_remove("CI");
    cmd
}

fn hook(dir: &Path, hook: &str, file: &str) -> Output {
    run(&mut pre_commit(dir, &[hook, "--files", file]))
}

fn readme_untouched(d: &Path) {
    assert_eq!(
        std::fs::read_to_string(d.join("README.md")).unwrap(),
        README,
        "a hook rewrote the README"
    );
}

#[test]
fn hooks_check_and_fix_posts_with_real_pre_commit() {
    if tools::require("pre-commit", "pip install pre-commit").is_none() {
        return;
    }
    let dir = repo(&config());
    let d = dir.path();

    let clean = hook(d, "mdmigrate-check", CLEAN_POST);
    assert!(
        clean.status.success(),
        "clean post failed the check:\n{}",
        log(&clean)
    );

    let dirty = hook(d, "mdmigrate-check", POST);
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
        std::fs::read_to_string(d.join(POST)).unwrap(),
        DIRTY,
        "check modified the file"
    );

    let fixed = hook(d, "mdmigrate-fmt", POST);
    assert!(
        !fixed.status.success(),
        "pre-commit reports the file it modified:\n{}",
        log(&fixed)
    );
    assert_eq!(std::fs::read_to_string(d.join(POST)).unwrap(), CLEAN);

    let again = hook(d, "mdmigrate-check", POST);
    assert!(
        again.status.success(),
        "fixed post still fails:\n{}",
        log(&again)
    );
}

/// Issue 13: with every file of the repository, the hooks look only at
/// posts; the README (whose HTML `fmt` would rewrite) is neither flagged
/// nor changed.
#[test]
fn issue_13_hooks_on_all_files_leave_the_readme_alone() {
    if tools::require("pre-commit", "pip install pre-commit").is_none() {
        return;
    }
    let dir = repo(&config());
    let d = dir.path();

    let check = run(&mut pre_commit(d, &["mdmigrate-check", "--all-files"]));
    assert!(
        !check.status.success(),
        "dirty post passed:\n{}",
        log(&check)
    );
    assert!(log(&check).contains("dirty.md"), "{}", log(&check));
    assert!(
        !log(&check).contains("README"),
        "README flagged:\n{}",
        log(&check)
    );

    let fix = run(&mut pre_commit(d, &["mdmigrate-fmt", "--all-files"]));
    assert!(!fix.status.success(), "{}", log(&fix));
    assert_eq!(std::fs::read_to_string(d.join(POST)).unwrap(), CLEAN);
    readme_untouched(d);
}

/// Issue 13: the README's `language: system` hook, with the binary on
/// PATH, checks posts the same way and leaves the README alone.
#[test]
fn issue_13_system_language_hook_from_the_readme() {
    if tools::require("pre-commit", "pip install pre-commit").is_none() {
        return;
    }
    let dir = repo(SYSTEM_CONFIG);
    let d = dir.path();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_mdmigrate"));
    let path = std::env::join_paths(
        std::iter::once(bin.parent().unwrap().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();

    let check = run(pre_commit(d, &["--all-files"]).env("PATH", path));
    assert!(
        !check.status.success(),
        "dirty post passed:\n{}",
        log(&check)
    );
    assert!(log(&check).contains("dirty.md"), "{}", log(&check));
    assert!(!log(&check).contains("README"), "{}", log(&check));
    assert_eq!(std::fs::read_to_string(d.join(POST)).unwrap(), DIRTY);
    readme_untouched(d);
}
