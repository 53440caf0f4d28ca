//! Site rules: what one site's markup means, as data.
//!
//! A rule is a selector (tag, classes, attribute predicates) and an action
//! (`unwrap`, `remove`, `keep-html`, `text`, `link` with an href template,
//! `shortcode` with a template). The 36kr project-link handling is the
//! built-in `36kr` preset written in this form. Templates fill `{attr}`
//! with the element's attribute and `{text}` with its text. Matching never
//! looks beyond the element itself.

use crate::html::Node;
use serde::{Deserialize, Serialize};

/// `tag.class[attr][attr=value][attr^=value]`; every part optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    tag: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Predicate)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Predicate {
    Present,
    Equals(String),
    Prefix(String),
    Contains(String),
}

impl Selector {
    /// Whether only an element with a class can match.
    pub fn needs_class(&self) -> bool {
        !self.classes.is_empty()
    }

    pub fn parse(text: &str) -> Result<Selector, String> {
        let bad = |why: &str| format!("selector {text:?}: {why}");
        let mut sel = Selector {
            tag: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        };
        let mut rest = text.trim();
        let tag_len = rest.find(['.', '[']).unwrap_or(rest.len());
        let tag = &rest[..tag_len];
        if !tag.is_empty() && tag != "*" {
            if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(bad("bad tag name"));
            }
            sel.tag = Some(tag.to_ascii_lowercase());
        }
        rest = &rest[tag_len..];
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                if end == 0 {
                    return Err(bad("empty class"));
                }
                sel.classes.push(after[..end].to_owned());
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after.find(']').ok_or_else(|| bad("unclosed ["))?;
                sel.attrs
                    .push(attr_predicate(&after[..end]).ok_or_else(|| bad("bad attribute test"))?);
                rest = &after[end + 1..];
            } else {
                return Err(bad("unexpected character"));
            }
        }
        Ok(sel)
    }

    pub fn matches(&self, node: &Node) -> bool {
        if self.tag.as_deref().is_some_and(|t| t != node.tag()) {
            return false;
        }
        if !self.classes.iter().all(|c| node.has_class(c)) {
            return false;
        }
        self.attrs
            .iter()
            .all(|(name, pred)| match (node.attr(name), pred) {
                (None, _) => false,
                (Some(_), Predicate::Present) => true,
                (Some(v), Predicate::Equals(w)) => v == w,
                (Some(v), Predicate::Prefix(w)) => v.starts_with(w.as_str()),
                (Some(v), Predicate::Contains(w)) => v.contains(w.as_str()),
            })
    }
}

fn attr_predicate(text: &str) -> Option<(String, Predicate)> {
    let unquote = |v: &str| v.trim().trim_matches(['"', '\'']).to_owned();
    for (op, make) in [
        ("^=", Predicate::Prefix as fn(String) -> Predicate),
        ("*=", Predicate::Contains),
        ("=", Predicate::Equals),
    ] {
        if let Some((name, value)) = text.split_once(op) {
            let name = name.trim();
            return (!name.is_empty()).then(|| (name.to_owned(), make(unquote(value))));
        }
    }
    let name = text.trim();
    (!name.is_empty()).then(|| (name.to_owned(), Predicate::Present))
}

/// What a matched element becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "action")]
pub enum Action {
    /// The element vanishes; its content stays.
    Unwrap,
    /// Only the element's text stays (no added spaces).
    Text,
    /// The element and its content are dropped.
    Remove,
    /// The element is kept as inline HTML, attributes and all.
    KeepHtml,
    /// A link; `href` is a template (default: the element's own href).
    Link { href: Option<String> },
    /// A static-site shortcode with templated arguments, in order.
    Shortcode {
        name: String,
        args: Vec<(String, String)>,
    },
}

/// A selector and its action, with a name for the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRule {
    pub name: String,
    pub selector: Selector,
    pub action: Action,
}

/// Fills `{attr}` and `{text}` from the element.
pub fn fill(template: &str, node: &Node) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                let value = if key == "text" {
                    super::whitespace::collapse_all(&node.text_content(false))
                } else {
                    node.attr(key).unwrap_or_default().to_owned()
                };
                out.push_str(&value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The built-in `36kr` preset: project links, as `--project-links` says.
pub fn preset_36kr(project_links: super::ProjectLinks, shortcode: &Action) -> Vec<SiteRule> {
    use super::ProjectLinks;
    let action = match project_links {
        ProjectLinks::Link => Action::Link { href: None },
        ProjectLinks::Text => Action::Text,
        ProjectLinks::Keep => Action::KeepHtml,
        ProjectLinks::Shortcode => shortcode.clone(),
    };
    vec![SiteRule {
        name: "36kr-project-link".into(),
        selector: Selector::parse("a.project-link").expect("valid built-in selector"),
        action,
    }]
}

/// The default shortcode for 36kr project links.
pub fn default_project_shortcode() -> Action {
    Action::Shortcode {
        name: "company".into(),
        args: vec![
            ("id".into(), "{data-id}".into()),
            ("name".into(), "{text}".into()),
        ],
    }
}
