//! The `mdmigrate` binary: parses arguments, runs one command, owns the
//! terminal and the exit code.

mod cli;

/// mimalloc: the converter allocates many small strings and vectors per
/// post, and it serves them markedly faster than the system allocator
/// (measured by `scripts/bench.sh`, files to files).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Where transparent huge pages are on for every mapping, the kernel
    // zeroes 2 MiB at the first touch of each of mimalloc's regions: a
    // sixth of a run's time and three times the memory, measured. Small
    // pages serve it better; if this is refused, nothing else changes.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    cli::run()
}
