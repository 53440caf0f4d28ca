//! Issue 4: Ctrl-C stops dispatching, lets files in flight finish, leaves
//! no partial file under a final name nor a temporary file, and exits 130.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn sigint_stops_cleanly_with_exit_130() {
    let src = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/36kr");
    let posts: Vec<_> = std::fs::read_dir(&sample)
        .unwrap()
        .flatten()
        .map(|e| e.path().join("input.md"))
        .filter(|p| p.exists())
        .collect();
    for i in 0..3000 {
        let post = &posts[i % posts.len()];
        std::fs::copy(post, src.path().join(format!("{i:05}.md"))).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let child = Command::new(assert_cmd::cargo::cargo_bin("mdmigrate"))
        .arg("migrate")
        .arg(src.path())
        .arg("--out")
        .arg(out.path())
        .args(["--jobs", "1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let killed = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("skipped"), "{stderr}");

    let mut written = 0;
    for entry in std::fs::read_dir(out.path()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with(".mdmigrate-") || name.ends_with(".jsonl"),
            "left behind: {name}"
        );
        if name.ends_with(".md") {
            written += 1;
            let input = std::fs::read_to_string(src.path().join(&name)).unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                text.ends_with('\n') && text.len() > 50 && !input.is_empty(),
                "{name} is partial"
            );
        }
    }
    assert!(written < 3000, "the run was not interrupted");
}
