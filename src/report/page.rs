//! The HTML report: one self-contained page a person opens after a run.
//!
//! The page shows the run's totals, a sortable and filterable table of
//! posts, and for each post a collapsible section with its diff,
//! diagnostics, verification differences and images.
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
//! hashes and prints the right ones. This module builds text only.

use std::fmt;

use crate::report::{DiagnosticRecord, ImageRecord, PostRecord, Run, Status, Totals};

const SCRIPT: &str = include_str!("page.js");
const STYLE: &str = include_str!("page.css");
/// `openssl dgst -sha256 -binary page.js | base64`
const SCRIPT_SHA256: &str = "8OQAQe/WmAOix4nmA18XM1riH3lzoC+xw/cBFYAeNG4=";
/// `openssl dgst -sha256 -binary page.css | base64`
const STYLE_SHA256: &str = "aaR1fErkNRC5AsWSY/qx+DzuEa1THOf1o7iKzj6b7hI=";

/// The whole report page.
pub fn to_html(run: &Run) -> String {
    let mut html = head(run);
    html.push_str("<body>\n<div class=\"page\">\n");
    html.push_str(&summary(run));
    html.push_str(&failed_images_section(run));
    html.push_str(&files_section(run));
    html.push_str(&posts_table(run));
    html.push_str("<h2>Posts in detail</h2>\n");
    for (index, post) in run.posts.iter().enumerate() {
        html.push_str(&post_section(index, post));
    }
    html.push_str(&format!(
        "</div>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    ));
    html
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
                c => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

fn head(run: &Run) -> String {
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
        Escaped(&run.command)
    )
}

fn summary(run: &Run) -> String {
    let totals = &run.totals;
    format!(
        "<header>\n<h1>mdmigrate report</h1>\n\
         <p class=\"run\"><code>mdmigrate {}</code> · version {} · {}</p>\n\
         <dl class=\"totals\">\n{}</dl>\n{}</header>\n",
        Escaped(&run.command),
        Escaped(&run.tool_version),
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

fn posts_table(run: &Run) -> String {
    let rows: String = run
        .posts
        .iter()
        .enumerate()
        .map(|(index, post)| post_row(index, post))
        .collect();
    format!(
        "<h2>Posts</h2>\n<div class=\"controls\"><label for=\"status-filter\">Show</label>\n{}\
         <span><span id=\"shown\">{}</span> shown</span></div>\n\
         <table id=\"posts\">\n<thead><tr>\
         <th data-sort=\"path\" aria-sort=\"none\"><button type=\"button\">Path</button></th>\
         <th data-sort=\"status\" aria-sort=\"none\"><button type=\"button\">Status</button></th>\
         <th data-sort=\"diagnostics\" aria-sort=\"none\" class=\"num\">\
         <button type=\"button\">Diagnostics</button></th>\
         <th class=\"num\">Images</th><th>Verification</th></tr></thead>\n\
         <tbody>\n{rows}</tbody>\n</table>\n",
        status_filter(&run.totals),
        run.posts.len()
    )
}

fn status_filter(totals: &Totals) -> String {
    let mut options = format!(
        "<option value=\"all\">all statuses ({})</option>",
        totals.posts
    );
    for status in Status::ALL {
        let name = status.as_str();
        let count = totals.count(status);
        options.push_str(&format!(
            "<option value=\"{name}\">{name} ({count})</option>"
        ));
    }
    format!("<select id=\"status-filter\">{options}</select>\n")
}

fn post_row(index: usize, post: &PostRecord) -> String {
    let status = post.status.as_str();
    format!(
        "<tr class=\"post-row\" data-path=\"{path}\" data-status=\"{status}\" \
         data-diagnostics=\"{diagnostics}\">\
         <td class=\"path\"><a href=\"#post-{index}\"><code>{path}</code></a></td>\
         <td><span class=\"badge {status}\">{status}</span></td>\
         <td class=\"num\">{diagnostics}</td><td class=\"num\">{images}</td><td>{check}</td></tr>\n",
        path = Escaped(&post.path),
        diagnostics = post.diagnostics.len(),
        images = post.images.len(),
        check = verification_cell(post)
    )
}

fn verification_cell(post: &PostRecord) -> String {
    match (&post.after, post.verification.len()) {
        (None, _) => "<span class=\"muted\">no output</span>".to_owned(),
        (Some(_), 0) => "clean".to_owned(),
        (Some(_), 1) => "<span class=\"bad\">1 difference</span>".to_owned(),
        (Some(_), n) => format!("<span class=\"bad\">{n} differences</span>"),
    }
}

fn post_section(index: usize, post: &PostRecord) -> String {
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

fn diff_block(post: &PostRecord) -> String {
    if post.after.is_none() {
        return "<h3>Diff</h3>\n<p class=\"muted\">No output, so no diff.</p>\n".to_owned();
    }
    let diff = post.diff();
    if diff.is_empty() {
        return "<h3>Diff</h3>\n<p class=\"muted\">No changes.</p>\n".to_owned();
    }
    let mut in_header = true;
    let lines: String = diff
        .split_inclusive('\n')
        .map(|line| {
            in_header &= !line.starts_with("@@");
            diff_line(line, in_header)
        })
        .collect();
    format!("<h3>Diff</h3>\n<pre class=\"diff\">{lines}</pre>\n")
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

fn verification_block(post: &PostRecord) -> String {
    if post.after.is_none() {
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

/// Every failed image of the run: post, URL, kind of reason, reason.
fn failed_images_section(run: &Run) -> String {
    let failed = crate::report::ledger::failed_images(run);
    if failed.is_empty() {
        return String::new();
    }
    let rows: String = failed
        .iter()
        .map(|f| {
            format!(
                "<tr><td class=\"path\"><code>{}</code></td><td class=\"path\"><code>{}</code></td>\
                 <td>{}</td><td>{}</td></tr>\n",
                Escaped(&f.post),
                Escaped(&f.url),
                Escaped(f.kind.as_deref().unwrap_or("")),
                Escaped(f.reason.as_deref().unwrap_or("")),
            )
        })
        .collect();
    format!(
        "<h2>Failed images ({})</h2>\n<table class=\"images failed-images\"><thead><tr><th>Post</th>\
         <th>URL</th><th>Kind</th><th>Reason</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n",
        failed.len()
    )
}

/// The carried files the run kept a record of (the failed ones at least).
fn files_section(run: &Run) -> String {
    if run.files.is_empty() {
        return String::new();
    }
    let rows: String = run
        .files
        .iter()
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
    format!(
        "<h2>Other files</h2>\n<table class=\"files\"><thead><tr><th>File</th><th>Status</th>\
         <th>Error</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n"
    )
}

const NONE: &str = "<span class=\"muted\">—</span>";
