//! Finding the real external tools some tests drive.
//!
//! Under CI (`CI` set) a missing tool is a failure; elsewhere the test says
//! it skipped and passes, so a developer without the tool can still run
//! the suite.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The tool's path, or `None` (after printing a skip note) when it is
/// missing outside CI. Panics under CI when it is missing.
pub fn require(name: &str, install: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    match found {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some() => {
            panic!("CI is set but {name} is missing: {install}")
        }
        None => {
            eprintln!("skipped: {name} not installed ({install})");
            None
        }
    }
}

/// Builds the Hugo site at `root` into `root/public`, failing on any
/// warning; panics when the build fails. Returns what hugo printed.
#[allow(dead_code)] // not every test crate that includes this builds a site
pub fn hugo_build(hugo: &Path, root: &Path) -> String {
    let out = Command::new(hugo)
        .arg("--source")
        .arg(root)
        .arg("--destination")
        .arg(root.join("public"))
        .arg("--panicOnWarning")
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "hugo failed:\n{log}");
    log
}

/// A minimal Hugo site at `root` (raw HTML rendered, no taxonomies or
/// feeds): posts show title and content, lists link each page and show
/// its summary, the home page links every regular page.
#[allow(dead_code)] // not every test crate that includes this builds a site
pub fn lay_out_hugo_site(root: &Path) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "hugo.toml",
        r#"baseURL = "https://example.invalid/"
title = "mdmigrate test"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true
"#,
    );
    write(
        "layouts/_default/single.html",
        "<h1>{{ .Title }}</h1>{{ .Content }}",
    );
    write(
        "layouts/_default/list.html",
        "{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ .Summary }}{{ end }}",
    );
    write(
        "layouts/index.html",
        "{{ range .Site.RegularPages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}",
    );
}

/// Where `scripts/install-test-tools.sh` puts Hexo and its plugins:
/// `$MDMIGRATE_SITE_TOOLS`, default `/opt/mdmigrate-site-tools`.
#[allow(dead_code)] // not every test crate that includes this builds a Hexo site
pub fn site_tools() -> PathBuf {
    std::env::var_os("MDMIGRATE_SITE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/mdmigrate-site-tools"))
}

/// Hexo's binary under [`site_tools`], or `None` (after a skip note) when
/// it or Node.js is missing outside CI; panics under CI when missing.
#[allow(dead_code)]
pub fn require_hexo() -> Option<PathBuf> {
    require("node", "apt-get install nodejs")?;
    let bin = site_tools().join("node_modules/.bin/hexo");
    if bin.is_file() {
        return Some(bin);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {} is missing: bash scripts/install-test-tools.sh",
        bin.display()
    );
    eprintln!("skipped: hexo not installed (bash scripts/install-test-tools.sh)");
    None
}
