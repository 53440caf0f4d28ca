//! Command-line layer: raw flags parsed once, resolved with the config file
//! into library settings, one file per command. Only this layer prints or
//! exits.
//!
//! Exit codes: 0 success / nothing to do, 1 a check or diff found changes,
//! 2 an error (usage, config, or any file failed), 130 interrupted. A
//! closed stdout (broken pipe) exits 0.

mod args;
mod batch_run;
mod convert;
mod fmt;
mod migrate;
mod output;
mod preflight;
mod progress;
mod report;
mod settings;

use clap::Parser;
use std::process::ExitCode;

pub fn run() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are successes; usage errors exit 2.
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let common = match &cli.command {
        args::Command::Convert(a) => Some(&a.common),
        args::Command::Migrate(a) => Some(&a.common),
        args::Command::Fmt(a) => Some(&a.common),
        args::Command::Report(_) => None,
    };
    if let Some(common) = common {
        output::set_color(common.color);
    }
    let exit = match cli.command {
        args::Command::Convert(a) => convert::run(a),
        args::Command::Migrate(a) => migrate::run(*a),
        args::Command::Fmt(a) => fmt::run(a),
        args::Command::Report(args::ReportCommand::Merge(a)) => report::merge(a),
    };
    exit.code()
}
