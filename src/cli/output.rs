//! Writing to the terminal: stdout for results, stderr for messages, and
//! the exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    Changes,
    Error,
}

impl Exit {
    pub fn code(self) -> ExitCode {
        ExitCode::from(match self {
            Exit::Ok => 0,
            Exit::Changes => 1,
            Exit::Error => 2,
        })
    }

    /// The worse of two outcomes.
    pub fn max(self, other: Exit) -> Exit {
        let rank = |e: Exit| match e {
            Exit::Ok => 0,
            Exit::Changes => 1,
            Exit::Error => 2,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
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

/// One message on stderr, prefixed with the program name.
pub fn error(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr(), "mdmigrate: {message}");
}

pub fn warn(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr(), "mdmigrate: warning: {message}");
}
