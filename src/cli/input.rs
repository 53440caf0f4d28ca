//! Where a one-file command reads from: a file, or stdin standing for
//! `--stdin-filename` (as ruff and prettier take it), which decides the
//! config looked up, how the input is read (`.html`) and the name in
//! messages and diffs.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The name messages use for stdin without `--stdin-filename`.
pub const STDIN_NAME: &str = "<stdin>";

/// A file, or stdin.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    /// stdin, standing for the path given with `--stdin-filename`.
    Stdin(Option<PathBuf>),
}

impl Input {
    /// Whether `path` names stdin (`-`).
    pub fn is_stdin(path: &Path) -> bool {
        path == Path::new("-")
    }

    /// The path the input stands for, when it has one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::File(p) => Some(p),
            Input::Stdin(name) => name.as_deref(),
        }
    }

    /// How messages name the input.
    pub fn name(&self) -> String {
        self.path()
            .map_or_else(|| STDIN_NAME.to_owned(), |p| p.display().to_string())
    }

    /// Where the nearest mdmigrate.toml is looked for.
    pub fn config_start(&self) -> &Path {
        self.path().unwrap_or(Path::new("."))
    }

    /// The whole input.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Input::File(p) => std::fs::read(p),
            Input::Stdin(_) => {
                let mut buf = Vec::new();
                std::io::stdin().lock().read_to_end(&mut buf)?;
                Ok(buf)
            }
        }
    }
}
