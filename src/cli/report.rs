//! `mdmigrate report merge A.json B.json … --out X.json|X.html`: the
//! ledgers of shards as the report of one run over the whole archive.

use super::args::MergeArgs;
use super::output::{self, Exit};
use mdmigrate::batch::write::{Guard, write_guarded_with};
use mdmigrate::report::ledger::Ledger;
use mdmigrate::report::merge::{Merged, merge as merge_ledgers};
use std::io::Write;
use std::path::Path;

pub fn merge(args: MergeArgs) -> Exit {
    let mut ledgers = Vec::with_capacity(args.ledgers.len());
    for path in &args.ledgers {
        match read_ledger(path) {
            Ok(ledger) => ledgers.push(ledger),
            Err(e) => return output::fail(format!("{}: {e}", path.display())),
        }
    }
    let merged = match merge_ledgers(ledgers) {
        Ok(m) => m,
        Err(e) => return output::fail(e.to_string()),
    };
    let mut exit = Exit::Ok;
    for out in &args.out {
        if let Err(e) = write(out, &merged) {
            exit = exit.max(output::fail(format!("{}: {e}", out.display())));
        }
    }
    exit
}

fn read_ledger(path: &Path) -> Result<Ledger, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    serde_json::from_reader(std::io::BufReader::new(file))
        .map_err(|e| format!("not a mdmigrate ledger: {e}"))
}

/// One merged report, by extension, written atomically.
fn write(path: &Path, merged: &Merged) -> std::io::Result<()> {
    let html = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => false,
        Some("html" | "htm") => true,
        _ => return Err(std::io::Error::other("a report must end in .json or .html")),
    };
    write_guarded_with(path, &Guard::none(), |file| {
        let mut out = std::io::BufWriter::new(file);
        if html {
            merged.write_html(&mut out)?;
        } else {
            merged.write_json(&mut out)?;
        }
        out.flush()
    })
}
