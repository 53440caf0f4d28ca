//! Our Markdown: the AST, and the one writer that turns it into text.

pub mod ast;
mod escape;
pub mod flanking;
pub mod writer;
