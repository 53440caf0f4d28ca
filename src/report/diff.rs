//! Unified diffs (3 lines of context) that `patch -p0` and `git apply -p0`
//! accept.
//!
//! Headers are `--- PATH` / `+++ PATH` with no `a/` `b/` prefixes, so a diff
//! whose paths are relative to the input root applies from that root with
//! `patch -p0 < change.diff` or `git apply -p0 change.diff`. Plain `-p1`
//! (git's default) would strip the first directory and must not be used.
//!
//! Names follow git's conventions, which GNU patch also reads: a name with a
//! space ends with a tab; a name with `"`, `\` or a control character is
//! C-quoted. Non-ASCII names are written as UTF-8, not octal escapes, so a
//! person can read them.
//!
//! Lines are split on `\n` only, as patch and git split them: a `\r` stays
//! part of its line, so CRLF files round-trip byte for byte. A last line
//! without `\n` is followed by `\ No newline at end of file`.
//!
//! This module only computes text; it never touches the file system.

use std::time::Duration;

use similar::{Algorithm, Change, TextDiff};

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

/// A hostile or huge post must not stall a run; after this the diff is
/// still correct, just not minimal.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The unified diff turning `old` into `new`; empty when they are equal.
pub fn unified(old_path: &str, new_path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(TIMEOUT)
        .diff_slices(&old_lines, &new_lines);
    let mut out = format!(
        "--- {}\n+++ {}\n",
        header_name(old_path),
        header_name(new_path)
    );
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        out.push_str(&hunk.header().to_string());
        out.push('\n');
        for change in hunk.iter_changes() {
            push_change(&mut out, &change);
        }
    }
    out
}

/// similar's own writer drops the "no newline" marker when neither side
/// ends with a newline, so each line is written here.
fn push_change(out: &mut String, change: &Change<&str>) {
    let line = change.value();
    out.push_str(&change.tag().to_string());
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// A path as it appears after `--- ` / `+++ `.
fn header_name(path: &str) -> String {
    if path.chars().any(needs_quoting) {
        quote(path)
    } else if path.contains(' ') {
        // git and GNU patch both end a name with spaces at the tab.
        format!("{path}\t")
    } else {
        path.to_owned()
    }
}

fn needs_quoting(c: char) -> bool {
    c == '"' || c == '\\' || c.is_control()
}

/// C-style quoting, as git writes and GNU patch reads it.
fn quote(path: &str) -> String {
    let mut quoted = String::from("\"");
    for c in path.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => push_octal(&mut quoted, c),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn push_octal(out: &mut String, c: char) {
    let mut bytes = [0; 4];
    for byte in c.encode_utf8(&mut bytes).bytes() {
        out.push_str(&format!("\\{byte:03o}"));
    }
}
