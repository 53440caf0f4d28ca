//! `htmd-bench DIR [N] [--parse-only]`: the htmd crate over every `*.html`
//! file in DIR, N times, single-threaded. `--parse-only` runs just
//! html5ever + markup5ever_rcdom `parse_document` (what htmd does first);
//! `--tokenize-only` runs html5ever's tokenizer alone into a sink that keeps
//! nothing, the floor under any converter built on html5ever.

mod common;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer};
use markup5ever_rcdom::RcDom;
use std::cell::Cell;

/// Counts tokens and keeps nothing.
struct Count(Cell<usize>);

impl TokenSink for Count {
    type Handle = ();
    fn process_token(&self, _token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.set(self.0.get() + 1);
        TokenSinkResult::Continue
    }
}

fn main() {
    let args = common::args("htmd-bench");
    if let Some(out) = &args.files_to {
        let converter = htmd::HtmlToMarkdown::new();
        common::files_to_files("htmd", &args.dir, out, |html| {
            converter.convert(html).unwrap_or_default()
        });
        return;
    }
    let files = common::load(&args.dir);
    if args.tokenize_only {
        common::run("html5ever-tokenizer", &args, &files, |html| {
            let tokenizer = Tokenizer::new(Count(Cell::new(0)), Default::default());
            let input = BufferQueue::default();
            input.push_back(StrTendril::from_slice(html));
            let _ = tokenizer.feed(&input);
            tokenizer.end();
            tokenizer.sink.0.get()
        });
    } else if args.parse_only {
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
