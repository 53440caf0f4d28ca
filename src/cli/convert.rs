//! `mdmigrate convert [FILE|-]`: one post to stdout.

use super::args::{ConvertArgs, ConvertOptions};
use super::output::{self, Exit};
use mdmigrate::html::Limits;
use mdmigrate::post::{BodyKind, convert_post};
use std::io::Read;
use std::path::Path;

pub fn run(args: ConvertArgs) -> Exit {
    let name = args
        .file
        .as_deref()
        .filter(|p| p != &Path::new("-"))
        .map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let bytes = match read_input(args.file.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            output::error(format!("{name}: {e}"));
            return Exit::Error;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            output::error(format!(
                "{name}: invalid UTF-8 at byte {} (line {})",
                e.valid_up_to(),
                line_of(&bytes, e.valid_up_to())
            ));
            return Exit::Error;
        }
    };
    let options = library_options(&args.options);
    let body = body_kind(args.options.body, args.file.as_deref());
    match convert_post(text, body, &options) {
        Ok(post) => {
            if !args.options.quiet {
                for d in &post.diagnostics {
                    output::warn(format!("{name}: {d}"));
                }
            }
            match output::print_stdout(&post.text) {
                Ok(()) => Exit::Ok,
                Err(e) => {
                    output::error(format!("writing stdout: {e}"));
                    Exit::Error
                }
            }
        }
        Err(e) => {
            output::error(format!("{name}: {e}"));
            Exit::Error
        }
    }
}

pub fn library_options(o: &ConvertOptions) -> mdmigrate::Options {
    mdmigrate::Options {
        project_links: o.project_links,
        limits: Limits {
            max_bytes: o.max_size,
            max_depth: o.max_depth.max(1),
        },
    }
}

/// An `.html` file is HTML whatever it starts with.
pub fn body_kind(asked: BodyKind, file: Option<&Path>) -> BodyKind {
    let html_file = file
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if asked == BodyKind::Auto && html_file {
        BodyKind::Html
    } else {
        asked
    }
}

fn read_input(file: Option<&Path>) -> std::io::Result<Vec<u8>> {
    match file {
        Some(p) if p != Path::new("-") => std::fs::read(p),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}

/// 1-based line number of a byte offset.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}
