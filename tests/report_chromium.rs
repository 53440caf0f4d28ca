//! Opens a generated report in real headless Chromium and checks that it
//! loads without console messages (script errors, CSP violations), that the
//! totals are shown and that our script ran (it sorts the table and sets
//! `data-ready="1"` on `<body>`), and that hostile content stayed text.
//!
//! Without Chromium the test prints a note and passes, unless `CI` is set:
//! then it fails, because CI must run it (`apt-get install -y chromium`).

mod report_fixture;

use std::env;
use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use mdmigrate::report::page::to_html;

const TIME_LIMIT: Duration = Duration::from_secs(60);

#[test]
fn report_loads_in_chromium_without_console_errors() {
    let Some(chromium) = find_chromium() else {
        assert!(
            env::var_os("CI").is_none(),
            "CI is set but chromium is missing: apt-get install -y chromium"
        );
        eprintln!("skipping report_chromium: chromium is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    fs::write(&report, to_html(&report_fixture::hostile_run())).unwrap();

    let started = Instant::now();
    let (dom, log) = dump_dom(&chromium, dir.path(), &report);
    eprintln!("chromium took {:.1} s", started.elapsed().as_secs_f64());

    let console: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(":CONSOLE") || line.contains("Uncaught"))
        .collect();
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    check_dom(&dom);
}

fn check_dom(dom: &str) {
    assert!(
        dom.contains("<body data-ready=\"1\">"),
        "script did not run:\n{dom}"
    );
    for total in [
        "<dt>Posts</dt><dd>6</dd>",
        "<dt>failed</dt><dd>1</dd>",
        "<dt>converted</dt><dd>2</dd>",
        "<dt>Time</dt><dd>1.23 s</dd>",
    ] {
        assert!(dom.contains(total), "missing {total}");
    }
    // The script sorted the table by status: the failed post comes first.
    let first_row = dom.find("<tr class=\"post-row\"").unwrap();
    assert!(dom[first_row..].starts_with("<tr class=\"post-row\" data-path=\"posts/broken.html\""));
    assert!(dom.contains("data-sort=\"status\" aria-sort=\"ascending\""));
    // The browser parsed hostile content as text: only our own script exists.
    assert_eq!(dom.matches("<script").count(), 1);
    assert!(!dom.contains("<img") && !dom.contains("<iframe"));
}

fn find_chromium() -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    env::split_paths(&path)
        .flat_map(|dir| [dir.join("chromium"), dir.join("chromium-browser")])
        .find(|candidate| candidate.is_file())
}

/// Runs `chromium --dump-dom` on the report; returns the DOM and the log.
fn dump_dom(chromium: &Path, dir: &Path, report: &Path) -> (String, String) {
    let dom_file = dir.join("dom.html");
    let log_file = dir.join("chromium.log");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", report.display()))
        .stdin(Stdio::null())
        .stdout(File::create(&dom_file).unwrap())
        .stderr(File::create(&log_file).unwrap())
        // Its own process group, so a timeout can end chromium's children too.
        .process_group(0)
        .spawn()
        .expect("start chromium");
    let succeeded = wait_or_kill(&mut child);
    let log = fs::read_to_string(&log_file).unwrap();
    assert!(succeeded, "chromium failed:\n{log}");
    (fs::read_to_string(&dom_file).unwrap(), log)
}

fn wait_or_kill(child: &mut Child) -> bool {
    let deadline = Instant::now() + TIME_LIMIT;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        thread::sleep(Duration::from_millis(100));
    }
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.wait();
    panic!("chromium did not finish within {TIME_LIMIT:?}; killed");
}
