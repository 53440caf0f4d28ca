//! Golden fixtures: `fixtures/<group>/<case>/input.(html|md)` + `expected.md`.
//!
//! For every case: (a) the output equals `expected.md`; (b) the diagnostic
//! codes equal `expected.diagnostics` (when present); (c) converting the
//! output again gives the same bytes. `MDMIGRATE_BLESS=1 cargo test --test
//! fixtures` rewrites the expected files; review them as a diff.

use mdmigrate::config::Config;
use mdmigrate::post::{BodyKind, PostOptions, convert_post};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

struct Case {
    dir: PathBuf,
    input: PathBuf,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    let mut groups: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    groups.sort();
    for group in groups.into_iter().filter(|g| g.is_dir()) {
        let mut dirs: Vec<_> = std::fs::read_dir(&group)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for dir in dirs.into_iter().filter(|d| d.is_dir()) {
            let input = ["input.html", "input.md"]
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.exists());
            if let Some(input) = input {
                out.push(Case { dir, input });
            }
        }
    }
    out
}

/// The case's `options.toml` is a small `mdmigrate.toml`: it goes through
/// the same config code as the CLI.
fn options(dir: &Path, input: &Path) -> PostOptions {
    let path = dir.join("options.toml");
    let case = if path.exists() {
        Config::load(&path).unwrap_or_else(|e| panic!("{e}"))
    } else {
        Config::default()
    };
    let config = Config::defaults().merge(case);
    config
        .site_rules()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut options = config.post_options();
    options.body = body_kind(input);
    options
}

fn body_kind(input: &Path) -> BodyKind {
    if input.extension().is_some_and(|e| e == "html") {
        BodyKind::Html
    } else {
        BodyKind::Auto
    }
}

#[test]
fn every_fixture_matches_and_is_stable() {
    let bless = std::env::var_os("MDMIGRATE_BLESS").is_some();
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() > 150, "fixtures not found");
    for case in &all {
        if let Err(e) = check(case, bless) {
            failures.push(format!("{}: {e}", case.dir.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

fn check(case: &Case, bless: bool) -> Result<(), String> {
    let input = std::fs::read_to_string(&case.input).map_err(|e| e.to_string())?;
    let mut options = options(&case.dir, &case.input);
    let post = convert_post(&input, &options).map_err(|e| e.to_string())?;
    let codes: BTreeSet<&str> = post.diagnostics.iter().map(|d| d.code).collect();
    let codes_text: String = codes.iter().map(|c| format!("{c}\n")).collect();
    let expected_path = case.dir.join("expected.md");
    let diag_path = case.dir.join("expected.diagnostics");
    if bless {
        std::fs::write(&expected_path, &post.text).map_err(|e| e.to_string())?;
        if codes.is_empty() {
            let _ = std::fs::remove_file(&diag_path);
        } else {
            std::fs::write(&diag_path, &codes_text).map_err(|e| e.to_string())?;
        }
    }
    let expected =
        std::fs::read_to_string(&expected_path).map_err(|e| format!("expected.md: {e}"))?;
    if post.text != expected {
        return Err(format!(
            "output differs from expected.md:\n{}",
            first_difference(&expected, &post.text)
        ));
    }
    let expected_codes = std::fs::read_to_string(&diag_path).unwrap_or_default();
    if expected_codes != codes_text {
        return Err(format!(
            "diagnostics {codes_text:?} != expected {expected_codes:?}"
        ));
    }
    options.body = BodyKind::Auto;
    let again = convert_post(&post.text, &options).map_err(|e| e.to_string())?;
    if again.text != post.text {
        return Err(format!(
            "not idempotent:\n{}",
            first_difference(&post.text, &again.text)
        ));
    }
    Ok(())
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
        if la != lb {
            return format!("  line {}:\n  - {la}\n  + {lb}", i + 1);
        }
    }
    format!(
        "  lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}
