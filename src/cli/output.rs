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

fn color_enabled() -> bool {
    match COLOR.load(std::sync::atomic::Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => std::env::var_os("NO_COLOR").is_none() && io::stderr().is_terminal(),
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
