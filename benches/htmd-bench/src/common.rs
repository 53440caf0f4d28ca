//! Shared by both binaries: argument parsing, loading the corpus, timing.

use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Args {
    pub dir: PathBuf,
    pub reps: usize,
    pub parse_only: bool,
    /// html5ever's tokenizer alone, into a sink that keeps nothing: the
    /// floor under any html5ever-based converter (htmd-bench only).
    pub tokenize_only: bool,
    /// `--files-to=OUT`: read each file, convert it and write `OUT/NAME.md`,
    /// all of it timed (the files-to-files baseline for `migrate --jobs 1`).
    pub files_to: Option<PathBuf>,
}

pub fn args(tool: &str) -> Args {
    let mut dir = None;
    let mut reps = 1;
    let mut parse_only = false;
    let mut tokenize_only = false;
    let mut positional = 0;
    let mut files_to = None;
    for a in std::env::args().skip(1) {
        if let Some(out) = a.strip_prefix("--files-to=") {
            files_to = Some(PathBuf::from(out));
            continue;
        }
        match a.as_str() {
            "--parse-only" => parse_only = true,
            "--tokenize-only" => tokenize_only = true,
            "-h" | "--help" => {
                eprintln!("usage: {tool} DIR [N] [--parse-only | --tokenize-only]\n\nConverts every *.html file in DIR (not recursive) N times, single-threaded,\nand prints one line: tool, mode, files, reps, bytes, seconds, MB/s (MB = 10^6 bytes).\nFiles are read into memory first; only the conversion is timed.");
                std::process::exit(0);
            }
            _ if positional == 0 => {
                dir = Some(PathBuf::from(a));
                positional += 1;
            }
            _ if positional == 1 => {
                reps = a.parse().unwrap_or_else(|_| die(tool, &format!("N must be a number, not {a:?}")));
                positional += 1;
            }
            _ => die(tool, &format!("unexpected argument {a:?}")),
        }
    }
    let dir = dir.unwrap_or_else(|| die(tool, "usage: DIR [N] [--parse-only]"));
    Args { dir, reps: reps.max(1), parse_only, tokenize_only, files_to }
}

fn die(tool: &str, msg: &str) -> ! {
    eprintln!("{tool}: {msg}");
    std::process::exit(2)
}

/// Every `*.html` file directly in `dir`, sorted by name, as text (lossy).
pub fn load(dir: &Path) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| die("bench", &format!("{}: {e}", dir.display())))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        die("bench", &format!("no *.html files in {}", dir.display()));
    }
    paths
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).expect("readable")).into_owned())
        .collect()
}

/// Runs `f` over every file `reps` times and prints the result line.
/// `f` returns a number that is summed and printed so nothing is optimised away.
pub fn run(tool: &str, args: &Args, files: &[String], mut f: impl FnMut(&str) -> usize) {
    let bytes: u64 = files.iter().map(|s| s.len() as u64).sum::<u64>() * args.reps as u64;
    let mut sink = 0usize;
    let start = Instant::now();
    for _ in 0..args.reps {
        for html in files {
            sink = sink.wrapping_add(f(std::hint::black_box(html)));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mode = if args.tokenize_only {
        "tokenize"
    } else if args.parse_only {
        "parse"
    } else {
        "convert"
    };
    println!(
        "tool={tool} mode={mode} files={} reps={} bytes={bytes} seconds={secs:.4} mb_per_s={:.2} out={sink}",
        files.len(),
        args.reps,
        bytes as f64 / 1e6 / secs
    );
}

/// Converts every `*.html` file of `dir` into `out/NAME.md` with `f`,
/// reading and writing included in the time, and prints the result line.
pub fn files_to_files(tool: &str, dir: &Path, out: &Path, f: impl Fn(&str) -> String) {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| die(tool, &format!("{}: {e}", dir.display())))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    std::fs::create_dir_all(out).unwrap_or_else(|e| die(tool, &format!("{}: {e}", out.display())));
    let start = Instant::now();
    let mut bytes = 0u64;
    for path in &paths {
        let input = std::fs::read(path).unwrap_or_else(|e| die(tool, &format!("{}: {e}", path.display())));
        bytes += input.len() as u64;
        let markdown = f(&String::from_utf8_lossy(&input));
        let name = path.with_extension("md");
        let target = out.join(name.file_name().unwrap_or_default());
        std::fs::write(&target, markdown).unwrap_or_else(|e| die(tool, &format!("{}: {e}", target.display())));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "tool={tool} mode=files files={} reps=1 bytes={bytes} seconds={secs:.4} mb_per_s={:.2} out=0",
        paths.len(),
        bytes as f64 / 1e6 / secs
    );
}
