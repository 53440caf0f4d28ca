//! Our Markdown: the AST, and the one writer that turns it into text.

pub mod ast;
mod escape;
pub use escape::Dialect;
pub mod flanking;
pub mod writer;
