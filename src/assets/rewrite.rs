//! Pure URL and path mapping: `rewrite` mode rules, mirror templates, and the
//! reference a post should use for a stored image.
//!
//! Nothing here touches the network or the file system; functions return
//! `None` rather than guess when an input does not fit.

use std::path::{Component, Path, PathBuf};

use url::Url;

/// One `rewrite` rule: `from` is a URL prefix, optionally ending in `{path}`;
/// `to` is the replacement, where `{path}` is the rest of the URL after the
/// prefix and `{url}` the whole original URL. A `to` without placeholders is
/// a prefix the rest is appended to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteRule {
    /// e.g. `https://img.36krcdn.com/{path}`.
    pub from: String,
    /// e.g. `/images/{path}`.
    pub to: String,
}

impl RewriteRule {
    /// Build a rule.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> RewriteRule {
        RewriteRule {
            from: from.into(),
            to: to.into(),
        }
    }

    fn apply(&self, url: &str) -> Option<String> {
        let prefix = self.from.strip_suffix("{path}").unwrap_or(&self.from);
        if prefix.is_empty() {
            return None;
        }
        let rest = url.get(..prefix.len()).and_then(|head| {
            head.eq_ignore_ascii_case(prefix)
                .then(|| url.get(prefix.len()..))
                .flatten()
        })?;
        // A prefix like `https://host` must not match `https://host.evil/`.
        let at_boundary =
            prefix.ends_with('/') || rest.is_empty() || rest.starts_with(['/', '?', '#']);
        if !at_boundary {
            return None;
        }
        Some(fill(&self.to, url, rest))
    }
}

fn fill(template: &str, url: &str, path: &str) -> String {
    if template.contains("{path}") || template.contains("{url}") {
        template.replace("{url}", url).replace("{path}", path)
    } else {
        format!("{template}{path}")
    }
}

/// Map `url` with the first matching rule; `None` when no rule matches.
pub fn rewrite_url(url: &str, rules: &[RewriteRule]) -> Option<String> {
    rules.iter().find_map(|rule| rule.apply(url))
}

/// Expand a mirror template for `original`: `{url}` is the original URL
/// (unescaped), `{path}` its path and query without the leading slash.
pub fn expand_mirror(template: &str, original: &Url) -> String {
    let mut path = original.path().trim_start_matches('/').to_string();
    if let Some(query) = original.query() {
        path.push('?');
        path.push_str(query);
    }
    template
        .replace("{url}", original.as_str())
        .replace("{path}", &path)
}

/// The reference a post should use for `stored` (a path inside `assets_dir`).
///
/// With `assets_url` (e.g. `/images`) the result is root-relative:
/// `/images/ab/abcd….png`. Without it, the result is relative to the
/// directory containing `post_path`, e.g. `../assets/ab/abcd….png`. Paths are
/// compared lexically, so pass both in the same form (both absolute or both
/// relative to the same base). Separators are always `/`.
pub fn reference_for(
    stored: &Path,
    assets_dir: &Path,
    post_path: &Path,
    assets_url: Option<&str>,
) -> String {
    match assets_url {
        Some(prefix) => {
            let inside = stored.strip_prefix(assets_dir).unwrap_or(stored);
            let prefix = prefix.trim_end_matches('/');
            format!("{prefix}/{}", slash_join(&normalize(inside)))
        }
        None => {
            let from = normalize(post_path.parent().unwrap_or(Path::new("")));
            slash_join(&relative(&from, &normalize(stored)))
        }
    }
}

/// Lexically normalized components (drops `.`, resolves `..` where possible).
fn normalize(path: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                if out.last().is_some_and(|c| c != "..") {
                    out.pop();
                } else {
                    out.push("..".into());
                }
            }
            Component::RootDir => out.push(String::new()),
            Component::Prefix(p) => out.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
        }
    }
    out
}

fn relative(from_dir: &[String], to: &[String]) -> Vec<String> {
    let common = from_dir.iter().zip(to).take_while(|(a, b)| a == b).count();
    let ups = from_dir.len() - common;
    std::iter::repeat_n("..".to_string(), ups)
        .chain(to[common..].iter().cloned())
        .collect()
}

fn slash_join(parts: &[String]) -> String {
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// Convenience for callers that hold a `PathBuf` assets dir and want the
/// relative path of a stored file inside it.
pub fn path_in_store(stored: &Path, assets_dir: &Path) -> Option<PathBuf> {
    stored.strip_prefix(assets_dir).ok().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<RewriteRule> {
        vec![
            RewriteRule::new("https://img.36krcdn.com/{path}", "/images/{path}"),
            RewriteRule::new("https://cdn.example", "https://mirror.example/c"),
            RewriteRule::new("https://x.test/", "/x?src={url}"),
        ]
    }

    #[test]
    fn rewrites_by_template_and_prefix() {
        let r = rules();
        assert_eq!(
            rewrite_url("https://img.36krcdn.com/20220321/v2_abc_img_000", &r).as_deref(),
            Some("/images/20220321/v2_abc_img_000")
        );
        assert_eq!(
            rewrite_url("https://cdn.example/a.png", &r).as_deref(),
            Some("https://mirror.example/c/a.png")
        );
        assert_eq!(rewrite_url("https://cdn.example.evil/a.png", &r), None);
        assert_eq!(
            rewrite_url("https://x.test/a", &r).as_deref(),
            Some("/x?src=https://x.test/a")
        );
        assert_eq!(rewrite_url("https://other/a", &r), None);
        assert_eq!(rewrite_url("https://img.36krcdn.co", &r), None);
        assert_eq!(rewrite_url("ünïcode", &r), None);
    }

    #[test]
    fn expands_mirrors() {
        let u = Url::parse("https://img.36krcdn.com/2022/v2_x_img_000?w=1").unwrap();
        assert_eq!(
            expand_mirror("http://127.0.0.1:9/{path}", &u),
            "http://127.0.0.1:9/2022/v2_x_img_000?w=1"
        );
        assert_eq!(
            expand_mirror("https://web.archive.org/web/{url}", &u),
            "https://web.archive.org/web/https://img.36krcdn.com/2022/v2_x_img_000?w=1"
        );
    }

    #[test]
    fn references() {
        let stored = Path::new("/site/assets/ab/abc.png");
        let assets = Path::new("/site/assets");
        assert_eq!(
            reference_for(stored, assets, Path::new("/site/posts/2022/p.md"), None),
            "../../assets/ab/abc.png"
        );
        assert_eq!(
            reference_for(stored, assets, Path::new("/site/p.md"), None),
            "assets/ab/abc.png"
        );
        assert_eq!(
            reference_for(stored, assets, Path::new("/site/p.md"), Some("/images/")),
            "/images/ab/abc.png"
        );
        assert_eq!(
            reference_for(
                Path::new("out/assets/ab/abc.png"),
                Path::new("out/assets"),
                Path::new("out/./posts/p.md"),
                None
            ),
            "../assets/ab/abc.png"
        );
        assert_eq!(
            path_in_store(stored, assets),
            Some(PathBuf::from("ab/abc.png"))
        );
    }
}
