//! `mdmigrate-bench DIR [N] [--parse-only]`: `mdmigrate::convert_html` over
//! every `*.html` file in DIR, N times, single-threaded, in process (library
//! vs library against `htmd-bench`). `--parse-only` runs just
//! `mdmigrate::html::parse` (html5ever + the depth guard).

#[path = "../common.rs"]
mod common;

fn main() {
    let args = common::args("mdmigrate-bench");
    let options = mdmigrate::Options::default();
    if let Some(out) = &args.files_to {
        common::files_to_files("mdmigrate", &args.dir, out, |html| {
            mdmigrate::convert_html(html, &options)
                .map(|c| c.markdown)
                .unwrap_or_default()
        });
        return;
    }
    let files = common::load(&args.dir);
    if args.parse_only {
        common::run("mdmigrate-parse", &args, &files, |html| {
            mdmigrate::html::parse(html, options.limits)
                .map(|p| p.diagnostics.len() + 1)
                .unwrap_or(0)
        });
    } else {
        common::run("mdmigrate", &args, &files, |html| {
            mdmigrate::convert_html(html, &options)
                .map(|c| c.markdown.len())
                .unwrap_or(0)
        });
    }
}
