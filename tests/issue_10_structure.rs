//! Issue 10, bullet 7: a plan step that decides every post's outcome and
//! writes nothing, an apply step that is the only code touching `--out`,
//! and typed errors that carry the path.

use mdmigrate::batch::discover::{Filter, discover};
use mdmigrate::batch::error::BatchError;
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::batch::{Destination, Mode, Settings, Silent, run};
use mdmigrate::report::Status;
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn settings(mode: Mode) -> Settings {
    Settings {
        post: Default::default(),
        mode,
        allow_lossy: false,
        jobs: 2,
        resume: false,
        config_hash: String::new(),
        images: ImagePlan::Keep,
        keep_records: true,
    }
}

fn archive(src: &Path) {
    std::fs::create_dir_all(src).unwrap();
    std::fs::write(src.join("a.md"), "<p>a <b>b</b></p>\n").unwrap();
    std::fs::write(src.join("b.html"), "<p>c</p>\n").unwrap();
}

#[test]
fn every_mode_but_write_plans_the_same_outcomes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    archive(&src);
    let out = dir.path().join("out");
    let (jobs, _) = discover(
        &src,
        &Filter::new(&["**/*.md".into(), "**/*.html".into()], &[]).unwrap(),
    );
    let stop = AtomicBool::new(false);
    let mut planned = Vec::new();
    for mode in [Mode::Check, Mode::Diff, Mode::CheckDiff] {
        let finished = run(
            &jobs,
            &Destination::mirror(out.clone()),
            &settings(mode),
            &Silent,
            &stop,
        );
        assert!(!out.exists(), "{mode:?} wrote into --out");
        planned.push(
            finished
                .records
                .iter()
                .map(|r| (r.path.clone(), r.status, r.after.clone()))
                .collect::<Vec<_>>(),
        );
    }
    assert!(planned.windows(2).all(|w| w[0] == w[1]));
    assert!(planned[0].iter().all(|(_, s, _)| *s == Status::Converted));
    let written = run(
        &jobs,
        &Destination::mirror(out.clone()),
        &settings(Mode::Write),
        &Silent,
        &stop,
    );
    let outcomes: Vec<_> = written
        .records
        .iter()
        .map(|r| (r.path.clone(), r.status, r.after.clone()))
        .collect();
    assert_eq!(
        outcomes, planned[0],
        "write applies exactly what was planned"
    );
    assert_eq!(std::fs::read_to_string(out.join("b.md")).unwrap(), "c\n");
}

#[test]
fn an_unusable_out_fails_each_post_naming_the_file_and_cause() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    archive(&src);
    // A file where the output folder should be.
    let out = dir.path().join("out");
    std::fs::write(&out, "a file").unwrap();
    let (jobs, _) = discover(&src, &Filter::new(&["**/*.md".into()], &[]).unwrap());
    let stop = AtomicBool::new(false);
    let finished = run(
        &jobs,
        &Destination::mirror(out.clone()),
        &settings(Mode::Write),
        &Silent,
        &stop,
    );
    let error = finished.records[0].error.as_deref().unwrap();
    assert!(error.starts_with("cannot"), "{error}");
    assert!(error.contains(&out.display().to_string()), "{error}");
}

#[test]
fn batch_errors_carry_their_path_and_chain_their_cause() {
    let path = Path::new("/archive/post.md");
    let error = BatchError::Write {
        path: path.to_owned(),
        source: std::io::Error::other("disk full"),
    };
    assert_eq!(error.path(), path);
    assert_eq!(error.to_string(), "cannot write /archive/post.md");
    assert_eq!(error.chain(), "cannot write /archive/post.md: disk full");
    assert!(std::error::Error::source(&error).is_some());
}
