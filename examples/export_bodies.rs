//! Writes the HTML body of every item of an export, as the pipeline gets
//! it (WordPress bodies after shortcodes and autop), one `.html` file per
//! item, for the round-trip judge:
//!
//! ```sh
//! cargo run --example export_bodies -- fixtures/exports/wxr-rules/input.xml /tmp/cases
//! python3 fidelity.py --cases /tmp/cases --cmd 'target/debug/mdmigrate convert {in}'
//! ```
//!
//! Files are named `<export folder>-<line>-<slug>.html`; an existing file
//! is replaced. Items that cannot be read are named on stderr.

use mdmigrate::export::{Entry, ReadOptions, layout, read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, out] = args.as_slice() else {
        eprintln!("usage: export_bodies EXPORT.xml OUTDIR");
        return ExitCode::from(2);
    };
    match write_bodies(input, out) {
        Ok(n) => {
            eprintln!("{n} bodies written to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", input.display());
            ExitCode::from(2)
        }
    }
}

fn write_bodies(input: &Path, out: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let options = ReadOptions {
        source: None,
        max_size: usize::MAX,
    };
    let export = read(input, &options)?;
    std::fs::create_dir_all(out)?;
    let case = input
        .parent()
        .and_then(Path::file_name)
        .map_or_else(|| "export".into(), |n| n.to_string_lossy());
    let mut n = 0;
    for entry in export.entries {
        match entry {
            Ok(Entry::Item(item)) => {
                let name = format!("{case}-{}-{}.html", item.line, layout::slug(&item));
                std::fs::write(out.join(name), &item.body)?;
                n += 1;
            }
            Ok(Entry::Skipped(_)) => {}
            Err(e) => eprintln!("{e}"),
        }
    }
    Ok(n)
}
