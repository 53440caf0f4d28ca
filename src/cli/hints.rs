//! The commands a check suggests, written so they work when pasted into a
//! POSIX shell: paths quoted, only the files the command would fix, and
//! the flags that shaped the check repeated (else the fix would format
//! differently). Files it would not fix are named apart, with what to do.

use super::args::{BatchArgs, Common};
use clap::ValueEnum;

/// A path as one word for `sh` (see [`shell_word`]); one starting with
/// `-` gets `./` so it is not read as a flag.
pub fn shell_quote(path: &str) -> String {
    if path.starts_with('-') {
        shell_word(&format!("./{path}"))
    } else {
        shell_word(path)
    }
}

/// `text` as one word for `sh`: left bare when every character is safe,
/// else in single quotes (a `'` inside becomes `'\''`).
pub fn shell_word(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./-+=:,@%".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `mdmigrate fmt FLAGS PATHS`, each word quoted.
pub fn fmt_command(common: &Common, batch: &BatchArgs, paths: &[&str]) -> String {
    fmt_command_with(common, batch, &[], paths)
}

/// `mdmigrate fmt FLAGS EXTRA PATHS`, each word quoted.
pub fn fmt_command_with(
    common: &Common,
    batch: &BatchArgs,
    extra: &[String],
    paths: &[&str],
) -> String {
    let mut words: Vec<String> = vec!["mdmigrate".to_owned(), "fmt".to_owned()];
    words.extend(fmt_flags(common, batch).iter().map(|w| shell_word(w)));
    words.extend(extra.iter().map(|w| shell_word(w)));
    words.extend(paths.iter().map(|p| shell_quote(p)));
    words.join(" ")
}

/// The flags that change what `fmt` writes, spelled as on the command line.
fn fmt_flags(common: &Common, batch: &BatchArgs) -> Vec<String> {
    let mut flags = Vec::new();
    let mut push = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            flags.push(format!("--{name}"));
            flags.push(v);
        }
    };
    push(
        "config",
        common.config.as_ref().map(|p| p.display().to_string()),
    );
    push("target", common.target.map(|v| choice(&v)));
    push("front-matter", common.front_matter.map(|v| choice(&v)));
    push("project-links", common.project_links.map(|v| choice(&v)));
    push("images", common.images.map(|v| choice(&v)));
    push("body", common.body.map(|v| choice(&v)));
    push("encoding", common.encoding.map(|v| choice(&v)));
    push("eol", common.eol.map(|v| choice(&v)));
    push("captions", common.captions.map(|v| choice(&v)));
    push("max-size", common.max_size.map(|v| v.to_string()));
    push("max-depth", common.max_depth.map(|v| v.to_string()));
    for glob in &batch.exclude {
        push("exclude", Some(glob.clone()));
    }
    if common.drop_cover_duplicate {
        flags.push("--drop-cover-duplicate".to_owned());
    }
    flags
}

/// A value's name as `--help` lists it.
fn choice(value: &impl ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn quotes_what_a_shell_would_split_or_expand() {
        assert_eq!(super::shell_word("--max-depth"), "--max-depth");
        assert_eq!(shell_quote("posts/a.md"), "posts/a.md");
        assert_eq!(shell_quote("my posts/a b.md"), "'my posts/a b.md'");
        assert_eq!(shell_quote("it's.md"), r"'it'\''s.md'");
        assert_eq!(shell_quote("$HOME*.md"), "'$HOME*.md'");
        assert_eq!(shell_quote("-x.md"), "./-x.md");
        assert_eq!(shell_quote(""), "''");
    }
}
