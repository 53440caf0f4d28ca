//! Which kind of export a file is, from its content: the root element and
//! the namespaces and generator near the top. Reads at most the first
//! 64 KiB and never the whole file.

use super::SourceKind;
use quick_xml::events::Event;
use std::io::Read;
use std::path::Path;

/// How much of the file detection looks at.
const HEAD: u64 = 64 * 1024;

/// The kind of `path`, or `None` when it is none of the four.
pub fn detect(path: &Path) -> std::io::Result<Option<SourceKind>> {
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(HEAD)
        .read_to_end(&mut head)?;
    Ok(detect_bytes(&head))
}

/// The kind of a file that starts with `head`.
pub fn detect_bytes(head: &[u8]) -> Option<SourceKind> {
    let root = root_element(head)?;
    let text = String::from_utf8_lossy(head);
    match root.as_str() {
        "rss" if is_wxr(&text) => Some(SourceKind::Wxr),
        "rss" => Some(SourceKind::Rss),
        "feed" if is_blogger(&text) => Some(SourceKind::Blogger),
        "feed" => Some(SourceKind::Atom),
        _ => None,
    }
}

/// WordPress declares its export namespace and writes `wp:wxr_version`.
fn is_wxr(head: &str) -> bool {
    head.contains("wordpress.org/export/") || head.contains("<wp:wxr_version")
}

/// Blogger's exports (old and new) name Blogger's schemas or generator.
fn is_blogger(head: &str) -> bool {
    head.contains("schemas.google.com/blogger")
        || head.contains("<generator version='7.00' uri='http://www.blogger.com'")
        || head.contains("uri=\"http://www.blogger.com\"")
        || head.contains("uri='http://www.blogger.com'")
}

/// The local name of the first element, if the head is XML at all.
fn root_element(head: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let local = e.local_name();
                return Some(String::from_utf8_lossy(local.as_ref()).into_owned());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(Event::Text(t)) if !t.iter().all(u8::is_ascii_whitespace) => return None,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let wxr = br#"<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>"#;
        assert_eq!(detect_bytes(wxr), Some(SourceKind::Wxr));
        assert_eq!(
            detect_bytes(b"<rss version=\"2.0\"><channel>"),
            Some(SourceKind::Rss)
        );
        assert_eq!(
            detect_bytes(b"<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2008'>"),
            Some(SourceKind::Blogger)
        );
        assert_eq!(
            detect_bytes(b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>"),
            Some(SourceKind::Atom)
        );
        assert_eq!(detect_bytes(b"<html><body>"), None);
        assert_eq!(detect_bytes(b"hello"), None);
        assert_eq!(detect_bytes(b""), None);
    }
}
