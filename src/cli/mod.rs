//! Command-line layer: raw flags parsed once (`args`, with `choices` for
//! the library's enums), resolved with the config file in one place
//! (`settings`), one file per command (`convert`, `migrate`, `fmt`,
//! `fmt_stdin`). Only this layer prints or exits (`output`).
//!
//! Exit codes: 0 success / nothing to do, 1 a check or diff found changes,
//! 2 an error (usage, config, or any file failed), 130 interrupted. A
//! closed stdout (broken pipe) exits 0.

mod advice;
mod args;
mod batch_run;
mod choices;
mod convert;
mod fmt;
mod fmt_stdin;
mod hints;
mod input;
mod migrate;
mod migrate_export;
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
