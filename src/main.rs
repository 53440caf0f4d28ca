//! The `mdmigrate` binary: parses arguments, runs one command, owns the
//! terminal and the exit code.

mod cli;

/// mimalloc: the converter allocates many small strings and vectors per
/// post, and it serves them markedly faster than the system allocator
/// (measured by `scripts/bench.sh`, files to files).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
