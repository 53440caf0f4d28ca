//! `decode`: BOMs, UTF-16, GB18030, auto-detection, binary files.

use mdmigrate::source::{Encoding, SourceError, decode};

#[test]
fn utf8_bom_is_stripped() {
    assert_eq!(decode(b"\xEF\xBB\xBFhi", Encoding::Utf8).unwrap(), "hi");
}

#[test]
fn utf16_boms_select_utf16() {
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("hé".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert_eq!(decode(&le, Encoding::Utf8).unwrap(), "hé");
    assert_eq!(decode(&be, Encoding::Auto).unwrap(), "hé");
}

#[test]
fn invalid_utf8_reports_where() {
    let e = decode(
        "第一行\n第二\u{fffd}"
            .as_bytes()
            .iter()
            .copied()
            .chain([0xC3, b'x'])
            .collect::<Vec<_>>()
            .as_slice(),
        Encoding::Utf8,
    )
    .unwrap_err();
    assert_eq!(
        e,
        SourceError::InvalidUtf8 {
            offset: 19,
            line: 2,
            column: 4
        }
    );
    assert_eq!(e.to_string(), "invalid UTF-8 at byte 19 (line 2, column 4)");
}

#[test]
fn gb18030_and_auto() {
    let (gbk, _, _) = encoding_rs::GB18030
        .encode("标题：新媒体，36氪的快讯。这是一段足够长的中文文本，用来让自动检测猜对编码。");
    assert_eq!(
        decode(&gbk, Encoding::Gb18030).unwrap(),
        "标题：新媒体，36氪的快讯。这是一段足够长的中文文本，用来让自动检测猜对编码。"
    );
    assert!(decode(&gbk, Encoding::Utf8).is_err());
    assert_eq!(
        decode(&gbk, Encoding::Auto).unwrap(),
        "标题：新媒体，36氪的快讯。这是一段足够长的中文文本，用来让自动检测猜对编码。"
    );
    assert_eq!(decode("ok ✓".as_bytes(), Encoding::Auto).unwrap(), "ok ✓");
}

#[test]
fn nul_means_binary() {
    let e = decode(b"ab\ncd\0ef", Encoding::Utf8).unwrap_err();
    assert_eq!(e, SourceError::Binary { offset: 5, line: 2 });
    let e = decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff", Encoding::Auto).unwrap_err();
    assert!(matches!(e, SourceError::Binary { .. }), "{e}");
    let le: Vec<u8> = [0xFF, 0xFE, b'a', 0, 0, 0].to_vec();
    assert!(matches!(
        decode(&le, Encoding::Utf8),
        Err(SourceError::Binary { .. })
    ));
}

#[test]
fn never_panics_on_arbitrary_bytes() {
    let samples: [&[u8]; 6] = [
        b"",
        b"\xFF",
        b"\xFE",
        b"\xFF\xFE\x00",
        b"\xEF\xBB",
        b"\x80\x80\x80",
    ];
    for bytes in samples {
        for enc in [Encoding::Utf8, Encoding::Gb18030, Encoding::Auto] {
            let _ = decode(bytes, enc);
        }
    }
}
