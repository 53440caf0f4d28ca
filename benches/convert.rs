//! Throughput of the converter on real inputs (issue 6, "Prove it").
//!
//! Groups:
//! * `convert_html` — `mdmigrate::convert_html` over every 36kr post body
//!   (the text after the front matter; the whole sample per iteration) and
//!   over every turndown fixture.
//! * `parse_only` — `mdmigrate::html::parse` (html5ever + depth guard) on
//!   the same bodies: the floor the converter cannot beat.
//! * `deep_nesting` — 100 000 nested `<div>`s (the depth guard flattens
//!   everything past `Limits::max_depth`).
//!
//! Throughput is reported in input bytes. Runtime is kept modest
//! (`sample_size` 20, 4 s measurement per bench): `cargo bench --bench
//! convert` takes about a minute after compiling.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use mdmigrate::html::{self, Limits};
use mdmigrate::source::split_post;
use mdmigrate::{Options, convert_html};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// Every file named `name` one level below `fixtures/<group>/`, sorted.
fn fixture_files(group: &str, name: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(group);
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join(name).is_file())
        .collect();
    dirs.sort();
    dirs.iter()
        .map(|d| std::fs::read_to_string(d.join(name)).expect("fixture is UTF-8"))
        .collect()
}

/// The HTML bodies of the 36kr posts (front matter cut off).
fn kr36_bodies() -> Vec<String> {
    let posts = fixture_files("36kr", "input.md");
    assert!(!posts.is_empty(), "no 36kr fixtures");
    posts
        .iter()
        .map(|p| split_post(p).expect("36kr post splits").body.to_owned())
        .collect()
}

fn turndown_bodies() -> Vec<String> {
    fixture_files("turndown", "input.html")
}

fn deep_divs(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 11 + 8);
    for _ in 0..depth {
        s.push_str("<div>");
    }
    s.push_str("deep");
    for _ in 0..depth {
        s.push_str("</div>");
    }
    s
}

fn total_bytes(bodies: &[String]) -> u64 {
    bodies.iter().map(|b| b.len() as u64).sum()
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
}

fn convert_all(bodies: &[String], options: &Options) -> usize {
    let mut out = 0;
    for body in bodies {
        let c = convert_html(black_box(body), options).expect("converts");
        out += c.markdown.len();
    }
    out
}

fn parse_all(bodies: &[String], limits: Limits) -> usize {
    let mut n = 0;
    for body in bodies {
        let parsed = html::parse(black_box(body), limits).expect("parses");
        n += parsed.diagnostics.len() + 1;
    }
    n
}

fn bench_convert(c: &mut Criterion) {
    let options = Options::default();
    let kr36 = kr36_bodies();
    let turndown = turndown_bodies();

    let mut group = c.benchmark_group("convert_html");
    configure(&mut group);
    group.throughput(Throughput::Bytes(total_bytes(&kr36)));
    group.bench_function("36kr", |b| b.iter(|| convert_all(&kr36, &options)));
    group.throughput(Throughput::Bytes(total_bytes(&turndown)));
    group.bench_function("turndown", |b| b.iter(|| convert_all(&turndown, &options)));
    group.finish();

    let mut group = c.benchmark_group("parse_only");
    configure(&mut group);
    group.throughput(Throughput::Bytes(total_bytes(&kr36)));
    group.bench_function("36kr", |b| b.iter(|| parse_all(&kr36, options.limits)));
    group.finish();

    let deep = deep_divs(100_000);
    let mut group = c.benchmark_group("deep_nesting");
    configure(&mut group);
    group.sample_size(10);
    group.throughput(Throughput::Bytes(deep.len() as u64));
    group.bench_function("convert_100k_divs", |b| {
        b.iter(|| {
            convert_html(black_box(&deep), &options)
                .expect("converts")
                .markdown
                .len()
        })
    });
    group.bench_function("parse_100k_divs", |b| {
        b.iter(|| {
            html::parse(black_box(&deep), options.limits)
                .expect("parses")
                .diagnostics
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_convert);
criterion_main!(benches);
