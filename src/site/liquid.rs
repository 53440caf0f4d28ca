//! Jekyll's Liquid in post bodies, resolved from the site's config before
//! conversion.
//!
//! Resolved: `{{ site.KEY }}` for any scalar setting of `_config.yml`
//! (`site.baseurl`, `site.url`...), `{{ "PATH" | relative_url }}` and
//! `absolute_url`, `{% post_url NAME %}` and
//! `{% link PATH %}` (to the post's *old* URL, with the old `baseurl`, as
//! Jekyll 4 writes them; the migration keeps those URLs working). Whatever
//! Liquid is left is returned so that the caller reports it; the writer
//! then escapes it as scraped text. This module does not read files.

use regex::{Captures, Regex};
use std::collections::HashMap;
use std::sync::LazyLock;

/// What Liquid in a post can refer to.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    /// `site.KEY` → value (scalar settings only).
    pub site: HashMap<String, String>,
    /// `post_url` names (`2010-07-21-name`, or `folder/2010-07-21-name`) → URL.
    pub posts: HashMap<String, String>,
    /// `link` paths (`_posts/2016-07-26-name.md`) → URL.
    pub files: HashMap<String, String>,
}

static OUTPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{-?\s*site\.([A-Za-z_][\w-]*)\s*-?\}\}").expect("valid regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{%-?\s*(post_url|link)\s+["']?([^\s"'%]+)["']?\s*-?%\}"#).expect("valid regex")
});
static URL_FILTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\{-?\s*(?:"([^"]*)"|'([^']*)')\s*\|\s*(relative_url|absolute_url)\s*-?\}\}"#)
        .expect("valid regex")
});
/// A raw block, from its opening tag to its closing one (or the end).
static RAW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}.*?(?:\{%-?\s*endraw\s*-?%\}|\z)").expect("valid regex")
});
static RAW_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*(?:end)?raw\s*-?%\}").expect("valid regex"));
static LEFT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{.*?\}\}|\{%.*?%\}").expect("valid regex"));

/// The text with what `vars` can say resolved, and the Liquid left over.
/// What `{% raw %}`…`{% endraw %}` holds is literal text, as in Jekyll: it
/// is neither resolved nor reported (the `raw` tags themselves are).
pub fn resolve(text: &str, vars: &Vars) -> (String, Vec<String>) {
    if !text.contains("{{") && !text.contains("{%") {
        return (text.to_owned(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut left = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (outside, raw, after) = match RAW.find(rest) {
            Some(m) => (&rest[..m.start()], m.as_str(), &rest[m.end()..]),
            None => (rest, "", ""),
        };
        let resolved = resolve_outside(outside, vars);
        left.extend(LEFT.find_iter(&resolved).map(|m| m.as_str().to_owned()));
        out.push_str(&resolved);
        out.push_str(raw);
        left.extend(RAW_TAG.find_iter(raw).map(|m| m.as_str().to_owned()));
        rest = after;
    }
    (out, left)
}

/// Resolves text that is not inside a raw block.
fn resolve_outside(text: &str, vars: &Vars) -> String {
    let text = OUTPUT.replace_all(text, |c: &Captures<'_>| {
        vars.site
            .get(&c[1])
            .cloned()
            .unwrap_or_else(|| c[0].to_owned())
    });
    let text = URL_FILTER.replace_all(&text, |c: &Captures<'_>| {
        let path = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        url_filter(path, &c[3], vars)
    });
    let text = TAG.replace_all(&text, |c: &Captures<'_>| {
        let found = match &c[1] {
            "post_url" => vars.posts.get(&c[2]),
            _ => vars.files.get(c[2].trim_start_matches('/')),
        };
        found.cloned().unwrap_or_else(|| c[0].to_owned())
    });
    text.into_owned()
}

/// Jekyll's `relative_url` (base URL + path) and `absolute_url` (site URL
/// + base URL + path).
fn url_filter(path: &str, filter: &str, vars: &Vars) -> String {
    let setting = |key: &str| vars.site.get(key).map_or("", String::as_str);
    let base = setting("baseurl").trim_end_matches('/');
    let relative = format!("{base}/{}", path.trim_start_matches('/'));
    if filter == "absolute_url" {
        format!("{}{relative}", setting("url").trim_end_matches('/'))
    } else {
        relative
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut v = Vars::default();
        v.site.insert("baseurl".into(), "/blog".into());
        v.site.insert("url".into(), "https://example.org".into());
        v.posts.insert(
            "2010-07-21-name".into(),
            "/blog/2010/07/21/name.html".into(),
        );
        v.files.insert(
            "_posts/2016-07-26-other.md".into(),
            "/blog/2016/07/26/other.html".into(),
        );
        v
    }

    #[test]
    fn site_variables_and_post_links_resolve() {
        let (out, left) = resolve(
            r#"<img src="{{ site.baseurl }}/a.png"> {{site.url}} {% post_url 2010-07-21-name %} {% link _posts/2016-07-26-other.md %}"#,
            &vars(),
        );
        assert_eq!(
            out,
            r#"<img src="/blog/a.png"> https://example.org /blog/2010/07/21/name.html /blog/2016/07/26/other.html"#
        );
        assert!(left.is_empty());
    }

    #[test]
    fn url_filters_resolve() {
        let (out, left) = resolve(
            r#"{{ "/a.png" | relative_url }} {{ 'b/c' | absolute_url }}"#,
            &vars(),
        );
        assert_eq!(out, "/blog/a.png https://example.org/blog/b/c");
        assert!(left.is_empty());
    }

    #[test]
    fn raw_blocks_stay_literal() {
        let (out, left) = resolve(
            "{{ site.baseurl }} {% raw %}{{ site.baseurl }}{% endraw %} {{ site.url }}",
            &vars(),
        );
        assert_eq!(
            out,
            "/blog {% raw %}{{ site.baseurl }}{% endraw %} https://example.org"
        );
        assert_eq!(left, ["{% raw %}", "{% endraw %}"]);
    }

    #[test]
    fn what_is_unknown_is_left_and_listed() {
        let (out, left) = resolve(
            "{{ site.nope }} {% post_url 1999-01-01-gone %} {{ page.title | upcase }}",
            &vars(),
        );
        assert_eq!(
            out,
            "{{ site.nope }} {% post_url 1999-01-01-gone %} {{ page.title | upcase }}"
        );
        assert_eq!(left.len(), 3);
    }
}
