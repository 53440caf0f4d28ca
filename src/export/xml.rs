//! A streaming XML reader that hands out one record (`<item>`, `<entry>`)
//! at a time as a small owned tree.
//!
//! Memory stays flat however large the file: only the record being read is
//! held, and its text is capped (`max_text` bytes, the per-post size cap);
//! a larger record is skipped to its end and reported as an error of its
//! own, so the records after it still come. CDATA is taken as it is,
//! entity and character references are resolved (the XML five, then the
//! HTML5 names feeds use without declaring them; an unknown one stays as
//! written). Elements nested deeper than [`MAX_DEPTH`] inside a record
//! are flattened into their parent (their text kept), so no tree is deep.
//!
//! A syntax error ends the stream with its line and column; every record
//! completed before it has already been handed out. Files must be UTF-8
//! (what WordPress, Blogger and nearly every feed write): one that declares
//! another encoding is refused rather than misread. This module knows no
//! export format and never prints.

use quick_xml::events::{BytesRef, BytesStart, Event};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Deepest element nesting kept inside a record (a hard bound, no flag).
pub const MAX_DEPTH: usize = 64;

/// An element of a record: its qualified name as written (`wp:post_name`),
/// attributes, text (direct text and CDATA before its first child),
/// children, and its tail (the parent's text right after it), so mixed
/// content keeps its order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
    pub tail: String,
}

impl Node {
    /// The name without its prefix (`post_name` for `wp:post_name`).
    pub fn local(&self) -> &str {
        local_name(&self.name)
    }

    /// An attribute's value, by qualified name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child with this qualified name.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first child with this local name, whatever its prefix.
    pub fn child_local(&self, local: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.local() == local)
    }

    /// The trimmed text of a child, if it has any.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// Children with this qualified name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The children written back as XML (Atom's `type="xhtml"` content).
    /// Depth is bounded by [`MAX_DEPTH`], so the recursion is too.
    pub fn inner_xml(&self) -> String {
        let mut out = escape_text(&self.text);
        for c in &self.children {
            c.write_xml(&mut out);
            out.push_str(&escape_text(&c.tail));
        }
        out
    }

    fn write_xml(&self, out: &mut String) {
        let name = self.local();
        out.push('<');
        out.push_str(name);
        for (k, v) in &self.attrs {
            if k == "xmlns" || k.starts_with("xmlns:") {
                continue;
            }
            out.push_str(&format!(" {}=\"{}\"", local_name(k), escape_attr(v)));
        }
        out.push('>');
        out.push_str(&self.inner_xml());
        out.push_str(&format!("</{name}>"));
    }
}

fn local_name(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}

/// A record with where it starts (1-based line of its start tag).
#[derive(Debug, Clone)]
pub struct Record {
    pub node: Node,
    pub line: usize,
}

/// What can go wrong while reading; every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum XmlError {
    #[error("{path}: cannot read: {source}", path = path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: malformed XML: {message}", path = path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}:{line}: <{name}> is larger than the size limit ({limit} bytes); skipped", path = path.display())]
    TooLarge {
        path: PathBuf,
        line: usize,
        name: String,
        limit: usize,
    },
}

/// Counts lines as the parser consumes bytes, so a record knows its line
/// without the file being read twice.
struct Lines<R> {
    inner: R,
    line: usize,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.line += buf[..n].iter().filter(|b| **b == b'\n').count();
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            self.line += buf[..n].iter().filter(|b| **b == b'\n').count();
        }
        self.inner.consume(amt);
    }
}

/// Streams the records named `records` (local names) out of one file.
pub struct Records {
    path: PathBuf,
    reader: quick_xml::Reader<Lines<BufReader<File>>>,
    buf: Vec<u8>,
    records: &'static [&'static str],
    max_text: usize,
    done: bool,
}

impl Records {
    /// Opens `path`; records are elements whose local name is in `records`.
    pub fn open(
        path: &Path,
        records: &'static [&'static str],
        max_text: usize,
    ) -> Result<Records, XmlError> {
        let file = File::open(path).map_err(|source| XmlError::Io {
            path: path.to_owned(),
            source,
        })?;
        let lines = Lines {
            inner: BufReader::with_capacity(64 * 1024, file),
            line: 1,
        };
        let mut reader = quick_xml::Reader::from_reader(lines);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Ok(Records {
            path: path.to_owned(),
            reader,
            buf: Vec::with_capacity(64 * 1024),
            records,
            max_text,
            done: false,
        })
    }

    fn line(&self) -> usize {
        self.reader.get_ref().line
    }

    fn syntax(&mut self, message: String) -> XmlError {
        self.done = true;
        let offset = self.reader.error_position();
        let (line, column) = position(&self.path, offset).unwrap_or((self.line(), 1));
        XmlError::Syntax {
            path: self.path.clone(),
            line,
            column,
            message,
        }
    }

    /// Reads until the next record starts; `None` at the end of the file.
    fn next_start(&mut self) -> Option<Result<(Node, usize), XmlError>> {
        loop {
            self.buf.clear();
            match self.reader.read_event_into(&mut self.buf) {
                Ok(Event::Start(start)) => {
                    let node = start_node(&start);
                    if self.records.contains(&node.local()) {
                        return Some(Ok((node, self.line())));
                    }
                }
                Ok(Event::Eof) => {
                    self.done = true;
                    return None;
                }
                Ok(Event::Decl(decl)) => {
                    if let Some(name) = foreign_encoding(&decl) {
                        return Some(Err(self.syntax(format!(
                            "the file is in {name}; only UTF-8 is read (convert it first, e.g. with iconv)"
                        ))));
                    }
                }
                Ok(_) => {}
                Err(e) => return Some(Err(self.syntax(e.to_string()))),
            }
        }
    }

    /// Reads the rest of a record whose start tag was just read.
    fn read_record(&mut self, root: Node, line: usize) -> Result<Record, XmlError> {
        let mut stack = vec![root];
        let mut flattened = 0usize;
        let mut size = 0usize;
        let mut too_large = false;
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.syntax(e.to_string())),
            };
            let text = match event {
                Event::Start(start) => {
                    if stack.len() >= MAX_DEPTH {
                        flattened += 1;
                    } else {
                        stack.push(start_node(&start));
                    }
                    continue;
                }
                Event::End(_) if flattened > 0 => {
                    flattened -= 1;
                    continue;
                }
                Event::End(_) => {
                    let Some(done) = stack.pop() else { continue };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None if too_large => return Err(self.too_large(&done, line)),
                        None => return Ok(Record { node: done, line }),
                    }
                    continue;
                }
                Event::Text(t) => String::from_utf8_lossy(&t.into_inner()).into_owned(),
                Event::CData(c) => String::from_utf8_lossy(&c.into_inner()).into_owned(),
                Event::GeneralRef(r) => resolve_ref(&r),
                Event::Eof => {
                    return Err(self.syntax(format!(
                        "the file ends inside <{}>",
                        stack.last().map_or("?", |n| n.name.as_str())
                    )));
                }
                _ => continue,
            };
            size += text.len();
            too_large |= size > self.max_text;
            if !too_large && let Some(top) = stack.last_mut() {
                match top.children.last_mut() {
                    Some(last) => last.tail.push_str(&text),
                    None => top.text.push_str(&text),
                }
            }
        }
    }

    fn too_large(&self, node: &Node, line: usize) -> XmlError {
        XmlError::TooLarge {
            path: self.path.clone(),
            line,
            name: node.name.clone(),
            limit: self.max_text,
        }
    }
}

impl Iterator for Records {
    type Item = Result<Record, XmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let (root, line) = match self.next_start()? {
            Ok(found) => found,
            Err(e) => return Some(Err(e)),
        };
        Some(self.read_record(root, line))
    }
}

/// The encoding an XML declaration names, when it is not UTF-8 (or its
/// subset ASCII).
fn foreign_encoding(decl: &quick_xml::events::BytesDecl<'_>) -> Option<String> {
    let name = decl.encoding()?.ok()?;
    let name = String::from_utf8_lossy(&name).to_ascii_lowercase();
    (!matches!(name.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii")).then_some(name)
}

fn start_node(start: &BytesStart<'_>) -> Node {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let attrs = start
        .attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            let value = quick_xml::escape::unescape_with(&raw, resolve_entity)
                .map_or_else(|_| raw.clone(), |v| v.into_owned());
            (key, value)
        })
        .collect();
    Node {
        name,
        attrs,
        ..Node::default()
    }
}

/// The XML five, then HTML5's names (feeds use `&nbsp;` undeclared).
fn resolve_entity(name: &str) -> Option<&'static str> {
    quick_xml::escape::resolve_xml_entity(name)
        .or_else(|| quick_xml::escape::resolve_html5_entity(name))
}

/// A reference's text; an unknown one stays as written.
fn resolve_ref(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
    match resolve_entity(&name) {
        Some(text) => text.to_owned(),
        None => format!("&{name};"),
    }
}

/// The 1-based line and column (in characters) of a byte offset, read
/// again from the file in a streaming pass (only on errors).
fn position(path: &Path, offset: u64) -> Option<(usize, usize)> {
    let file = File::open(path).ok()?;
    let mut reader = BufReader::new(file).take(offset);
    let mut line = 1;
    let mut column = 1;
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut chunk).ok()?;
        if n == 0 {
            return Some((line, column));
        }
        for &b in &chunk[..n] {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                column += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(xml: &str, max: usize) -> Vec<Result<Record, XmlError>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.xml");
        std::fs::write(&path, xml).unwrap();
        Records::open(&path, &["item"], max).unwrap().collect()
    }

    #[test]
    fn cdata_and_entities() {
        let got = records(
            "<rss><channel><item>\n<t>a &amp; b &#233; &nbsp;x &bogus;</t><c><![CDATA[<p>&amp;</p>]]></c></item></channel></rss>",
            1000,
        );
        let node = &got[0].as_ref().unwrap().node;
        assert_eq!(node.child_text("t"), Some("a & b é \u{a0}x &bogus;"));
        assert_eq!(node.child_text("c"), Some("<p>&amp;</p>"));
    }

    #[test]
    fn mixed_content_keeps_its_order() {
        let got = records(
            "<rss><item><c>An <em>x</em> body &amp; <b>more</b>.</c></item></rss>",
            1000,
        );
        let c = got[0].as_ref().unwrap().node.child("c").unwrap().clone();
        assert_eq!(c.inner_xml(), "An <em>x</em> body &amp; <b>more</b>.");
    }

    #[test]
    fn error_keeps_earlier_records_and_names_line_and_column() {
        let got = records(
            "<rss>\n<item><t>one</t></item>\n<item><t>two</x></item>\n</rss>",
            1000,
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().unwrap().node.child_text("t"), Some("one"));
        match &got[1] {
            Err(XmlError::Syntax { line, column, .. }) => assert_eq!((*line, *column), (3, 13)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_encodings_are_refused() {
        let got = records(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><item/></rss>",
            10,
        );
        match &got[0] {
            Err(XmlError::Syntax { message, .. }) => assert!(message.contains("iso-8859-1")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_large_record_is_skipped_and_the_next_comes() {
        let got = records(
            "<rss>\n<item><t>0123456789</t></item>\n<item><t>ok</t></item></rss>",
            5,
        );
        assert!(matches!(got[0], Err(XmlError::TooLarge { line: 2, .. })));
        assert_eq!(got[1].as_ref().unwrap().node.child_text("t"), Some("ok"));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let deep = "<a>".repeat(200) + "x" + &"</a>".repeat(200);
        let got = records(&format!("<rss><item>{deep}</item></rss>"), 1000);
        let mut node = &got[0].as_ref().unwrap().node;
        let mut depth = 1;
        while let Some(c) = node.children.first() {
            node = c;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(node.text, "x");
    }
}
