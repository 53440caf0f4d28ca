//! Download mode against a real HTTP server on 127.0.0.1.

mod support;

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mdmigrate::assets::{
    ACCEPT, AddressClass, Backoff, CachePolicy, DownloadConfig, Downloader, ImageError,
    ImageResult, NoProgress, Origin, Progress, ProgressEvent, StoredImage,
};
use support::image_server::{Body, ImageServer, Reply};

fn jpeg(tag: &str) -> Vec<u8> {
    [
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".as_slice(),
        tag.as_bytes(),
        b"\xff\xd9",
    ]
    .concat()
}

fn png(tag: &str) -> Vec<u8> {
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".as_slice(),
        tag.as_bytes(),
    ]
    .concat()
}

fn gif(tag: &str) -> Vec<u8> {
    [b"GIF89a\x01\x00\x01\x00".as_slice(), tag.as_bytes(), b";"].concat()
}

fn webp(tag: &str) -> Vec<u8> {
    [b"RIFF\x20\x00\x00\x00WEBPVP8 ".as_slice(), tag.as_bytes()].concat()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("assets-it-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn config(server: &ImageServer, dir: &Path) -> DownloadConfig {
    let mut cfg = DownloadConfig::new(dir);
    cfg.policy.allow_hosts = vec![("127.0.0.1".into(), Some(server.port()))];
    cfg.connect_timeout = Duration::from_secs(2);
    cfg.response_timeout = Duration::from_secs(3);
    cfg.request_deadline = Duration::from_secs(5);
    cfg.max_retries = 2;
    cfg.backoff = Backoff {
        base: Duration::from_millis(20),
        max: Duration::from_millis(100),
    };
    cfg
}

fn fetch(cfg: DownloadConfig, urls: &[String]) -> Vec<(String, ImageResult)> {
    let dl = Downloader::new(cfg).expect("open store");
    dl.fetch_all(urls, &NoProgress)
}

fn ok(result: &ImageResult) -> &StoredImage {
    match result {
        Ok(img) => img,
        Err(e) => panic!("expected success, got: {e}"),
    }
}

fn err(result: &ImageResult) -> &ImageError {
    match result {
        Ok(img) => panic!("expected failure, got {img:?}"),
        Err(e) => e,
    }
}

/// Every file under `dir` except the manifest, as relative paths.
fn stored_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "manifest.jsonl") {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn manifest_lines(dir: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(dir.join("manifest.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("manifest line is JSON"))
        .collect()
}

#[test]
fn formats_detected_by_magic_bytes_under_extensionless_paths() {
    let server = ImageServer::start(|path, _| match path {
        "/20220321/v2_a_img_000" => Reply::ok(&jpeg("a")),
        "/20220321/v2_b_img_000" => Reply::ok(&png("b")),
        "/20220321/v2_c_img_000" => Reply::ok(&gif("c")),
        "/20220321/v2_d_img_000" => Reply::ok(&webp("d")),
        "/photo.jpg" => Reply::ok(&webp("e")).header("Content-Type", "image/jpeg"),
        _ => Reply::status(404),
    });
    let dir = temp_dir("formats");
    let paths = [
        "/20220321/v2_a_img_000",
        "/20220321/v2_b_img_000",
        "/20220321/v2_c_img_000",
        "/20220321/v2_d_img_000",
        "/photo.jpg",
    ];
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    let results = fetch(config(&server, &dir), &urls);
    let exts: Vec<&str> = results.iter().map(|(_, r)| ok(r).ext.as_str()).collect();
    assert_eq!(exts, ["jpg", "png", "gif", "webp", "webp"]);
    for ((url, r), want) in results.iter().zip(&urls) {
        assert_eq!(url, want, "results keep input order");
        let img = ok(r);
        let name = format!("{}.{}", img.sha256, img.ext);
        assert_eq!(img.path, dir.join(&img.sha256[..2]).join(name));
        assert_eq!(fs::read(&img.path).unwrap().len() as u64, img.size);
        assert_eq!(img.origin, Origin::Fetched(url.clone()));
    }
    assert_eq!(ok(&results[1].1).mime, "image/png");
    assert_eq!(manifest_lines(&dir).len(), 5);
    for req in server.requests() {
        assert!(req.header("User-Agent").unwrap().starts_with("mdmigrate/"));
        assert_eq!(req.header("Accept"), Some(ACCEPT));
        assert_eq!(req.header("Referer"), None);
    }
}

#[test]
fn html_page_and_empty_body_fail_without_files() {
    let server = ImageServer::start(|path, _| match path {
        "/html" => Reply::ok(b"<!DOCTYPE html><html><body>Not found</body></html>")
            .header("Content-Type", "image/png"),
        _ => Reply::ok(b""),
    });
    let dir = temp_dir("html");
    let urls = vec![server.url("/html"), server.url("/empty")];
    let results = fetch(config(&server, &dir), &urls);
    let html = err(&results[0].1);
    assert!(matches!(html, ImageError::NotAnImage(_)), "{html}");
    assert!(html.to_string().contains("HTML"), "{html}");
    assert_eq!(err(&results[1].1), &ImageError::EmptyBody);
    assert_eq!(server.total_requests(), 2, "no retries for bad content");
    assert!(stored_files(&dir).is_empty());
    let lines = manifest_lines(&dir);
    assert!(lines.iter().all(|l| l["status"] == "failed"));
}

#[test]
fn oversized_bodies_fail_with_and_without_content_length() {
    let big = png(&"x".repeat(5000));
    let big2 = big.clone();
    let server = ImageServer::start(move |path, _| match path {
        "/with-length" => Reply::ok(&big2),
        "/no-length" => Reply::status(200).body(Body::NoLength(big2.clone())),
        _ => Reply::status(200).body(Body::NoLength(png("small"))),
    });
    let dir = temp_dir("oversize");
    let mut cfg = config(&server, &dir);
    cfg.max_bytes = 1000;
    let urls = vec![
        server.url("/with-length"),
        server.url("/no-length"),
        server.url("/small-no-length"),
    ];
    let results = fetch(cfg, &urls);
    assert_eq!(err(&results[0].1), &ImageError::TooLarge { limit: 1000 });
    assert_eq!(err(&results[1].1), &ImageError::TooLarge { limit: 1000 });
    let small = ok(&results[2].1);
    assert_eq!(
        stored_files(&dir).len(),
        1,
        "only the small image is stored"
    );
    assert!(small.path.exists());
    assert!(big.len() > 1000);
}

#[test]
fn client_errors_are_not_retried() {
    let server = ImageServer::start(|path, _| match path {
        "/404" => Reply::status(404),
        _ => Reply::status(403),
    });
    let dir = temp_dir("4xx");
    let results = fetch(
        config(&server, &dir),
        &[server.url("/404"), server.url("/403")],
    );
    assert_eq!(err(&results[0].1), &ImageError::Status(404));
    assert_eq!(err(&results[1].1), &ImageError::Status(403));
    assert_eq!(server.hits("/404"), 1);
    assert_eq!(server.hits("/403"), 1);
}

#[test]
fn retry_after_is_honoured_and_5xx_retried() {
    let server = ImageServer::start(|path, nth| match (path, nth) {
        ("/429", 0) => Reply::status(429).header("Retry-After", "1"),
        ("/503", 0) => Reply::status(503),
        (_, _) => Reply::ok(&jpeg(path)),
    });
    let dir = temp_dir("retry");
    let events = RefCell::new(Vec::new());
    struct Rec<'a>(&'a RefCell<Vec<String>>);
    impl Progress for Rec<'_> {
        fn event(&self, e: &ProgressEvent<'_>) {
            if let ProgressEvent::Retrying { delay, .. } = e {
                self.0
                    .borrow_mut()
                    .push(format!("retry {}ms", delay.as_millis()));
            }
        }
    }
    let start = Instant::now();
    let dl = Downloader::new(config(&server, &dir)).unwrap();
    let results = dl.fetch_all(&[server.url("/429"), server.url("/503")], &Rec(&events));
    ok(&results[0].1);
    ok(&results[1].1);
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "waited for Retry-After"
    );
    assert_eq!(server.hits("/429"), 2);
    assert_eq!(server.hits("/503"), 2);
    let mut events = events.into_inner();
    events.sort();
    assert_eq!(events, ["retry 1000ms", "retry 20ms"]);
}

#[test]
fn redirect_chains_are_limited_to_five() {
    let server = ImageServer::start(|path, _| {
        // /chain/N redirects to /chain/N-1; /chain/0 is the image.
        let n: u32 = path.trim_start_matches("/chain/").parse().unwrap_or(0);
        if n == 0 {
            Reply::ok(&gif("end"))
        } else {
            Reply::redirect(&format!("/chain/{}", n - 1))
        }
    });
    let dir = temp_dir("redirects");
    let results = fetch(
        config(&server, &dir),
        &[server.url("/chain/6"), server.url("/chain/2")],
    );
    assert_eq!(err(&results[0].1), &ImageError::TooManyRedirects(5));
    assert_eq!(ok(&results[1].1).ext, "gif");
    assert_eq!(
        server.hits("/chain/0"),
        1,
        "only the 2-hop chain reached the end"
    );
}

#[test]
fn redirect_to_name_pinned_to_metadata_is_refused_before_connecting() {
    let server =
        ImageServer::start(|_, _| Reply::redirect("http://metadata.test/latest/meta-data/"));
    let dir = temp_dir("metadata");
    let mut cfg = config(&server, &dir);
    cfg.policy.resolve = vec![(
        "metadata.test".into(),
        80,
        "169.254.169.254".parse().unwrap(),
    )];
    let start = Instant::now();
    let results = fetch(cfg, &[server.url("/img")]);
    match err(&results[0].1) {
        ImageError::Blocked { host, class, .. } => {
            assert_eq!(host, "metadata.test");
            assert_eq!(*class, AddressClass::Metadata);
        }
        other => panic!("expected Blocked, got {other}"),
    }
    assert_eq!(server.connections(), 1, "only the first hop connected");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "no connect attempt/timeout"
    );
}

#[test]
fn loopback_is_refused_unless_allowed() {
    let server = ImageServer::start(|_, _| Reply::ok(&png("p")));
    let dir = temp_dir("ssrf");
    let mut cfg = config(&server, &dir);
    cfg.policy.allow_hosts.clear();
    let results = fetch(
        cfg,
        &[
            server.url("/img"),
            format!("http://localhost:{}/img", server.port()),
        ],
    );
    for (_, r) in &results {
        assert!(matches!(err(r), ImageError::Blocked { .. }), "{:?}", r);
    }
    assert_eq!(server.connections(), 0);
}

#[test]
fn pinned_name_reaches_the_test_server() {
    let server = ImageServer::start(|_, _| Reply::ok(&png("pinned")));
    let dir = temp_dir("pinned");
    let mut cfg = config(&server, &dir);
    cfg.policy.allow_hosts.clear();
    cfg.policy.resolve = vec![(
        "img.36krcdn.test".into(),
        server.port(),
        "127.0.0.1".parse().unwrap(),
    )];
    let url = format!(
        "http://img.36krcdn.test:{}/20220321/v2_x_img_000",
        server.port()
    );
    let results = fetch(cfg, &[url]);
    ok(&results[0].1);
    let host = server.requests()[0].header("Host").map(str::to_string);
    assert_eq!(host, Some(format!("img.36krcdn.test:{}", server.port())));
}

#[test]
fn slow_drip_hits_the_request_deadline() {
    let server = ImageServer::start(|_, _| {
        Reply::status(200).body(Body::Drip {
            chunk: jpeg("drip"),
            count: 100,
            interval: Duration::from_millis(100),
        })
    });
    let dir = temp_dir("drip");
    let mut cfg = config(&server, &dir);
    cfg.request_deadline = Duration::from_secs(1);
    cfg.max_retries = 0;
    let start = Instant::now();
    let results = fetch(cfg, &[server.url("/drip")]);
    assert!(
        matches!(err(&results[0].1), ImageError::Timeout(_)),
        "{:?}",
        results[0].1
    );
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert!(stored_files(&dir).is_empty(), "no part file left");
}

#[test]
fn same_bytes_under_two_urls_are_stored_once_and_duplicates_fetched_once() {
    let server = ImageServer::start(|_, _| Reply::ok(&png("same")));
    let dir = temp_dir("dedupe");
    let (a, b) = (server.url("/a"), server.url("/b"));
    let results = fetch(config(&server, &dir), &[a.clone(), b.clone(), a.clone()]);
    let names: Vec<&String> = results.iter().map(|(u, _)| u).collect();
    assert_eq!(names, [&a, &b, &a]);
    assert_eq!(ok(&results[0].1).path, ok(&results[1].1).path);
    assert_eq!(ok(&results[0].1), ok(&results[2].1));
    assert_eq!(stored_files(&dir).len(), 1);
    assert_eq!(server.hits("/a"), 1);
}

#[test]
fn mirrors_are_tried_in_order_and_manifest_keeps_original() {
    let server = ImageServer::start(|path, _| {
        if path.starts_with("/good/") {
            Reply::ok(&webp(path))
        } else {
            Reply::status(404)
        }
    });
    let dir = temp_dir("mirror");
    let mut cfg = config(&server, &dir);
    let base = format!("http://127.0.0.1:{}", server.port());
    cfg.mirrors = vec![
        format!("{base}/bad/{{path}}"),
        format!("{base}/good/{{path}}"),
    ];
    let original = server.url("/20220321/v2_m_img_000?x=1");
    let results = fetch(cfg, std::slice::from_ref(&original));
    let img = ok(&results[0].1);
    let mirror = format!("{base}/good/20220321/v2_m_img_000?x=1");
    assert_eq!(img.origin, Origin::Fetched(mirror.clone()));
    assert_eq!(server.hits("/20220321/v2_m_img_000?x=1"), 1);
    assert_eq!(server.hits("/bad/20220321/v2_m_img_000?x=1"), 1);
    let lines = manifest_lines(&dir);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["url"], original.as_str());
    assert_eq!(lines[0]["fetched_from"], mirror.as_str());
    assert_eq!(lines[0]["status"], "ok");
}

#[test]
fn all_sources_failing_lists_each_reason() {
    let server = ImageServer::start(|_, _| Reply::status(404));
    let dir = temp_dir("allfail");
    let mut cfg = config(&server, &dir);
    cfg.mirrors = vec![format!("http://127.0.0.1:{}/m/{{path}}", server.port())];
    let results = fetch(cfg, &[server.url("/x")]);
    let e = err(&results[0].1);
    assert!(matches!(e, ImageError::AllFailed(v) if v.len() == 2), "{e}");
    assert!(e.to_string().contains("/m/x: HTTP status 404"), "{e}");
}

#[test]
fn rerun_offline_and_refresh() {
    let server = ImageServer::start(|path, _| match path {
        "/missing" => Reply::status(404),
        _ => Reply::ok(&jpeg(path)),
    });
    let dir = temp_dir("rerun");
    let urls = vec![
        server.url("/one"),
        server.url("/two"),
        server.url("/missing"),
    ];
    let first = fetch(config(&server, &dir), &urls);
    ok(&first[0].1);
    let before = server.total_requests();

    // Rerun: nothing stored is downloaded again; the failure is retried.
    let second = fetch(config(&server, &dir), &urls);
    assert_eq!(ok(&second[0].1).origin, Origin::Cache);
    assert_eq!(ok(&second[1].1).path, ok(&first[1].1).path);
    assert_eq!(server.total_requests(), before + 1);
    assert_eq!(server.hits("/missing"), 2);

    // Offline: manifest only, no connection at all.
    let conns = server.connections();
    let mut cfg = config(&server, &dir);
    cfg.cache = CachePolicy::Offline;
    let offline_urls = [urls.clone(), vec![server.url("/never-seen")]].concat();
    let third = fetch(cfg, &offline_urls);
    assert_eq!(ok(&third[0].1).origin, Origin::Cache);
    assert_eq!(err(&third[2].1), &ImageError::NotCached);
    assert_eq!(err(&third[3].1), &ImageError::NotCached);
    assert_eq!(server.connections(), conns);

    // A stored file that vanished is fetched again.
    fs::remove_file(&ok(&first[0].1).path).unwrap();
    let fourth = fetch(config(&server, &dir), &urls[..1]);
    assert!(matches!(ok(&fourth[0].1).origin, Origin::Fetched(_)));
    assert_eq!(server.hits("/one"), 2);

    // Refresh fetches everything again.
    let mut cfg = config(&server, &dir);
    cfg.cache = CachePolicy::Refresh;
    fetch(cfg, &urls[..2]);
    assert_eq!(server.hits("/one"), 3);
    assert_eq!(server.hits("/two"), 2);
}

#[test]
fn leftover_parts_and_truncated_manifest_are_tolerated() {
    let server = ImageServer::start(|path, _| Reply::ok(&gif(path)));
    let dir = temp_dir("leftovers");
    let url = server.url("/g");
    fetch(config(&server, &dir), std::slice::from_ref(&url));
    // Simulate a killed run: a half-written part file and a cut-off line.
    fs::write(dir.join("dl-4242-7.part"), b"GIF89a half").unwrap();
    let mut manifest = fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    manifest.push_str("{\"url\":\"http://127.0.0.1/cut\",\"sta");
    fs::write(dir.join("manifest.jsonl"), manifest).unwrap();

    let dl = Downloader::new(config(&server, &dir)).unwrap();
    assert_eq!(dl.manifest_skipped_lines(), 1);
    assert!(!dir.join("dl-4242-7.part").exists());
    let results = dl.fetch_all(&[url, server.url("/h")], &NoProgress);
    assert_eq!(ok(&results[0].1).origin, Origin::Cache);
    ok(&results[1].1);
    assert_eq!(server.hits("/g"), 1);
    assert!(stored_files(&dir).iter().all(|f| !f.ends_with(".part")));
    let text = fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    assert!(text.lines().last().unwrap().contains("/h"));
}

#[test]
fn per_host_concurrency_is_capped_and_progress_reported() {
    let server =
        ImageServer::start(|path, _| Reply::ok(&png(path)).delayed(Duration::from_millis(150)));
    let dir = temp_dir("perhost");
    let mut cfg = config(&server, &dir);
    cfg.per_host = 2;
    cfg.concurrency = 6;
    let urls: Vec<String> = (0..6).map(|i| server.url(&format!("/p{i}"))).collect();
    let finished = RefCell::new(Vec::new());
    struct Rec<'a>(&'a RefCell<Vec<(usize, usize)>>);
    impl Progress for Rec<'_> {
        fn event(&self, e: &ProgressEvent<'_>) {
            if let ProgressEvent::Finished { done, total, .. } = e {
                self.0.borrow_mut().push((*done, *total));
            }
        }
    }
    let dl = Downloader::new(cfg).unwrap();
    let results = dl.fetch_all(&urls, &Rec(&finished));
    assert!(results.iter().all(|(_, r)| r.is_ok()));
    assert!(
        server.peak_in_flight() <= 2,
        "peak {}",
        server.peak_in_flight()
    );
    assert_eq!(
        finished.into_inner(),
        (1..=6).map(|d| (d, 6)).collect::<Vec<_>>()
    );
}

#[test]
fn bad_inputs_fail_cleanly() {
    let server = ImageServer::start(|_, _| Reply::ok(&png("x")));
    let dir = temp_dir("bad");
    let urls = vec![
        "not a url".to_string(),
        "ftp://127.0.0.1/x".to_string(),
        "file:///etc/passwd".to_string(),
        String::new(),
        "http://[::1]:1/x".to_string(),
    ];
    let results = fetch(config(&server, &dir), &urls);
    assert!(matches!(err(&results[0].1), ImageError::InvalidUrl(_)));
    assert!(matches!(
        err(&results[1].1),
        ImageError::UnsupportedScheme(_)
    ));
    assert!(matches!(
        err(&results[2].1),
        ImageError::UnsupportedScheme(_)
    ));
    assert!(matches!(err(&results[3].1), ImageError::InvalidUrl(_)));
    assert!(matches!(err(&results[4].1), ImageError::Blocked { .. }));
    assert_eq!(server.connections(), 0);
}
