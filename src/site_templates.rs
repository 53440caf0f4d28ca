//! Shortcode templates, so a migrated site builds out of the box.
//!
//! For each shortcode the rules can write, the target's template file:
//! Hugo `layouts/shortcodes/NAME.html`, Zola `templates/shortcodes/NAME.html`,
//! Jekyll `_includes/NAME.html`, Hexo `scripts/NAME.js` (a tag plugin). The
//! built-in 36kr `company` shortcode links to the company's 36kr page; any
//! other prints its last argument. Plain data: the caller writes the files.

use crate::lower::site::Action;
use crate::md::writer::SiteSyntax;
use std::path::{Path, PathBuf};

/// `(path relative to the site root, contents)` for every shortcode.
pub fn templates(site: SiteSyntax, shortcodes: &[&Action]) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    for action in shortcodes {
        let Action::Shortcode { name, args } = action else {
            continue;
        };
        let keys: Vec<&str> = args.iter().map(|(k, _)| k.as_str()).collect();
        if let Some(file) = template(site, name, &keys)
            && !out.iter().any(|(p, _)| p == &file.0)
        {
            out.push(file);
        }
    }
    out
}

fn template(site: SiteSyntax, name: &str, keys: &[&str]) -> Option<(PathBuf, String)> {
    let company = name == "company" && keys == ["id", "name"];
    let last = keys.last().copied().unwrap_or("");
    Some(match site {
        SiteSyntax::None => return None,
        SiteSyntax::Hugo => (
            PathBuf::from(format!("layouts/shortcodes/{name}.html")),
            if company {
                "<a href=\"https://36kr.com/projectDetails/{{ .Get \"id\" }}\">{{ .Get \"name\" }}</a>".into()
            } else {
                format!("{{{{ .Get \"{last}\" }}}}")
            },
        ),
        SiteSyntax::Zola => (
            PathBuf::from(format!("templates/shortcodes/{name}.html")),
            if company {
                "<a href=\"https://36kr.com/projectDetails/{{ id }}\">{{ name }}</a>".into()
            } else {
                format!("{{{{ {last} }}}}")
            },
        ),
        SiteSyntax::Jekyll => (
            PathBuf::from(format!("_includes/{name}.html")),
            if company {
                "<a href=\"https://36kr.com/projectDetails/{{ include.id }}\">{{ include.name }}</a>".into()
            } else {
                format!("{{{{ include.{last} }}}}")
            },
        ),
        SiteSyntax::Hexo => (
            PathBuf::from(format!("scripts/{name}.js")),
            hexo_tag(name, keys, company),
        ),
    })
}

fn hexo_tag(name: &str, keys: &[&str], company: bool) -> String {
    let body = if company {
        "const [id, name] = args;\n  return `<a href=\"https://36kr.com/projectDetails/${encodeURIComponent(id)}\">${name}</a>`;".to_owned()
    } else {
        format!("return args[{}] || '';", keys.len().saturating_sub(1))
    };
    format!(
        "/* global hexo */\n// Written by mdmigrate: the `{name}` tag its posts use.\nhexo.extend.tag.register('{name}', function (args) {{\n  {body}\n}});\n"
    )
}

/// The Hugo settings migrated posts need, as a file of Hugo's config
/// folder, which Hugo merges over the site's own config: goldmark renders
/// the inline HTML the posts keep (`<sub>`, `<sup>`, tables with merged
/// cells; by default it writes `<!-- raw HTML omitted -->` instead) and its
/// typographer leaves quotes and dashes as written.
pub const HUGO_MARKUP: &str = "config/_default/markup.toml";

const HUGO_MARKUP_TEXT: &str = "\
# Written by mdmigrate: migrated posts keep inline HTML (<sub>, <sup>,
# tables with merged cells) that Hugo omits unless `unsafe` is on, and
# quotes and dashes that goldmark's typographer would change.
[goldmark.renderer]
unsafe = true
[goldmark.extensions]
typographer = false
";

/// What the site needs besides templates.
pub struct SiteConfig {
    /// Relative to the site root.
    pub path: PathBuf,
    pub text: String,
    /// A config file of the site that already decides these settings: then
    /// nothing is written, since ours would override it.
    pub decided_by: Option<PathBuf>,
}

/// The config file the target needs under `site_root` (Hugo only); with
/// no site root, no config of the site is read.
pub fn site_config(site: SiteSyntax, site_root: Option<&Path>) -> Option<SiteConfig> {
    if site != SiteSyntax::Hugo {
        return None;
    }
    Some(SiteConfig {
        path: PathBuf::from(HUGO_MARKUP),
        text: HUGO_MARKUP_TEXT.to_owned(),
        decided_by: site_root.and_then(|root| {
            hugo_config_files(root)
                .into_iter()
                .find(|p| mentions_markup_settings(p))
        }),
    })
}

/// Whether the site at `site_root` will omit the posts' raw HTML: a Hugo
/// site whose own config decides goldmark's settings (so `migrate` writes
/// none) without turning `unsafe` on.
pub fn omits_raw_html(site: SiteSyntax, site_root: Option<&Path>) -> bool {
    static UNSAFE_ON: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#""?unsafe"?\s*[:=]\s*true"#).expect("valid regex")
    });
    let Some(config) = site_config(site, site_root) else {
        return false;
    };
    config.decided_by.is_some_and(|file| {
        !std::fs::read_to_string(file).is_ok_and(|text| UNSAFE_ON.is_match(&text))
    })
}

/// Hugo's config files at `root`: the root file and the default folder's.
fn hugo_config_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["hugo", "config"]
        .iter()
        .flat_map(|stem| {
            ["toml", "yaml", "yml", "json"].map(|ext| root.join(format!("{stem}.{ext}")))
        })
        .collect();
    if let Ok(entries) = std::fs::read_dir(root.join("config/_default")) {
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| !p.ends_with("markup.toml")),
        );
    }
    files
}

/// The file sets goldmark's `unsafe` or `typographer` (a missing or
/// unreadable file sets nothing).
fn mentions_markup_settings(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|text| text.contains("unsafe") || text.contains("typographer"))
}
