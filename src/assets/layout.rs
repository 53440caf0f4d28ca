//! Where a post's downloaded images go: the one shared store, or a folder
//! per post beside it (a Hugo or Zola page bundle, a Hexo post asset
//! folder, or a plain folder named after the post).
//!
//! Pure path and name arithmetic: which file a post is written to, which
//! folder holds its images, what each image file is called there and how
//! the post refers to it. Nothing here touches the file system; the store
//! stays the cache, so a per-post file is a copy of a stored one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How downloaded images are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Every image once in the store; posts point into it (default).
    #[default]
    Shared,
    /// Hugo leaf bundle / Zola colocated assets: `foo.md` is written as
    /// `foo/index.md`, its images beside it, referenced by bare name.
    PageBundle,
    /// Hexo `post_asset_folder`: `foo.md` stays, its images go into `foo/`,
    /// referenced by bare name (relative to the asset folder, as Hexo's
    /// `asset_img` tag and marked's `postAsset` option resolve them).
    AssetFolder,
    /// `foo.md` stays, its images go into `foo/`, referenced relative to
    /// the post file (`foo/name.jpg`), as any Markdown viewer resolves them.
    PostFolder,
}

impl FromStr for Layout {
    type Err = String;

    fn from_str(s: &str) -> Result<Layout, String> {
        match s {
            "shared" => Ok(Layout::Shared),
            "page-bundle" => Ok(Layout::PageBundle),
            "asset-folder" => Ok(Layout::AssetFolder),
            "post-folder" => Ok(Layout::PostFolder),
            other => Err(format!(
                "unknown image layout `{other}` (expected shared, page-bundle, asset-folder or post-folder)"
            )),
        }
    }
}

impl Layout {
    /// Whether images are copied into a folder per post.
    pub fn is_per_post(self) -> bool {
        self != Layout::Shared
    }

    /// The output path (relative, `/`-separated) of a post whose plain
    /// output would be `rel`: a page bundle moves `a/foo.md` to
    /// `a/foo/index.md` (any extension: `foo.markdown` to
    /// `foo/index.markdown`); an `index` or `_index` is a bundle already.
    pub fn post_rel(self, rel: &str) -> String {
        if self != Layout::PageBundle {
            return rel.to_owned();
        }
        let (dir, file) = rel.rsplit_once('/').map_or(("", rel), |(d, f)| (d, f));
        let Some((name, ext)) = file.rsplit_once('.') else {
            return rel.to_owned();
        };
        if name.is_empty() || is_bundle_index(file) {
            return rel.to_owned();
        }
        let stem = &rel[..dir.len() + usize::from(!dir.is_empty()) + name.len()];
        format!("{stem}/index.{ext}")
    }

    /// The folder holding the images of the post written at `post`.
    /// (With `asset-folder` and `post-folder`, `foo.md` and `foo.markdown`
    /// would share one: the batch refuses the second.)
    pub fn folder(self, post: &Path) -> Option<PathBuf> {
        match self {
            Layout::Shared => None,
            Layout::PageBundle => Some(post.parent().unwrap_or(Path::new("")).to_path_buf()),
            Layout::AssetFolder | Layout::PostFolder => Some(post.with_extension("")),
        }
    }

    /// How the post written at `post` refers to `name` in its folder.
    pub fn reference(self, post: &Path, name: &str) -> String {
        match self {
            Layout::PostFolder => {
                let stem = post
                    .with_extension("")
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!("{}/{name}", encode_segment(&stem))
            }
            _ => name.to_owned(),
        }
    }
}

/// Escapes what would end or change a relative URL's path: `%`, `#`, `?`,
/// white space and controls. Other characters (CJK included) stay readable;
/// the Markdown writer brackets what it must.
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for c in segment.chars() {
        if matches!(c, '%' | '#' | '?') || c.is_whitespace() || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One image a post shows, as stored.
#[derive(Debug, Clone, Copy)]
pub struct BundleImage<'a> {
    /// The original URL.
    pub url: &'a str,
    /// Hex SHA-256 of the stored bytes.
    pub sha256: &'a str,
    /// Extension from the bytes.
    pub ext: &'a str,
}

/// File names for a post's images in its folder, by URL: readable (from the
/// URL's last segment), lower case (safe on case-insensitive disks), unique
/// within the post, and the same bytes under two URLs share one file. A
/// name `occupied` says is held by other bytes (a copy an earlier run made
/// for another image, or one the user edited) is never reused, so no file
/// is overwritten with other content. Otherwise the result depends only on
/// the images and their order, so reruns agree.
pub fn bundle_names(
    images: &[BundleImage<'_>],
    occupied: &dyn Fn(&str, &BundleImage<'_>) -> bool,
) -> HashMap<String, String> {
    let mut by_sha: HashMap<&str, String> = HashMap::new();
    let mut taken: HashMap<String, &str> = HashMap::new();
    let mut out = HashMap::new();
    for image in images {
        if out.contains_key(image.url) {
            continue;
        }
        let name = match by_sha.get(image.sha256) {
            Some(name) => name.clone(),
            None => {
                let name = free_name(image, &taken, occupied);
                taken.insert(name.clone(), image.sha256);
                by_sha.insert(image.sha256, name.clone());
                name
            }
        };
        out.insert(image.url.to_owned(), name);
    }
    out
}

fn free_name(
    image: &BundleImage<'_>,
    taken: &HashMap<String, &str>,
    occupied: &dyn Fn(&str, &BundleImage<'_>) -> bool,
) -> String {
    let base = readable_base(image.url);
    let sha = image.sha256;
    [
        format!("{base}.{}", image.ext),
        format!("{base}-{}.{}", sha.get(..8).unwrap_or(sha), image.ext),
        format!("{sha}.{}", image.ext),
    ]
    .into_iter()
    .find(|n| !taken.contains_key(n) && !occupied(n, image))
    .unwrap_or_else(|| format!("{sha}.{}", image.ext))
}

/// `https://cdn/a/Photo%201.JPG?w=2` → `photo-1`: the last path segment
/// without its extension, lower-cased, runs of anything but `[a-z0-9_-]`
/// turned into one `-`, at most 48 bytes; `image` when nothing is left.
fn readable_base(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let after_scheme = path.split_once("://").map_or(path, |(_, rest)| rest);
    let segment = after_scheme
        .split_once('/')
        .map_or("", |(_, p)| p)
        .rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let segment = segment.replace("%20", " ");
    let stem = match segment.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => stem,
        _ => segment.as_str(),
    };
    let mut base = String::new();
    for c in stem.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            base.push(c);
        } else if !base.ends_with('-') {
            base.push('-');
        }
        if base.len() >= 48 {
            break;
        }
    }
    let base = base.trim_matches('-');
    if base.is_empty() {
        "image".into()
    } else if is_reserved_on_windows(base) {
        // `con.png` cannot be created on Windows, whatever the extension.
        format!("{base}_")
    } else {
        base.to_owned()
    }
}

/// Device names Windows reserves in every folder (`con`, `nul`, `com1`...).
fn is_reserved_on_windows(base: &str) -> bool {
    matches!(base, "con" | "prn" | "aux" | "nul")
        || ((base.starts_with("com") || base.starts_with("lpt"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

/// `index.*` (a Hugo leaf bundle) or `_index.*` (a branch bundle).
fn is_bundle_index(file: &str) -> bool {
    let name = file.rsplit_once('.').map_or(file, |(n, _)| n);
    name.eq_ignore_ascii_case("index") || name.eq_ignore_ascii_case("_index")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_bundles_move_posts_into_their_folder() {
        let l = Layout::PageBundle;
        assert_eq!(l.post_rel("a/foo.md"), "a/foo/index.md");
        assert_eq!(l.post_rel("foo.md"), "foo/index.md");
        assert_eq!(l.post_rel("a/index.md"), "a/index.md");
        assert_eq!(l.post_rel("a/_index.md"), "a/_index.md");
        assert_eq!(l.post_rel("a/foo.markdown"), "a/foo/index.markdown");
        assert_eq!(l.post_rel("a/Index.MD"), "a/Index.MD");
        assert_eq!(l.post_rel("a/README"), "a/README");
        assert_eq!(Layout::AssetFolder.post_rel("a/foo.md"), "a/foo.md");
        assert_eq!(
            l.folder(Path::new("out/a/foo/index.md")),
            Some(PathBuf::from("out/a/foo"))
        );
        assert_eq!(
            l.reference(Path::new("out/a/foo/index.md"), "x.jpg"),
            "x.jpg"
        );
    }

    #[test]
    fn asset_and_post_folders_sit_beside_the_post() {
        let post = Path::new("out/2022/资讯 #1 50%.md");
        for l in [Layout::AssetFolder, Layout::PostFolder] {
            assert_eq!(l.folder(post), Some(PathBuf::from("out/2022/资讯 #1 50%")));
        }
        assert_eq!(Layout::AssetFolder.reference(post, "x.jpg"), "x.jpg");
        assert_eq!(
            Layout::PostFolder.reference(post, "x.jpg"),
            "资讯%20%231%2050%25/x.jpg"
        );
        assert_eq!(Layout::Shared.folder(post), None);
    }

    #[test]
    fn names_are_readable_unique_and_shared_by_equal_bytes() {
        let img = |url, sha, ext| BundleImage {
            url,
            sha256: sha,
            ext,
        };
        let names = bundle_names(
            &[
                img(
                    "https://img.36krcdn.com/20220321/v2_AB_img_000",
                    "11aa",
                    "jpg",
                ),
                img("https://other.cdn/x/v2_ab_img_000.jpeg?w=1", "22bb", "jpg"),
                img("https://mirror/same-bytes", "11aa", "jpg"),
                img("https://cdn/", "33cc", "png"),
                img("https://cdn/a/Photo%201.PNG#x", "44dd", "png"),
                img("https://cdn/.hidden", "55ee", "gif"),
            ],
            &|_, _| false,
        );
        let get = |u: &str| names[u].as_str();
        assert_eq!(
            get("https://img.36krcdn.com/20220321/v2_AB_img_000"),
            "v2_ab_img_000.jpg"
        );
        assert_eq!(
            get("https://other.cdn/x/v2_ab_img_000.jpeg?w=1"),
            "v2_ab_img_000-22bb.jpg"
        );
        assert_eq!(get("https://mirror/same-bytes"), "v2_ab_img_000.jpg");
        assert_eq!(get("https://cdn/"), "image.png");
        assert_eq!(get("https://cdn/a/Photo%201.PNG#x"), "photo-1.png");
        assert_eq!(get("https://cdn/.hidden"), "hidden.gif");
    }

    #[test]
    fn names_windows_reserves_get_a_suffix() {
        assert_eq!(readable_base("https://x/con.png"), "con_");
        assert_eq!(readable_base("https://x/a/NUL"), "nul_");
        assert_eq!(readable_base("https://x/com1.jpg"), "com1_");
        assert_eq!(readable_base("https://x/com.jpg"), "com");
        assert_eq!(readable_base("https://x/console.jpg"), "console");
    }
}
