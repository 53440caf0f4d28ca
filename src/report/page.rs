//! The HTML report: one self-contained page a person opens after a run.
//!
//! The page stays small however large the run: it shows the totals (with
//! diagnostics counted by level: an info is not a warning), every post
//! that needs attention (failed, lossy, with a warning or a failed image)
//! with its reasons in plain view and its diff, capped, one click away,
//! and the clean posts only as folders with counts, their names findable
//! by a path search. Whole diffs of every post are in the JSON ledger.
//! Like the ledger it is built as posts finish ([`Builder`]): a problem
//! post's row and section go to a [`Spool`], a clean post leaves only its
//! name in its folder's list.
//!
//! Post content is hostile (it was scraped from the web), so:
//! - every piece of run data goes through [`Escaped`], in text and in
//!   attribute values alike; nothing from the run is placed in a URL, a
//!   `<script>` or a `<style>`;
//! - the page loads nothing: no `src` attribute, no `<img>` (image URLs are
//!   shown as text), and the only links are `#post-N` anchors. Paths are not
//!   linked because the page does not know where it will be saved;
//! - a Content-Security-Policy allows only our own inline script and style,
//!   by hash, so even an escaping bug could not run injected script.
//!
//! The script (`page.js`) and style (`page.css`) sit next to this file.
//! Changing either changes its hash: `tests/report_page.rs` checks the
//! hashes and prints the right ones. This module writes to a `Write` it is
//! given; it does not open files.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

use crate::report::ledger::{Head, LedgerPost};
use crate::report::spool::Spool;
use crate::report::{DiagnosticRecord, FileRecord, ImageRecord, Run, Status, Totals};

const SCRIPT: &str = include_str!("page.js");
const STYLE: &str = include_str!("page.css");
/// `openssl dgst -sha256 -binary page.js | base64`
const SCRIPT_SHA256: &str = "9/j3YZsxD9+JNBXyOcHInGcexQHuwvOX3KV5zY3wTXA=";
/// `openssl dgst -sha256 -binary page.css | base64`
const STYLE_SHA256: &str = "1ac91djpY4bmQd8lgCmW4meYk38ZS3bMGhTAVfUY7p0=";

/// Lines of a problem post's diff the page shows; the rest is in the ledger.
pub const DIFF_LINES: usize = 200;
/// Bytes of a problem post's diff the page shows at most.
pub const DIFF_BYTES: usize = 32 * 1024;
/// Failed images and files listed on the page; the rest is in the ledger.
pub const LISTED: usize = 1000;
/// Reasons of one kind shown for one post (verification differences...).
const REASONS: usize = 20;

/// The whole report page of a run held in memory.
pub fn to_html(run: &Run) -> String {
    let mut builder = Builder::new(Spool::in_memory(), Spool::in_memory(), Spool::in_memory());
    let head = Head {
        tool_version: &run.tool_version,
        command: &run.command,
    };
    let mut out = Vec::new();
    let written = run
        .posts
        .iter()
        .enumerate()
        .try_for_each(|(i, p)| builder.push(i, &LedgerPost::from_record(p)))
        .and_then(|()| builder.write(&head, &run.totals, &run.files, &mut out));
    match written {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        // Memory spools cannot fail to write; say so rather than panic.
        Err(e) => format!(
            "<!DOCTYPE html><p>report failed: {}</p>\n",
            Escaped(&e.to_string())
        ),
    }
}

/// Whether a post needs a person's attention: it failed or lost content,
/// or it has a diagnostic above info, or a failed image.
pub fn is_problem(post: &LedgerPost) -> bool {
    matches!(post.status, Status::Failed | Status::Lossy)
        || post.diagnostics.iter().any(|d| d.level != "info")
        || post.images.iter().any(|i| i.status == "failed")
}

/// The clean posts of one folder.
#[derive(Debug, Default)]
struct Folder {
    counts: BTreeMap<Status, usize>,
    /// (post index, file name) pairs.
    names: Vec<(usize, String)>,
}

/// Builds the page as posts finish; see the module docs.
#[derive(Debug)]
pub struct Builder {
    rows: Spool,
    sections: Spool,
    failed_images: Spool,
    clean: BTreeMap<String, Folder>,
}

impl Builder {
    /// A builder keeping problem rows, sections and failed-image rows in
    /// the three spools.
    pub fn new(rows: Spool, sections: Spool, failed_images: Spool) -> Builder {
        Builder {
            rows,
            sections,
            failed_images,
            clean: BTreeMap::new(),
        }
    }

    /// Records post `index` (its place in the run).
    pub fn push(&mut self, index: usize, post: &LedgerPost) -> io::Result<()> {
        for image in post.images.iter().filter(|i| i.status == "failed") {
            self.failed_images
                .push(index, failed_image_row(&post.path, image).as_bytes())?;
        }
        if is_problem(post) {
            self.rows.push(index, problem_row(index, post).as_bytes())?;
            self.sections
                .push(index, post_section(index, post).as_bytes())?;
            return Ok(());
        }
        let (folder, name) = post.path.rsplit_once('/').unwrap_or(("", &post.path));
        let entry = self.clean.entry(folder.to_owned()).or_default();
        *entry.counts.entry(post.status).or_default() += 1;
        entry.names.push((index, name.replace('\n', "\u{2424}")));
        Ok(())
    }

    /// Writes the whole page to `out`.
    pub fn write(
        &mut self,
        head: &Head<'_>,
        totals: &Totals,
        files: &[FileRecord],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        out.write_all(page_head(head).as_bytes())?;
        out.write_all(b"<body>\n<div class=\"page\">\n")?;
        out.write_all(summary(head, totals).as_bytes())?;
        self.write_failed_images(out)?;
        out.write_all(files_section(files).as_bytes())?;
        self.write_problems(out)?;
        out.write_all(self.clean_section().as_bytes())?;
        write!(out, "</div>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")
    }

    fn write_failed_images(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.failed_images.is_empty() {
            return Ok(());
        }
        let count = self.failed_images.len();
        write!(
            out,
            "<h2>Failed images ({count})</h2>\n<table class=\"images failed-images\"><thead><tr>\
             <th>Post</th><th>URL</th><th>Kind</th><th>Reason</th></tr></thead>\n<tbody>\n"
        )?;
        self.failed_images.write_first(out, b"", LISTED)?;
        out.write_all(b"</tbody></table>\n")?;
        if count > LISTED {
            write!(out, "{}", more_in_ledger(count - LISTED, "failed images"))?;
        }
        Ok(())
    }

    fn write_problems(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let count = self.rows.len();
        write!(
            out,
            "<h2>Posts needing attention ({count})</h2>\n<div class=\"controls\">\
             <label for=\"status-filter\">Show</label>\n{}\
             <label for=\"path-search\">Find a path</label>\
             <input id=\"path-search\" type=\"search\" placeholder=\"part of a path\">\n\
             <span><span id=\"shown\">{count}</span> shown</span></div>\n\
             <ol id=\"search-results\" hidden></ol>\n\
             <table id=\"posts\">\n<thead><tr>\
             <th data-sort=\"path\" aria-sort=\"none\"><button type=\"button\">Path</button></th>\
             <th data-sort=\"status\" aria-sort=\"none\"><button type=\"button\">Status</button></th>\
             <th data-sort=\"warnings\" aria-sort=\"none\" class=\"num\">\
             <button type=\"button\">Warnings</button></th>\
             <th>Reasons</th></tr></thead>\n<tbody>\n",
            status_filter()
        )?;
        self.rows.write_sorted(out, b"")?;
        out.write_all(b"</tbody>\n</table>\n")?;
        if count > 0 {
            out.write_all(b"<h2>Posts needing attention, in detail</h2>\n")?;
            self.sections.write_sorted(out, b"")?;
        }
        Ok(())
    }

    /// Clean posts as folders with counts; each folder's names in a
    /// collapsed list the path search reads.
    fn clean_section(&mut self) -> String {
        let total: usize = self.clean.values().map(|f| f.names.len()).sum();
        let mut html = format!(
            "<h2>Clean posts by folder ({total} posts in {} folders)</h2>\n<div id=\"clean\">\n",
            self.clean.len()
        );
        for (folder, entry) in &mut self.clean {
            entry.names.sort();
            let counts: Vec<String> = entry
                .counts
                .iter()
                .map(|(status, n)| format!("{n} {}", status.as_str()))
                .collect();
            let shown = if folder.is_empty() { "." } else { folder };
            let _ = write!(
                html,
                "<details class=\"folder\" data-folder=\"{}\"><summary><code>{}/</code> \
                 <span class=\"num\">{}</span> <small>{}</small></summary>\
                 <pre class=\"names\">",
                Escaped(folder),
                Escaped(shown),
                entry.names.len(),
                counts.join(", ")
            );
            for (_, name) in &entry.names {
                let _ = writeln!(html, "{}", Escaped(name));
            }
            html.push_str("</pre></details>\n");
        }
        html.push_str("</div>\n");
        html
    }
}

/// Run data made safe for HTML text and double-quoted attribute values.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

fn page_head(head: &Head<'_>) -> String {
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{SCRIPT_SHA256}'; \
         style-src 'sha256-{STYLE_SHA256}'; base-uri 'none'; form-action 'none'"
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>mdmigrate report: {}</title>\n<style>{STYLE}</style>\n</head>\n",
        Escaped(head.command)
    )
}

fn summary(head: &Head<'_>, totals: &Totals) -> String {
    format!(
        "<header>\n<h1>mdmigrate report</h1>\n\
         <p class=\"run\"><code>mdmigrate {}</code> · version {} · {}</p>\n\
         <dl class=\"totals\">\n{}</dl>\n{}</header>\n",
        Escaped(head.command),
        Escaped(head.tool_version),
        seconds(totals.seconds),
        total_cards(totals),
        rules_fired(totals)
    )
}

fn total_cards(totals: &Totals) -> String {
    let fired: usize = totals.rules_fired.values().sum();
    let images = totals.images_downloaded + totals.images_reused + totals.images_failed;
    let image_note = format!(
        "{} downloaded, {} reused, {} failed",
        totals.images_downloaded, totals.images_reused, totals.images_failed
    );
    let rule_note = format!("{} distinct rules", totals.rules_fired.len());
    let mut cards = card("posts", "Posts", totals.posts, "");
    for status in Status::ALL {
        cards.push_str(&card(
            status.as_str(),
            status.as_str(),
            totals.count(status),
            "",
        ));
    }
    cards.push_str(&diagnostic_cards(totals));
    cards.push_str(&card("images", "Images", images, &image_note));
    cards.push_str(&card("rules", "Rules fired", fired, &rule_note));
    let file_note = format!(
        "{} failed, {} dot-files skipped",
        totals.copy_failed, totals.hidden_skipped
    );
    cards.push_str(&card("files", "Files copied", totals.copied, &file_note));
    cards.push_str(&format!(
        "<div class=\"total time\"><dt>Time</dt><dd>{}</dd></div>\n",
        seconds(totals.seconds)
    ));
    cards
}

/// One card per diagnostic level present, errors and warnings first.
fn diagnostic_cards(totals: &Totals) -> String {
    let mut levels: Vec<(&String, &usize)> = totals.diagnostics.iter().collect();
    levels.sort_by_key(|(level, _)| match level.as_str() {
        "error" => 0,
        "warning" => 1,
        "info" => 3,
        _ => 2,
    });
    levels
        .into_iter()
        .map(|(level, n)| {
            let label = format!("{} diagnostics", Escaped(level));
            card(known_class(level), &label, *n, "")
        })
        .collect()
}

fn card(class: &str, label: &str, value: usize, note: &str) -> String {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("<small>{}</small>", Escaped(note))
    };
    format!("<div class=\"total {class}\"><dt>{label}</dt><dd>{value}{note}</dd></div>\n")
}

fn rules_fired(totals: &Totals) -> String {
    if totals.rules_fired.is_empty() {
        return String::new();
    }
    let mut rules: Vec<(&String, &usize)> = totals.rules_fired.iter().collect();
    rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let rows: String = rules
        .iter()
        .map(|(rule, count)| {
            format!(
                "<tr><td><code>{}</code></td><td class=\"num\">{count}</td></tr>\n",
                Escaped(rule)
            )
        })
        .collect();
    format!(
        "<details class=\"rules\"><summary>Rules fired, most used first</summary>\n\
         <table><thead><tr><th>Rule</th><th class=\"num\">Times</th></tr></thead>\n\
         <tbody>\n{rows}</tbody></table></details>\n"
    )
}

fn seconds(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{seconds:.2} s")
    } else {
        let whole = seconds.round() as u64;
        format!("{} min {} s", whole / 60, whole % 60)
    }
}

/// The statuses a problem post can have; counts are in the totals.
fn status_filter() -> String {
    let mut options = "<option value=\"all\">all</option>".to_owned();
    for status in Status::ALL {
        let name = status.as_str();
        let _ = write!(options, "<option value=\"{name}\">{name}</option>");
    }
    format!("<select id=\"status-filter\">{options}</select>\n")
}

/// How many diagnostics of `post` are above info.
fn warnings(post: &LedgerPost) -> usize {
    post.diagnostics
        .iter()
        .filter(|d| d.level != "info")
        .count()
}

/// A problem post's row: its reasons in plain view.
fn problem_row(index: usize, post: &LedgerPost) -> String {
    let status = post.status.as_str();
    format!(
        "<tr class=\"post-row\" data-path=\"{path}\" data-status=\"{status}\" \
         data-warnings=\"{warnings}\">\
         <td class=\"path\"><a href=\"#post-{index}\"><code>{path}</code></a></td>\
         <td><span class=\"badge {status}\">{status}</span></td>\
         <td class=\"num\">{warnings}</td><td class=\"reasons\">{reasons}</td></tr>\n",
        path = Escaped(&post.path),
        warnings = warnings(post),
        reasons = reasons(post)
    )
}

/// Why a post needs attention, one short line each.
fn reasons(post: &LedgerPost) -> String {
    let mut lines = Vec::new();
    if let Some(error) = &post.error {
        lines.push(format!("<span class=\"bad\">{}</span>", Escaped(error)));
    }
    for difference in post.verification.iter().take(REASONS) {
        lines.push(format!("lost: {}", Escaped(difference)));
    }
    for d in post
        .diagnostics
        .iter()
        .filter(|d| d.level != "info")
        .take(REASONS)
    {
        lines.push(format!(
            "<code>{}</code> {}",
            Escaped(&d.code),
            Escaped(&d.message)
        ));
    }
    for image in post
        .images
        .iter()
        .filter(|i| i.status == "failed")
        .take(REASONS)
    {
        lines.push(format!(
            "image failed ({}): <code>{}</code>",
            Escaped(image.kind.as_deref().unwrap_or("unknown")),
            Escaped(&image.url)
        ));
    }
    let items: String = lines.iter().map(|l| format!("<li>{l}</li>")).collect();
    format!("<ul>{items}</ul>")
}

fn post_section(index: usize, post: &LedgerPost) -> String {
    let status = post.status.as_str();
    let output = match &post.output {
        Some(output) => format!(
            " <span class=\"arrow\">→</span> <code>{}</code>",
            Escaped(output)
        ),
        None => String::new(),
    };
    let error = match &post.error {
        Some(error) => format!("<p class=\"error\">{}</p>\n", Escaped(error)),
        None => String::new(),
    };
    format!(
        "<details class=\"post\" id=\"post-{index}\" data-status=\"{status}\">\n\
         <summary><span class=\"badge {status}\">{status}</span> \
         <code class=\"path\">{}</code>{output}</summary>\n\
         <div class=\"post-body\">\n{error}{}{}{}{}</div>\n</details>\n",
        Escaped(&post.path),
        diff_block(post),
        diagnostics_block(&post.diagnostics),
        verification_block(post),
        images_block(&post.images)
    )
}

fn diff_block(post: &LedgerPost) -> String {
    if !post.has_output() {
        return "<h3>Diff</h3>\n<p class=\"muted\">No output, so no diff.</p>\n".to_owned();
    }
    if post.diff.is_empty() {
        return "<h3>Diff</h3>\n<p class=\"muted\">No changes.</p>\n".to_owned();
    }
    let mut in_header = true;
    let mut shown = String::new();
    let mut lines = post.diff.split_inclusive('\n');
    for line in lines.by_ref().take(DIFF_LINES) {
        in_header &= !line.starts_with("@@");
        shown.push_str(&diff_line(line, in_header));
        if shown.len() > DIFF_BYTES {
            break;
        }
    }
    let rest = lines.count();
    let note = if rest > 0 {
        format!(
            "<p class=\"muted\">… {rest} more lines: the whole diff is in the JSON ledger.</p>\n"
        )
    } else {
        String::new()
    };
    format!("<h3>Diff</h3>\n<pre class=\"diff\">{shown}</pre>\n{note}")
}

/// One diff line as a block span; a `\r` shows as `␍` so that a change of
/// line endings is visible.
fn diff_line(line: &str, in_header: bool) -> String {
    let class = match line.as_bytes().first() {
        _ if in_header => "file",
        Some(b'@') => "hunk",
        Some(b'+') => "add",
        Some(b'-') => "del",
        Some(b'\\') => "note",
        _ => "context",
    };
    let text = line.strip_suffix('\n').unwrap_or(line);
    let shown = Escaped(text)
        .to_string()
        .replace('\r', "<b class=\"cr\">␍</b>");
    format!("<span class=\"{class}\">{shown}\n</span>")
}

fn diagnostics_block(diagnostics: &[DiagnosticRecord]) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let items: String = diagnostics
        .iter()
        .map(|d| {
            format!(
                "<li><span class=\"level {}\">{}</span> <code>{}</code> {}</li>\n",
                known_class(&d.level),
                Escaped(&d.level),
                Escaped(&d.code),
                Escaped(&d.message)
            )
        })
        .collect();
    format!("<h3>Diagnostics</h3>\n<ul>\n{items}</ul>\n")
}

/// Run strings become class names only when they are ones the style knows.
fn known_class(word: &str) -> &'static str {
    match word {
        "info" => "info",
        "warning" => "warning",
        "error" => "error",
        "downloaded" => "downloaded",
        "reused" => "reused",
        "failed" => "failed",
        "rewritten" => "rewritten",
        _ => "other",
    }
}

fn verification_block(post: &LedgerPost) -> String {
    if !post.has_output() {
        return String::new();
    }
    if post.verification.is_empty() {
        return "<h3>Verification</h3>\n<p class=\"muted\">Round trip clean.</p>\n".to_owned();
    }
    let items: String = post
        .verification
        .iter()
        .map(|difference| format!("<li>{}</li>\n", Escaped(difference)))
        .collect();
    format!("<h3>Verification</h3>\n<ul class=\"bad\">\n{items}</ul>\n")
}

fn images_block(images: &[ImageRecord]) -> String {
    if images.is_empty() {
        return String::new();
    }
    let rows: String = images.iter().map(image_row).collect();
    format!(
        "<h3>Images</h3>\n<table class=\"images\"><thead><tr><th>URL</th><th>Status</th>\
         <th>Local file</th><th>Reason</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n"
    )
}

fn image_row(image: &ImageRecord) -> String {
    let local = match &image.local {
        Some(local) => format!("<code>{}</code>", Escaped(local)),
        None => NONE.to_owned(),
    };
    let reason = match &image.reason {
        Some(reason) => Escaped(reason).to_string(),
        None => NONE.to_owned(),
    };
    format!(
        "<tr><td class=\"path\"><code>{}</code></td><td><span class=\"level {}\">{}</span></td>\
         <td class=\"path\">{local}</td><td>{reason}</td></tr>\n",
        Escaped(&image.url),
        known_class(&image.status),
        Escaped(&image.status),
    )
}

/// One failed image: post, URL, kind of reason, reason.
fn failed_image_row(post: &str, image: &ImageRecord) -> String {
    format!(
        "<tr><td class=\"path\"><code>{}</code></td><td class=\"path\"><code>{}</code></td>\
         <td>{}</td><td>{}</td></tr>\n",
        Escaped(post),
        Escaped(&image.url),
        Escaped(image.kind.as_deref().unwrap_or("")),
        Escaped(image.reason.as_deref().unwrap_or("")),
    )
}

/// The carried files worth a line: those that failed, the first
/// [`LISTED`] of them.
fn files_section(files: &[FileRecord]) -> String {
    let failed: Vec<&FileRecord> = files.iter().filter(|f| f.status == "failed").collect();
    if failed.is_empty() {
        return String::new();
    }
    let rows: String = failed
        .iter()
        .take(LISTED)
        .map(|f| {
            format!(
                "<tr><td class=\"path\"><code>{}</code></td><td><span class=\"level {}\">{}</span></td>\
                 <td>{}</td></tr>\n",
                Escaped(&f.path),
                known_class(&f.status),
                Escaped(&f.status),
                Escaped(f.error.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let more = failed
        .len()
        .checked_sub(LISTED)
        .filter(|n| *n > 0)
        .map_or(String::new(), |n| more_in_ledger(n, "files"));
    format!(
        "<h2>Other files that failed ({})</h2>\n<table class=\"files\"><thead><tr><th>File</th>\
         <th>Status</th><th>Error</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n{more}",
        failed.len()
    )
}

fn more_in_ledger(n: usize, what: &str) -> String {
    format!("<p class=\"muted\">… and {n} more {what}: all of them are in the JSON ledger.</p>\n")
}

const NONE: &str = "<span class=\"muted\">—</span>";
