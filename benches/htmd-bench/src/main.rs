//! `htmd-bench DIR [N] [--parse-only]`: the htmd crate over every `*.html`
//! file in DIR, N times, single-threaded. `--parse-only` runs just
//! html5ever + markup5ever_rcdom `parse_document` (what htmd does first).

mod common;

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::RcDom;

fn main() {
    let args = common::args("htmd-bench");
    let files = common::load(&args.dir);
    if args.parse_only {
        common::run("html5ever-rcdom", &args, &files, |html| {
            let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
            dom.document.children.borrow().len()
        });
    } else {
        let converter = htmd::HtmlToMarkdown::new();
        common::run("htmd", &args, &files, |html| {
            converter.convert(html).map(|s| s.len()).unwrap_or(0)
        });
    }
}
