//! Issue 13, bullet 4: every option of every subcommand has help text, and
//! the README's option table lists exactly the options `--help` shows,
//! command by command. Nothing here names a flag: commands and flags are
//! read from `--help` and from the README, so a flag added later is
//! checked the same way.

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};

fn help(command: &[&str], flag: &str) -> String {
    let out = Command::cargo_bin("mdmigrate")
        .expect("binary built")
        .args(command)
        .arg(flag)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{command:?} {flag} failed");
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// The names under a help text's `Commands:` heading (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command path (`convert`, `report merge`...), found from the top.
fn command_paths() -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut todo: Vec<Vec<String>> = subcommands(&help(&[], "--help"))
        .into_iter()
        .map(|c| vec![c])
        .collect();
    while let Some(path) = todo.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let nested = subcommands(&help(&args, "--help"));
        if nested.is_empty() {
            paths.push(path);
        } else {
            todo.extend(nested.into_iter().map(|c| [path.clone(), vec![c]].concat()));
        }
    }
    paths.sort();
    paths
}

/// The option lines of a short help (`-h`): `--flag` and what follows it
/// on its line, with clap's own `[possible values: ...]`/`[default: ...]`
/// removed, so only the written help text remains.
fn options_with_text(short_help: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in short_help.lines() {
        let trimmed = line.trim_start();
        if !line.starts_with("  ") || !trimmed.starts_with('-') {
            continue;
        }
        let Some(long) = trimmed
            .split([' ', ','])
            .find(|w| w.starts_with("--"))
            .map(str::to_owned)
        else {
            continue;
        };
        let spec_end = trimmed.find("  ").unwrap_or(trimmed.len());
        let mut text = trimmed[spec_end..].to_owned();
        for bracket in ["[possible values:", "[default:"] {
            if let Some(i) = text.find(bracket) {
                let j = text[i..].find(']').map_or(text.len(), |j| i + j + 1);
                text.replace_range(i..j, "");
            }
        }
        out.insert(long, text.trim().to_owned());
    }
    out.remove("--help");
    out.remove("--version");
    out
}

/// The README's option table: for each command path, the long flags of the
/// rows whose `commands` cell names it.
fn readme_options() -> BTreeMap<String, BTreeSet<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = readme
        .split("\n## Options\n")
        .nth(1)
        .expect("an Options section")
        .split("\n#")
        .next()
        .unwrap_or_default();
    let flag = regex::Regex::new(r"--[a-z][a-z0-9-]*").unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<String> = row
            .replace(r"\|", "\u{1}")
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect();
        let (options, commands) = (&cells[1], &cells[2]);
        for command in commands.split(',').map(str::trim) {
            let flags = out.entry(command.to_owned()).or_default();
            flags.extend(flag.find_iter(options).map(|m| m.as_str().to_owned()));
        }
    }
    out
}

#[test]
fn every_option_of_every_command_has_help_text() {
    let mut missing = Vec::new();
    for path in command_paths() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        for (flag, text) in options_with_text(&help(&args, "-h")) {
            if text.is_empty() {
                missing.push(format!("{} {flag}", path.join(" ")));
            }
        }
    }
    assert!(missing.is_empty(), "options without help text: {missing:?}");
}

#[test]
fn readme_and_help_list_the_same_options_per_command() {
    let readme = readme_options();
    let paths = command_paths();
    assert!(paths.len() >= 3, "found commands {paths:?}");
    let mut problems = Vec::new();
    for path in &paths {
        let name = path.join(" ");
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let in_help: BTreeSet<String> = options_with_text(&help(&args, "-h")).into_keys().collect();
        let in_readme = readme.get(&name).cloned().unwrap_or_default();
        for f in in_help.difference(&in_readme) {
            problems.push(format!("`{name} {f}` is in --help, not in README's table"));
        }
        for f in in_readme.difference(&in_help) {
            problems.push(format!("`{name} {f}` is in README's table, not in --help"));
        }
    }
    let known: BTreeSet<String> = paths.iter().map(|p| p.join(" ")).collect();
    for name in readme.keys().filter(|k| !known.contains(*k)) {
        problems.push(format!(
            "README's table names a command `{name}` that does not exist"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn migrate_help_and_readme_agree_on_the_assets_dir_default() {
    let help = help(&["migrate"], "--help");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `--assets-dir"))
        .expect("an --assets-dir row");
    for default in ["`images`", "`.mdmigrate-images`"] {
        assert!(help.contains(default), "--help lacks {default}");
        assert!(row.contains(default), "README lacks {default}");
    }
}
