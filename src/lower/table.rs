//! Tables: a GFM table when Markdown can say it, tidy HTML otherwise.
//!
//! GFM needs one line per row and inline content per cell; spans or block
//! content (lists, several paragraphs, nested tables) keep the table as
//! HTML, which the caller reports as `kept-html`.

use super::builder::{CellData, RowData};
use super::only_paragraphs;
use crate::html::Node;
use crate::html::serialize::{Tidy, to_html};
use crate::md::ast::{Align, Block, Inline, Table};

/// Finishes a table; the flag says whether it was kept as HTML. `links`
/// are the links open around the table: kept HTML keeps them around it.
pub fn finish(
    node: &Node,
    rows: Vec<RowData>,
    links: &[(String, Option<String>)],
) -> (Block, bool) {
    let rows: Vec<RowData> = rows.into_iter().filter(|r| !r.cells.is_empty()).collect();
    if rows.iter().any(|r| r.cells.iter().any(|c| !expressible(c))) {
        return (
            Block::Html(wrap_in_links(
                to_html(node, Tidy { all_attrs: false }),
                links,
            )),
            true,
        );
    }
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut rows = rows.into_iter();
    let Some(head) = rows.next() else {
        return (Block::Html(String::new()), false);
    };
    let aligns = (0..width)
        .map(|i| head.cells.get(i).map_or(Align::None, |c| c.align))
        .collect();
    let header = pad(cells(head.cells), width);
    let body = rows.map(|r| pad(cells(r.cells), width)).collect();
    (
        Block::Table(Table {
            aligns,
            header,
            rows: body,
        }),
        false,
    )
}

fn wrap_in_links(mut html: String, links: &[(String, Option<String>)]) -> String {
    for (href, title) in links.iter().rev() {
        // One line: a newline inside the tag would stop it opening a block.
        let attr = crate::html::serialize::attr_value;
        let title = title
            .as_deref()
            .map(|t| format!(" title=\"{}\"", attr(t)))
            .unwrap_or_default();
        // The opening tag alone on its line starts an HTML block (type 7)
        // that holds the table; inline, the parser would close the link.
        html = format!("<a href=\"{}\"{title}>\n{html}\n</a>", attr(href));
    }
    html
}

fn expressible(cell: &CellData) -> bool {
    !cell.spans && only_paragraphs(&cell.blocks) && cell.blocks.len() <= 1
}

fn cells(cells: Vec<CellData>) -> Vec<Vec<Inline>> {
    cells
        .into_iter()
        .map(|c| match c.blocks.into_iter().next() {
            Some(Block::Paragraph(inlines)) => inlines,
            _ => Vec::new(),
        })
        .collect()
}

fn pad(mut row: Vec<Vec<Inline>>, width: usize) -> Vec<Vec<Inline>> {
    row.resize_with(width, Vec::new);
    row
}
