//! Command-line layer: raw flags parsed once, resolved into library
//! options, one file per command. Only this layer prints or exits.
//!
//! Exit codes: 0 success / nothing to do, 1 a check or diff found changes,
//! 2 an error (usage, config, or any file failed). A closed stdout (broken
//! pipe) exits 0.

mod args;
mod convert;
mod output;

use clap::Parser;
use std::process::ExitCode;

pub use output::Exit;

pub fn run() -> ExitCode {
    let cli = args::Cli::parse();
    let exit = match cli.command {
        args::Command::Convert(a) => convert::run(a),
    };
    exit.code()
}
