//! Issue 6: memory stays flat as the archive grows. Without diffs, reports
//! or `-v`, a batch keeps only each post's status once it is done, and whole
//! records for the posts that failed; the totals still count every post.
//! (Peak RSS itself is measured by `scripts/bench.sh`, not asserted here.)

use mdmigrate::batch::discover::{Filter, discover};
use mdmigrate::batch::images::ImagePlan;
use mdmigrate::batch::{Destination, Mode, Settings, Silent, run};
use mdmigrate::report::Status;
use std::sync::atomic::AtomicBool;

fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        let post = format!("---\ntitle: post {i}\n---\n<p>body <b>{i}</b></p>\n");
        std::fs::write(dir.path().join(format!("p{i}.md")), post).unwrap();
    }
    // Invalid UTF-8: this one fails.
    std::fs::write(
        dir.path().join("bad.md"),
        b"---\ntitle: x\n---\n<p>\xff</p>\n",
    )
    .unwrap();
    dir
}

fn settings(keep_records: bool) -> Settings {
    Settings {
        post: Default::default(),
        mode: Mode::Check,
        allow_lossy: false,
        jobs: 2,
        resume: false,
        config_hash: String::new(),
        images: ImagePlan::Keep,
        keep_records,
    }
}

#[test]
fn finished_posts_leave_only_their_status_unless_asked() {
    let dir = archive();
    let filter = Filter::new(&["**/*.md".into()], &[]).unwrap();
    let (jobs, _) = discover(dir.path(), &filter);
    assert_eq!(jobs.len(), 4);
    let stop = AtomicBool::new(false);

    let slim = run(
        &jobs,
        &Destination::InPlace,
        &settings(false),
        &Silent,
        &stop,
    );
    assert_eq!(slim.statuses.len(), 4);
    assert_eq!(
        slim.statuses
            .iter()
            .filter(|s| **s == Status::Failed)
            .count(),
        1
    );
    assert_eq!(slim.records.len(), 1, "only the failure is kept whole");
    assert_eq!(slim.records[0].path, "bad.md");
    assert!(slim.records[0].error.as_deref().unwrap().contains("UTF-8"));
    assert_eq!(slim.totals.posts, 4);
    assert_eq!(slim.totals.converted, 3);
    assert_eq!(slim.totals.failed, 1);

    let whole = run(
        &jobs,
        &Destination::InPlace,
        &settings(true),
        &Silent,
        &stop,
    );
    assert_eq!(whole.records.len(), 4);
    assert_eq!(whole.statuses, slim.statuses);
    assert_eq!(whole.totals, slim.totals);
    let converted = whole.records.iter().find(|r| r.path == "p1.md").unwrap();
    assert!(converted.after.as_deref().unwrap().contains("**1**"));
}
