//! Issue 13, bullet 6: a coloured diff on a terminal (`--color
//! auto|always|never`, `NO_COLOR`), as git and ruff do; plain when piped.

use assert_cmd::Command;

const DIRTY: &str = "---\ntitle: x\n---\n<p>Hello <b>world</b></p>\n";

fn mdmigrate() -> Command {
    Command::cargo_bin("mdmigrate").expect("binary built")
}

fn diff(color: Option<&str>, no_color: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), DIRTY).unwrap();
    let mut cmd = mdmigrate();
    cmd.current_dir(dir.path()).args(["fmt", "--diff", "p.md"]);
    if let Some(c) = color {
        cmd.args(["--color", c]);
    }
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn piped_diffs_are_plain_unless_colour_is_forced() {
    let plain = diff(None, false);
    assert!(plain.starts_with("--- p.md\n+++ p.md\n@@"), "{plain}");
    assert!(!plain.contains('\x1b'));
    assert_eq!(diff(Some("never"), false), plain);
    let coloured = diff(Some("always"), true);
    assert!(
        coloured.contains("\x1b[31m-<p>Hello <b>world</b></p>\x1b[0m\n"),
        "{coloured:?}"
    );
    assert!(
        coloured.contains("\x1b[32m+Hello **world**\x1b[0m\n"),
        "{coloured:?}"
    );
    assert!(coloured.contains("\x1b[36m@@"), "{coloured:?}");
    // Without the escapes it is the same patch.
    let stripped = regex::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(&coloured, "");
    assert_eq!(stripped, plain);
}

/// stdout of `command` run on a pseudo-terminal (util-linux `script`).
fn on_a_terminal(command: &str, dir: &std::path::Path) -> Option<String> {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is needed under CI"
        );
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let out = std::process::Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), DIRTY).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("mdmigrate");
    let run = format!("'{}' fmt --diff p.md", bin.display());
    let Some(auto) = on_a_terminal(&run, dir.path()) else {
        return;
    };
    assert!(auto.contains("\x1b[32m+Hello **world**"), "{auto:?}");
    let no_color = on_a_terminal(&format!("NO_COLOR=1 {run}"), dir.path()).unwrap_or_default();
    assert!(no_color.contains("+Hello **world**"), "{no_color:?}");
    assert!(!no_color.contains("\x1b[32m"), "{no_color:?}");
}
