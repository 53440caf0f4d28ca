//! Real static sites for tests: lay out a minimal Hugo, Hexo or Jekyll
//! site, build it with the real generator, and read each built post page.
//!
//! Every layout wraps a post's content, and nothing else, in
//! `<article data-source="PATH">`, so a page is matched to the file it was
//! built from without knowing the site's URL rules. A generator that is
//! missing skips outside CI and fails under CI (`tools::require`); a build
//! that fails or reports an error panics with the generator's log.
//!
//! Include it next to `tools.rs`:
//! `#[path = "support/tools.rs"] mod tools;`
//! `#[path = "support/sites.rs"] mod sites;`
#![allow(dead_code)] // not every test crate uses every generator

use crate::tools;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One of the site generators the tests drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Hugo,
    Hexo,
    Jekyll,
}

impl Generator {
    pub const ALL: [Generator; 3] = [Generator::Hugo, Generator::Hexo, Generator::Jekyll];

    /// The `--target` that writes for this generator.
    pub fn target(self) -> &'static str {
        match self {
            Generator::Hugo => "hugo",
            Generator::Hexo => "hexo",
            Generator::Jekyll => "jekyll",
        }
    }

    /// Where posts go, relative to the site root.
    pub fn content_dir(self) -> &'static str {
        match self {
            Generator::Hugo => "content/posts",
            Generator::Hexo => "source/_posts",
            Generator::Jekyll => "_archive",
        }
    }

    /// Where the built site goes, relative to the site root.
    pub fn public_dir(self) -> &'static str {
        match self {
            Generator::Hugo | Generator::Hexo => "public",
            Generator::Jekyll => "_site",
        }
    }

    /// Lays out the minimal site (config and layouts) at `root`.
    pub fn lay_out(self, root: &Path) {
        match self {
            Generator::Hugo => hugo_site(root),
            Generator::Hexo => hexo_site(root),
            Generator::Jekyll => jekyll_site(root),
        }
    }

    /// Builds the site at `root`; `None` when the generator is missing
    /// (outside CI). Returns the generator's log.
    pub fn build(self, root: &Path) -> Option<String> {
        match self {
            Generator::Hugo => build_hugo(root),
            Generator::Hexo => build_hexo(root),
            Generator::Jekyll => build_jekyll(root),
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A Hugo site with Hugo's default Markdown settings (raw HTML omitted
/// unless the site's config says otherwise).
pub fn hugo_site(root: &Path) {
    write(
        &root.join("hugo.toml"),
        "baseURL = \"http://localhost/\"\ntitle = \"mdmigrate test\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n",
    );
    write(
        &root.join("layouts/_default/single.html"),
        "<article data-source=\"{{ .File.Path }}\">{{ .Content }}</article>",
    );
    write(
        &root.join("layouts/_default/list.html"),
        "{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}",
    );
}

/// A Hexo site (`hexo init` needs the network): config, a theme of three
/// ejs layouts, `node_modules` linked from [`tools::site_tools`] and a
/// package.json naming the plugins, since Hexo loads only those.
pub fn hexo_site(root: &Path) {
    write(
        &root.join("_config.yml"),
        "title: mdmigrate test\nurl: http://localhost\ntheme: t\n\
         permalink: :title/\nsource_dir: source\npublic_dir: public\n\
         highlight:\n  line_number: false\n",
    );
    let theme = root.join("themes/t/layout");
    write(
        &theme.join("post.ejs"),
        "<article data-source=\"<%= page.source %>\"><%- page.content %></article>",
    );
    write(&theme.join("layout.ejs"), "<%- body %>");
    write(&theme.join("index.ejs"), "index");
    let tools = tools::site_tools();
    let manifest: serde_json::Value = std::fs::read_to_string(tools.join("package.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let package = serde_json::json!({
        "name": "site",
        "private": true,
        // hexo-cli runs a site's commands only where package.json names hexo.
        "hexo": { "version": manifest["dependencies"]["hexo"].clone() },
        "dependencies": manifest.get("dependencies").cloned().unwrap_or_default(),
    });
    write(&root.join("package.json"), &package.to_string());
    let link = root.join("node_modules");
    if !link.exists() {
        std::os::unix::fs::symlink(tools.join("node_modules"), link).unwrap();
    }
}

/// A Jekyll site whose posts are the `archive` collection, so that file
/// names need no date (Jekyll's `_posts` skips names without one).
pub fn jekyll_site(root: &Path) {
    write(
        &root.join("_config.yml"),
        "title: mdmigrate test\nplugins: [jekyll-redirect-from]\n\
         collections:\n  archive:\n    output: true\n    permalink: /:collection/:path/\n\
         defaults:\n  - scope: {path: \"\"}\n    values: {layout: post}\n",
    );
    write(
        &root.join("_layouts/post.html"),
        "<article data-source=\"{{ page.path }}\">{{ content }}</article>",
    );
}

/// Runs a generator, panicking with its log when it fails or logs an error.
fn run(mut command: Command, name: &str) -> String {
    let out = command.output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{name} failed:\n{log}");
    assert!(!log.contains("ERROR"), "{name} reported errors:\n{log}");
    log
}

/// Builds the Hugo site at `root` into `root/public`.
pub fn build_hugo(root: &Path) -> Option<String> {
    let hugo = tools::require("hugo", "apt-get install hugo")?;
    Some(tools::hugo_build(&hugo, root))
}

/// Builds the Hexo site at `root` (see [`hexo_site`]) into `root/public`.
pub fn build_hexo(root: &Path) -> Option<String> {
    tools::require("node", "apt-get install nodejs")?;
    let hexo = tools::site_tools().join("node_modules/hexo/bin/hexo");
    if !hexo.is_file() {
        let install = "bash scripts/install-test-tools.sh";
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {} is missing: {install}",
            hexo.display()
        );
        eprintln!("skipped: {} not installed ({install})", hexo.display());
        return None;
    }
    let mut command = Command::new("node");
    command.arg(hexo).arg("generate").current_dir(root);
    Some(run(command, "hexo"))
}

/// Builds the Jekyll site at `root` into `root/_site`.
pub fn build_jekyll(root: &Path) -> Option<String> {
    let jekyll = tools::require("jekyll", "apt-get install jekyll ruby-jekyll-redirect-from")?;
    let mut command = Command::new(jekyll);
    command
        .arg("build")
        .arg("--disable-disk-cache")
        .arg("--source")
        .arg(root)
        .arg("--destination")
        .arg(root.join("_site"))
        .current_dir(root);
    let log = run(command, "jekyll");
    assert!(
        !log.contains("Liquid Exception") && !log.contains("Error:"),
        "jekyll reported errors:\n{log}"
    );
    Some(log)
}

/// A built post page: the file it came from (as the generator names it,
/// e.g. `posts/a/b.md`), the page, and the content of its `<article>`.
pub struct Page {
    pub source: String,
    pub file: PathBuf,
    pub content: String,
}

/// Every built page under `public` that holds a post's `<article>`.
pub fn pages(public: &Path) -> Vec<Page> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(public).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let Some((_, rest)) = html.split_once("<article data-source=\"") else {
            continue;
        };
        let Some((source, rest)) = rest.split_once("\">") else {
            continue;
        };
        let content = rest.rsplit_once("</article>").map_or(rest, |(c, _)| c);
        out.push(Page {
            source: unescape(source),
            file: entry.path().to_owned(),
            content: content.to_owned(),
        });
    }
    out
}

/// An attribute value as templates escape it: numeric entities and the
/// few named ones.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The visible text of an HTML fragment, whitespace runs as one space.
pub fn page_text(html: &str) -> String {
    let parsed = mdmigrate::html::parse(html, mdmigrate::html::Limits::default()).unwrap();
    let mut text = String::new();
    let mut stack = vec![parsed.root];
    while let Some(node) = stack.pop() {
        match node.kind() {
            mdmigrate::html::NodeKind::Text(t) => {
                text.push_str(t);
                text.push(' ');
            }
            mdmigrate::html::NodeKind::Element("script" | "style") => {}
            _ => stack.extend(node.children().into_iter().rev()),
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
