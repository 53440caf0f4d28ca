//! Issue 11 (item 3, and the Jekyll Liquid bullet of item 5): old URLs
//! keep working after a migration, checked in sites the real generators
//! build. Each source site is first built with its own generator, so the
//! old paths are the ones the old site really served; then it is migrated,
//! the target site is built (Hugo `aliases`, Jekyll `redirect_from` with
//! jekyll-redirect-from, Hexo `permalink`) and every old path must exist
//! and lead to its post. Jekyll posts' Liquid (`site.baseurl`, `post_url`,
//! `link`) is resolved from the old site's config.

#[path = "support/tools.rs"]
mod tools;

use assert_cmd::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, relative, `/`-separated, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| {
            p.strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn run(command: &mut Command, what: &str) -> String {
    let out = command.output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what} failed:\n{log}");
    log
}

// --- the generators -------------------------------------------------------

/// A minimal Hexo site: its config, a one-template theme, the plugins.
fn hexo_site(root: &Path, config: &str) {
    write(
        &root.join("package.json"),
        r#"{"name": "site", "version": "0.0.0", "private": true, "hexo": {"version": "8.1.2"},
  "dependencies": {"hexo": "8.1.2", "hexo-renderer-marked": "7.0.1", "hexo-renderer-ejs": "2.0.0"}}"#,
    );
    write(
        &root.join("_config.yml"),
        &format!("{config}\ntheme: min\n"),
    );
    write(
        &root.join("themes/min/layout/post.ejs"),
        "<h1><%= page.title %></h1><main><%- page.content %></main>",
    );
    write(&root.join("themes/min/layout/index.ejs"), "index");
    std::os::unix::fs::symlink(
        tools::site_tools().join("node_modules"),
        root.join("node_modules"),
    )
    .unwrap();
}

fn hexo_build(hexo: &Path, root: &Path) {
    let log = run(
        Command::new(hexo).arg("generate").current_dir(root),
        "hexo generate",
    );
    assert!(!log.contains("ERROR"), "hexo reported errors:\n{log}");
}

/// Like [`hexo_build`], but a post Hexo cannot process (a `%` in its file
/// name: "URI malformed") only loses its own page.
fn hexo_build_lenient(hexo: &Path, root: &Path) {
    run(
        Command::new(hexo).arg("generate").current_dir(root),
        "hexo generate",
    );
}

/// A minimal Jekyll site with jekyll-redirect-from.
fn jekyll_site(root: &Path, config: &str) {
    write(
        &root.join("_config.yml"),
        &format!(
            "{config}\nplugins: [jekyll-redirect-from]\ndefaults:\n  - scope: {{path: \"\"}}\n    values: {{layout: post}}\n"
        ),
    );
    write(
        &root.join("_layouts/post.html"),
        "<main>{{ content }}</main>",
    );
}

fn jekyll_build(jekyll: &Path, root: &Path) {
    run(
        Command::new(jekyll)
            .args(["build", "--quiet", "--source"])
            .arg(root)
            .arg("--destination")
            .arg(root.join("_site")),
        "jekyll build",
    );
}

/// A minimal Hugo site at `root` whose posts live in `content/posts`.
fn hugo_site(root: &Path) {
    write(
        &root.join("hugo.toml"),
        "baseURL = \"https://new.example.org/\"\ntitle = \"new\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n",
    );
    write(
        &root.join("layouts/_default/single.html"),
        "<h1>{{ .Title }}</h1><main>{{ .Content }}</main>",
    );
    write(&root.join("layouts/_default/list.html"), "");
    write(&root.join("layouts/index.html"), "");
}

fn migrate(src: &Path, out: &Path, site_root: &Path, target: &str) -> String {
    run(
        Command::cargo_bin("mdmigrate")
            .unwrap()
            .arg("migrate")
            .arg(src)
            .arg("--out")
            .arg(out)
            .arg("--site-root")
            .arg(site_root)
            .args(["--target", target, "-v"]),
        "mdmigrate migrate",
    )
}

// --- reading the built sites ------------------------------------------------

/// The pages a built site serves for its posts, as URL paths: `a/b/index.html`
/// → `/a/b/`, `a/b.html` → `/a/b.html` (the site's index and data left out).
fn page_paths(public: &Path) -> Vec<String> {
    files(public)
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "index.html")
        .map(|f| match f.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => format!("/{f}"),
        })
        .collect()
}

/// The file a built site serves for a URL path.
fn served(public: &Path, path: &str) -> PathBuf {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        public.join(rel).join("index.html")
    } else {
        public.join(rel)
    }
}

/// Where a redirect page sends the reader (Hugo's and jekyll-redirect-from's
/// `<meta http-equiv="refresh" content="0; url=...">`), as a path.
fn refresh_target(page: &str) -> Option<String> {
    let at = page.find("http-equiv=\"refresh\"")?;
    let rest = &page[at..];
    let url = rest.split("url=").nth(1)?.split('"').next()?;
    let path = url
        .strip_prefix("https://new.example.org")
        .or_else(|| url.strip_prefix("http://localhost:4000"))
        .unwrap_or(url);
    Some(percent_decode(
        &path.replace("&#43;", "+").replace("&amp;", "&"),
    ))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Text as the page means it (the few entities the generators write).
fn unescape(html: &str) -> String {
    [
        ("&#43;", "+"),
        ("&#39;", "'"),
        ("&#34;", "\""),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(html.to_owned(), |text, (entity, c)| text.replace(entity, c))
}

/// The text of a page's `<h1>` (the post's title).
fn heading(page: &str) -> String {
    let start = page.find("<h1>").map_or(0, |i| i + 4);
    let end = page[start..]
        .find("</h1>")
        .map_or(page.len(), |i| start + i);
    unescape(&page[start..end])
}

/// The old path leads to a page holding `marker`: the page itself, or a
/// redirect to it.
fn assert_leads_to(public: &Path, old: &str, marker: &str) {
    let file = served(public, old);
    let page = read(&file);
    let page = match refresh_target(&page) {
        Some(target) => {
            let target_file = served(public, &target);
            assert!(
                target_file.is_file(),
                "{old} redirects to {target}, which the site does not serve"
            );
            read(&target_file)
        }
        None => page,
    };
    let text = unescape(&page);
    assert!(
        text.contains(marker),
        "{old} does not lead to «{marker}»:\n{text}"
    );
}

// --- the tests --------------------------------------------------------------

const HEXO_CONFIG: &str = "title: Old blog\nurl: https://old.example.org/blog\nroot: /blog/\npermalink: :year/:month/:day/:title/\nnew_post_name: :year-:month-:day-:title.md";

/// The old Hexo posts (dated file names, as `new_post_name` writes them
/// and as Jekyll needs them).
fn hexo_posts(site: &Path) {
    let posts = site.join("source/_posts");
    write(
        &posts.join("2020-01-02-hello-world.md"),
        "---\ntitle: Hello World\ndate: 2020-01-02 10:00:00\ncategories: [Web Dev]\n---\n<p>Marker one: hello from the old blog.</p>\n",
    );
    write(
        &posts.join("notes/2021-03-04-second.md"),
        "---\ntitle: Second\ndate: 2021-03-04 05:06:07\n---\n<p>Marker two: a post in a folder.</p>\n",
    );
    write(
        &posts.join("2019-07-08-undated.md"),
        "---\ntitle: Undated\n---\n<p>Marker four: dated by its file name.</p>\n",
    );
    write(
        &posts.join("2021-05-06-own.md"),
        "---\ntitle: Own\ndate: 2021-05-06 07:08:09\npermalink: about/own-page/\n---\n<p>Marker three: its own permalink.</p>\n",
    );
}

const MARKERS: [(&str, &str); 4] = [
    ("hello-world", "Marker one"),
    ("second", "Marker two"),
    ("own", "Marker three"),
    ("undated", "Marker four"),
];

fn marker_for(path: &str) -> &'static str {
    MARKERS
        .iter()
        .find(|(name, _)| path.contains(name))
        .map(|(_, m)| *m)
        .unwrap_or_else(|| panic!("no post for {path}"))
}

/// The paths the old Hexo site served, with its root.
fn old_hexo_paths(hexo: &Path, site: &Path) -> Vec<String> {
    hexo_build(hexo, site);
    let paths: Vec<String> = page_paths(&site.join("public"))
        .into_iter()
        .map(|p| format!("/blog{p}"))
        .collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    paths
}

#[test]
fn a_hexo_blog_moved_to_hugo_keeps_its_urls_as_aliases() {
    let (Some(hexo), Some(hugo)) = (
        tools::require_hexo(),
        tools::require("hugo", "apt-get install hugo"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    hexo_site(&old, HEXO_CONFIG);
    hexo_posts(&old);
    let old_paths = old_hexo_paths(&hexo, &old);
    // `new_post_name` takes the date off the file name; a folder defeats it.
    assert!(old_paths.contains(&"/blog/2020/01/02/hello-world/".to_owned()));
    assert!(old_paths.contains(&"/blog/2019/07/08/undated/".to_owned()));
    assert!(old_paths.contains(&"/blog/2021/03/04/notes-2021-03-04-second/".to_owned()));

    let new = dir.path().join("new");
    hugo_site(&new);
    let log = migrate(
        &old.join("source/_posts"),
        &new.join("content/posts"),
        &new,
        "hugo",
    );
    assert!(log.contains("Hexo site at"), "{log}");
    tools::hugo_build(&hugo, &new);
    for path in &old_paths {
        assert_leads_to(&new.join("public"), path, marker_for(path));
    }
}

#[test]
fn a_hexo_blog_moved_to_jekyll_keeps_its_urls_as_redirects() {
    let (Some(hexo), Some(jekyll)) = (
        tools::require_hexo(),
        tools::require("jekyll", "apt-get install jekyll ruby-jekyll-redirect-from"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    hexo_site(&old, HEXO_CONFIG);
    hexo_posts(&old);
    let old_paths = old_hexo_paths(&hexo, &old);

    let new = dir.path().join("new");
    jekyll_site(&new, "title: new\nurl: https://new.example.org");
    migrate(
        &old.join("source/_posts"),
        &new.join("_posts"),
        &new,
        "jekyll",
    );
    jekyll_build(&jekyll, &new);
    for path in &old_paths {
        // A post with its own permalink is served there by Jekyll itself.
        assert_leads_to(&new.join("_site"), path, marker_for(path));
    }
}

const JEKYLL_CONFIG: &str =
    "title: Old J\nbaseurl: /jblog\nurl: https://old.example.org\npermalink: date";

/// The old Jekyll posts: a category folder, front matter categories with a
/// space, and Liquid that refers to the site and to other posts.
fn jekyll_posts(site: &Path) {
    write(
        &site.join("_posts/2010-07-21-my-post.md"),
        "---\ntitle: My Post\ncategories: [Ruby Stuff]\nredirect_from: [/x/y/]\n---\nMarker one: ![a]({{ site.baseurl }}/assets/a.png) and [next]({% post_url 2011-01-01-other %}) and [again]({% link Web/_posts/2011-01-01-other.md %}) and [about]({% link about.md %}). Left: {{ page.title }}.\n",
    );
    write(
        &site.join("Web/_posts/2011-01-01-other.md"),
        "---\ntitle: Other\ndate: 2011-01-01 12:00:00 +0000\n---\n<p>Marker two: <img src=\"{{ site.baseurl }}/assets/b.png\"> at {{ site.url }}</p>\n",
    );
    write(
        &site.join("_posts/2012-02-03-Big Idea.md"),
        "---\ntitle: Big\n---\nMarker three: a file name with a space and capitals.\n",
    );
    write(
        &site.join("about.md"),
        "---\ntitle: About\n---\nAbout page.\n",
    );
    write(&site.join("assets/a.png"), "not really a png");
}

/// The paths the old Jekyll site served, with its base URL: the posts'
/// own, then its redirects (a post's `redirect_from`).
fn old_jekyll_paths(jekyll: &Path, site: &Path) -> (Vec<String>, Vec<String>) {
    jekyll_build(jekyll, site);
    let public = site.join("_site");
    // The about page is not migrated here (only the `_posts` folders are).
    let (redirects, posts): (Vec<String>, Vec<String>) = page_paths(&public)
        .into_iter()
        .filter(|p| p != "/about.html")
        .partition(|p| refresh_target(&read(&served(&public, p))).is_some());
    let with_base = |paths: Vec<String>| -> Vec<String> {
        paths.into_iter().map(|p| format!("/jblog{p}")).collect()
    };
    let (posts, redirects) = (with_base(posts), with_base(redirects));
    assert_eq!(
        posts,
        [
            "/jblog/2012/02/03/Big-Idea.html",
            "/jblog/ruby stuff/2010/07/21/my-post.html",
            "/jblog/web/2011/01/01/other.html"
        ]
    );
    assert_eq!(redirects, ["/jblog/x/y/"]);
    (posts, redirects)
}

/// My Post (at its own path and at its `redirect_from`), or Other.
fn jekyll_marker(path: &str) -> &'static str {
    if path.contains("other") {
        "Marker two"
    } else if path.contains("Big") {
        "Marker three"
    } else {
        "Marker one"
    }
}

#[test]
fn a_jekyll_blog_moved_to_hugo_keeps_its_urls_and_resolves_its_liquid() {
    let (Some(jekyll), Some(hugo)) = (
        tools::require("jekyll", "apt-get install jekyll ruby-jekyll-redirect-from"),
        tools::require("hugo", "apt-get install hugo"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    jekyll_site(&old, JEKYLL_CONFIG);
    jekyll_posts(&old);
    let (posts, redirects) = old_jekyll_paths(&jekyll, &old);
    let old_paths = [posts, redirects].concat();

    let new = dir.path().join("new");
    hugo_site(&new);
    // Each `_posts` folder is a source; the folder above one is a category.
    let log = migrate(
        &old.join("_posts"),
        &new.join("content/posts"),
        &new,
        "hugo",
    );
    assert!(log.contains("Jekyll site at"), "{log}");
    assert!(
        log.contains("liquid-left"),
        "{{{{ page.title }}}} is reported:\n{log}"
    );
    let web = new.join("content/posts/web");
    migrate(&old.join("Web/_posts"), &web, &new, "hugo");
    let post = read(&new.join("content/posts/2010-07-21-my-post.md"));
    assert!(post.contains("![a](/jblog/assets/a.png)"), "{post}");
    assert!(
        post.contains("[next](/jblog/web/2011/01/01/other.html)"),
        "{post}"
    );
    assert!(
        post.contains("[again](/jblog/web/2011/01/01/other.html)"),
        "{post}"
    );
    assert!(post.contains("[about](/jblog/about.html)"), "{post}");
    let other = read(&web.join("2011-01-01-other.md"));
    assert!(
        // `https\://`: Hugo's linkify would otherwise make the text a link.
        other.contains("![](/jblog/assets/b.png) at https\\://old.example.org"),
        "{other}"
    );

    tools::hugo_build(&hugo, &new);
    for path in &old_paths {
        assert_leads_to(&new.join("public"), path, jekyll_marker(path));
    }
}

#[test]
fn a_jekyll_blog_moved_to_hexo_serves_each_post_at_its_old_url() {
    let (Some(jekyll), Some(hexo)) = (
        tools::require("jekyll", "apt-get install jekyll ruby-jekyll-redirect-from"),
        tools::require_hexo(),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    jekyll_site(&old, JEKYLL_CONFIG);
    jekyll_posts(&old);
    // Hexo serves a post at its permalink only: its old redirects are lost.
    let (old_paths, _) = old_jekyll_paths(&jekyll, &old);

    let new = dir.path().join("new");
    hexo_site(&new, "title: new\nurl: https://new.example.org\nroot: /");
    migrate(
        &old.join("_posts"),
        &new.join("source/_posts"),
        &new,
        "hexo",
    );
    let web = new.join("source/_posts/web");
    migrate(&old.join("Web/_posts"), &web, &new, "hexo");
    hexo_build(&hexo, &new);
    for path in &old_paths {
        let page = read(&served(&new.join("public"), path));
        assert!(refresh_target(&page).is_none(), "{path} is the post itself");
        assert!(page.contains(jekyll_marker(path)), "{path}:\n{page}");
    }
}

#[test]
fn a_pattern_given_on_the_command_line_names_the_old_urls() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("posts");
    write(
        &src.join("2019-02-03-plain.md"),
        "---\ntitle: Plain\ndate: 2019-02-03 04:05:06\n---\n<p>Body.</p>\n",
    );
    let out = dir.path().join("out");
    run(
        Command::cargo_bin("mdmigrate")
            .unwrap()
            .arg("migrate")
            .arg(&src)
            .arg("--out")
            .arg(&out)
            .args([
                "--target",
                "zola",
                "--old-permalink",
                "/archives/:year/:i_month/:slug.html",
            ]),
        "mdmigrate migrate",
    );
    let post = read(&out.join("2019-02-03-plain.md"));
    assert!(
        post.contains("aliases = [\"/archives/2019/2/plain.html\"]"),
        "{post}"
    );
    let jekyll = dir.path().join("jekyll");
    let log = run(
        Command::cargo_bin("mdmigrate")
            .unwrap()
            .arg("migrate")
            .arg(&src)
            .arg("--out")
            .arg(&jekyll)
            .args(["--target", "jekyll", "--old-permalink", "/:year/:slug/"]),
        "mdmigrate migrate",
    );
    assert!(log.contains("add jekyll-redirect-from"), "{log}");
    let post = read(&jekyll.join("2019-02-03-plain.md"));
    assert!(
        post.contains("redirect_from:\n  - /2019/plain/\n"),
        "{post}"
    );
    let bad = Command::cargo_bin("mdmigrate")
        .unwrap()
        .arg("migrate")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .args(["--target", "hugo", "--old-permalink", ":year/:nope/"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains(":nope"));
}

/// The real 36kr corpus (posts of a Hexo site fed by RSSHub: CJK titles,
/// spaces, `+` and folders in their paths) laid out as that Hexo site:
/// every page the real Hexo build serves is still served by Hugo.
#[test]
fn the_corpus_as_a_hexo_site_keeps_every_url_in_hugo() {
    let (Some(hexo), Some(hugo)) = (
        tools::require_hexo(),
        tools::require("hugo", "apt-get install hugo"),
    ) else {
        return;
    };
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/36kr-sample");
    if !corpus.is_dir() {
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    hexo_site(
        &old,
        "title: t\nurl: https://old.example.org\npermalink: :year/:month/:day/:title/",
    );
    for rel in files(&corpus) {
        let to = old.join("source/_posts").join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join(&rel), &to).unwrap();
    }
    hexo_build_lenient(&hexo, &old);
    let old_paths = page_paths(&old.join("public"));
    assert!(old_paths.len() >= 30, "{old_paths:?}");

    let new = dir.path().join("new");
    hugo_site(&new);
    migrate(
        &old.join("source/_posts"),
        &new.join("content/posts"),
        &new,
        "hugo",
    );
    tools::hugo_build(&hugo, &new);
    for path in &old_paths {
        let title = heading(&read(&served(&old.join("public"), path)));
        assert!(title.chars().count() > 3, "{path}: no title");
        assert_leads_to(&new.join("public"), path, &format!("<h1>{title}</h1>"));
    }
}
