//! Shortcode templates, so a migrated site builds out of the box.
//!
//! For each shortcode the rules can write, the target's template file:
//! Hugo `layouts/shortcodes/NAME.html`, Zola `templates/shortcodes/NAME.html`,
//! Jekyll `_includes/NAME.html`, Hexo `scripts/NAME.js` (a tag plugin). The
//! built-in 36kr `company` shortcode links to the company's 36kr page; any
//! other prints its last argument. Plain data: the caller writes the files.

use crate::lower::site::Action;
use crate::md::writer::SiteSyntax;
use std::path::PathBuf;

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
