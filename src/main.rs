//! The `mdmigrate` binary: parses arguments, runs one command, owns the
//! terminal and the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
