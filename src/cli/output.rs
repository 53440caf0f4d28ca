//! Writing to the terminal: stdout for results, stderr for messages, and
//! the exit codes.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Ok,
    Changes,
    Error,
    Interrupted,
}

impl Exit {
    pub fn code(self) -> ExitCode {
        ExitCode::from(match self {
            Exit::Ok => 0,
            Exit::Changes => 1,
            Exit::Error => 2,
            Exit::Interrupted => 130,
        })
    }
}

/// Writes to stdout; a closed pipe is not an error (the reader had enough).
pub fn print_stdout(text: &str) -> Result<(), io::Error> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes bytes to stdout as they are; a failed write is an error exit.
pub fn print_bytes_or_fail(bytes: &[u8]) -> Exit {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => fail(format!("writing stdout: {e}")),
        _ => Exit::Ok,
    }
}

/// Prints a result; a failed write is an error exit.
pub fn print_or_fail(text: &str) -> Exit {
    match print_stdout(text) {
        Ok(()) => Exit::Ok,
        Err(e) => fail(format!("writing stdout: {e}")),
    }
}

/// `--color`: 0 auto, 1 always, 2 never. Set once by `cli::run` before
/// anything is printed; the terminal is the binary's own state.
static COLOR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

pub fn set_color(choice: super::args::ColorChoice) {
    use super::args::ColorChoice;
    let v = match choice {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOR.store(v, std::sync::atomic::Ordering::Relaxed);
}

/// Whether to colour a stream: `--color always` or `never` decide; `auto`
/// colours a terminal unless `NO_COLOR` is set (to anything but "").
fn color_enabled_for(terminal: bool) -> bool {
    match COLOR.load(std::sync::atomic::Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
    }
}

fn color_enabled() -> bool {
    color_enabled_for(io::stderr().is_terminal())
}

/// Prints a unified diff on stdout, coloured as git does when colour is
/// on for stdout: headers bold, hunk lines cyan, removals red, additions
/// green.
pub fn print_diff(diff: &str) -> Result<(), io::Error> {
    if !color_enabled_for(io::stdout().is_terminal()) {
        return print_stdout(diff);
    }
    let coloured: String = diff.split_inclusive('\n').map(colour_diff_line).collect();
    print_stdout(&coloured)
}

fn colour_diff_line(line: &str) -> String {
    let code = if line.starts_with("+++ ") || line.starts_with("--- ") {
        "1"
    } else if line.starts_with("@@") {
        "36"
    } else if line.starts_with('+') {
        "32"
    } else if line.starts_with('-') {
        "31"
    } else {
        return line.to_owned();
    };
    let (body, newline) = match line.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (line, ""),
    };
    format!("\x1b[{code}m{body}\x1b[0m{newline}")
}

/// A subcommand's usage line on stderr, as clap prints it.
pub fn usage(command: &str) {
    use clap::CommandFactory;
    let mut cli = super::args::Cli::command();
    cli.build();
    if let Some(sub) = cli.find_subcommand_mut(command) {
        let usage = sub.render_usage();
        let _ = writeln!(
            io::stderr(),
            "\n{usage}\n\nFor more information, try 'mdmigrate {command} --help'."
        );
    }
}

/// One error on stderr; returns the error exit.
pub fn fail(message: impl std::fmt::Display) -> Exit {
    error(message);
    Exit::Error
}

pub fn error(message: impl std::fmt::Display) {
    labelled("error", 31, message);
}

pub fn warn(message: impl std::fmt::Display) {
    labelled("warning", 33, message);
}

/// `mdmigrate: LABEL: message`, the label in an ANSI colour when enabled.
fn labelled(label: &str, colour: u8, message: impl std::fmt::Display) {
    let _ = if color_enabled() {
        writeln!(
            io::stderr(),
            "mdmigrate: \x1b[{colour}m{label}\x1b[0m: {message}"
        )
    } else {
        writeln!(io::stderr(), "mdmigrate: {label}: {message}")
    };
}

pub fn note(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr(), "mdmigrate: {message}");
}
