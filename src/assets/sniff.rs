//! Image type detection from magic bytes.
//!
//! The file extension and MIME type of a stored image come only from its
//! first bytes, never from the URL or the Content-Type header. This module
//! is pure: it must not do I/O, and it never panics on short input.

/// Number of leading bytes [`sniff`] wants to see (fewer is fine at EOF).
pub const SNIFF_LEN: usize = 1024;

/// A recognised image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// JPEG / JFIF / EXIF.
    Jpeg,
    /// PNG.
    Png,
    /// GIF87a / GIF89a.
    Gif,
    /// RIFF WebP.
    Webp,
    /// AVIF (ISO-BMFF with an avif/avis brand).
    Avif,
    /// Windows bitmap.
    Bmp,
    /// SVG document (only stored when SVG is allowed).
    Svg,
}

impl ImageKind {
    /// File extension without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
            ImageKind::Avif => "avif",
            ImageKind::Bmp => "bmp",
            ImageKind::Svg => "svg",
        }
    }

    /// MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
            ImageKind::Avif => "image/avif",
            ImageKind::Bmp => "image/bmp",
            ImageKind::Svg => "image/svg+xml",
        }
    }

    /// Inverse of [`ImageKind::ext`].
    pub fn from_ext(ext: &str) -> Option<ImageKind> {
        [
            ImageKind::Jpeg,
            ImageKind::Png,
            ImageKind::Gif,
            ImageKind::Webp,
            ImageKind::Avif,
            ImageKind::Bmp,
            ImageKind::Svg,
        ]
        .into_iter()
        .find(|k| k.ext() == ext)
    }
}

/// Detect the image format of `head` (the first bytes of a body).
pub fn sniff(head: &[u8]) -> Option<ImageKind> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageKind::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageKind::Png);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(ImageKind::Gif);
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Some(ImageKind::Webp);
    }
    if is_avif(head) {
        return Some(ImageKind::Avif);
    }
    if is_bmp(head) {
        return Some(ImageKind::Bmp);
    }
    if is_svg(head) {
        return Some(ImageKind::Svg);
    }
    None
}

fn is_avif(head: &[u8]) -> bool {
    if head.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let Some(size) = head.get(0..4) else {
        return false;
    };
    let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
    let end = size.clamp(8, head.len());
    let brands = head.get(8..end).unwrap_or_default();
    // major brand, minor version, compatible brands: every 4-byte chunk.
    brands.chunks_exact(4).any(|b| b == b"avif" || b == b"avis")
}

fn is_bmp(head: &[u8]) -> bool {
    if !head.starts_with(b"BM") {
        return false;
    }
    match head.get(14..18) {
        Some(dib) => {
            let dib = u32::from_le_bytes([dib[0], dib[1], dib[2], dib[3]]);
            matches!(dib, 12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
        }
        None => false,
    }
}

fn is_svg(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("<svg") {
        return true;
    }
    let prolog = lower.starts_with("<?xml")
        || lower.starts_with("<!--")
        || lower.starts_with("<!doctype svg");
    prolog && !lower.contains("<html") && lower.contains("<svg")
}

/// A plain-words description of a non-image body for error messages.
pub fn describe_non_image(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if text.contains("<html") || text.contains("<!doctype html") {
        return "HTML page".to_string();
    }
    let shown: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("unrecognised bytes {}", shown.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        let mut webp = b"RIFF\x10\0\0\0WEBPVP8 ".to_vec();
        webp.extend([0; 8]);
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        let avif_compat = b"\0\0\0\x18ftypmif1\0\0\0\0mif1avif";
        let mut bmp = b"BM".to_vec();
        bmp.extend([0; 12]);
        bmp.extend(40u32.to_le_bytes());
        let cases: &[(&[u8], Option<ImageKind>)] = &[
            (b"\xff\xd8\xff\xe0\0\x10JFIF", Some(ImageKind::Jpeg)),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(ImageKind::Png)),
            (b"GIF89a\x01\0\x01\0", Some(ImageKind::Gif)),
            (b"GIF87a", Some(ImageKind::Gif)),
            (&webp, Some(ImageKind::Webp)),
            (avif, Some(ImageKind::Avif)),
            (avif_compat, Some(ImageKind::Avif)),
            (b"\0\0\0\x18ftypisom\0\0\0\0isomiso2", None),
            (&bmp, Some(ImageKind::Bmp)),
            (b"BMx", None),
            (
                b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                Some(ImageKind::Svg),
            ),
            (
                b"\xef\xbb\xbf<?xml version='1.0'?>\n<svg/>",
                Some(ImageKind::Svg),
            ),
            (b"<!DOCTYPE html><html><body>404</body></html>", None),
            (b"<?xml version='1.0'?><html><svg/></html>", None),
            (b"", None),
            (b"\xff", None),
            (b"RIFF", None),
            (b"\0\0\0\0ftyp", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn ext_round_trips() {
        for ext in ["jpg", "png", "gif", "webp", "avif", "bmp", "svg"] {
            assert_eq!(ImageKind::from_ext(ext).map(ImageKind::ext), Some(ext));
        }
        assert_eq!(ImageKind::from_ext("exe"), None);
    }

    #[test]
    fn describes_html() {
        assert_eq!(describe_non_image(b"<!DOCTYPE html><p>"), "HTML page");
        assert!(describe_non_image(b"\x00\x01").starts_with("unrecognised"));
    }
}
