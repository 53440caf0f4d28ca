//! A small run with one post of every status and hostile content
//! everywhere: paths, texts, messages, image URLs. Four posts need
//! attention (two with warnings, a lossy and a failed one); the unchanged
//! and the skipped post are clean.

use std::collections::BTreeMap;

use mdmigrate::report::{DiagnosticRecord, ImageRecord, PostRecord, Run, Status, Totals};

const SCRIPT_PATH: &str = "posts/<script>alert(1)</script>.html";
const QUOTES_PATH: &str = "posts/\"quotes\" & 'apos'.html";
const CHINESE_PATH: &str = "posts/中文 空格.html";

pub fn hostile_run() -> Run {
    let posts = vec![
        script_post(),
        quotes_post(),
        unchanged_post(),
        failed_post(),
        skipped_post(),
        crlf_post(),
    ];
    Run {
        tool_version: "0.1.0 <b>beta</b>".to_owned(),
        command: "migrate --dry-run".to_owned(),
        totals: Totals::from_records(&posts, 1.234),
        posts,
        files: Vec::new(),
    }
}

fn post(path: &str, status: Status, before: &str, after: Option<&str>) -> PostRecord {
    PostRecord {
        path: path.to_owned(),
        output: after.map(|_| path.replace(".html", ".md")),
        status,
        error: None,
        diagnostics: Vec::new(),
        rules_fired: BTreeMap::new(),
        images: Vec::new(),
        verification: Vec::new(),
        before: before.to_owned(),
        after: after.map(str::to_owned),
    }
}

fn diagnostic(code: &str, level: &str, message: &str) -> DiagnosticRecord {
    DiagnosticRecord {
        code: code.to_owned(),
        level: level.to_owned(),
        message: message.to_owned(),
    }
}

fn image(url: &str, status: &str, local: Option<&str>, reason: Option<&str>) -> ImageRecord {
    ImageRecord {
        url: url.to_owned(),
        status: status.to_owned(),
        local: local.map(str::to_owned),
        reason: reason.map(str::to_owned),
        kind: None,
    }
}

fn script_post() -> PostRecord {
    let mut post = post(
        SCRIPT_PATH,
        Status::Converted,
        "<p>Hello</p>\n<script>alert(1)</script>\n<textarea>x</textarea>\n",
        Some("Hello\n\n</textarea><script>alert(2)</script> \"'&amp;\n"),
    );
    post.diagnostics.push(diagnostic(
        "dropped-script",
        "info",
        "dropped <script>alert(1)</script>",
    ));
    post.diagnostics.push(diagnostic(
        "broken-reference",
        "warning",
        "link <a href=\"x\"> reaches nothing",
    ));
    post.rules_fired = BTreeMap::from([("p".to_owned(), 2), ("script".to_owned(), 1)]);
    post.images.push(image(
        "https://example.com/a.png\"><img src=x onerror=alert(3)>",
        "downloaded",
        Some("assets/a.png"),
        None,
    ));
    post.images.push(image(
        "https://example.com/b.png",
        "reused",
        Some("assets/b.png"),
        None,
    ));
    post
}

fn quotes_post() -> PostRecord {
    let mut post = post(
        QUOTES_PATH,
        Status::Lossy,
        "<p>a</p>\n<iframe src=\"https://evil.example/\"></iframe>\n",
        Some("a\n\n<iframe src=\"https://evil.example/\"></iframe>\n"),
    );
    post.diagnostics.push(diagnostic(
        "kept-html",
        "warning",
        "kept <iframe src=\"https://evil.example/\"> as HTML",
    ));
    post.diagnostics.push(diagnostic(
        "odd\"level",
        "\"><script>alert(7)</script>",
        "x",
    ));
    post.rules_fired = BTreeMap::from([("p".to_owned(), 1), ("iframe".to_owned(), 1)]);
    post.verification
        .push("block 2 differs: <b onclick=\"alert(8)\">".to_owned());
    post.images.push(image(
        "javascript:alert(4)",
        "failed",
        None,
        Some("404 </td></tr></table><script>alert(5)</script>"),
    ));
    post
}

fn unchanged_post() -> PostRecord {
    let text = "# 标题\n\n正文 & more\n";
    post(CHINESE_PATH, Status::Unchanged, text, Some(text))
}

fn failed_post() -> PostRecord {
    let mut post = post(
        "posts/broken.html",
        Status::Failed,
        "<p>unclosed </textarea>",
        None,
    );
    post.error =
        Some("posts/broken.html:3: unexpected </textarea><script>alert(6)</script>".to_owned());
    post.diagnostics
        .push(diagnostic("parse-error", "error", "nesting too deep"));
    post
}

fn skipped_post() -> PostRecord {
    post(
        "posts/already.md",
        Status::Skipped,
        "# Already Markdown\n",
        None,
    )
}

fn crlf_post() -> PostRecord {
    let mut post = post(
        "posts/crlf.html",
        Status::Converted,
        "<p>one</p>\r\n<p>two</p>\r\n<p>three</p>",
        Some("one\n\ntwo\n\nthree"),
    );
    post.rules_fired = BTreeMap::from([("p".to_owned(), 3)]);
    post.diagnostics.push(diagnostic(
        "broken-reference",
        "warning",
        "image ../three.png reaches nothing",
    ));
    post
}
