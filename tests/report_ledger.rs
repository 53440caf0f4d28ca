//! The JSON ledger parses back and carries diffs and sizes, not texts.

mod report_fixture;

use mdmigrate::report::ledger::{self, Ledger};
use mdmigrate::report::{Status, diff};
use serde_json::Value;

#[test]
fn ledger_parses_back_with_totals_and_statuses() {
    let run = report_fixture::hostile_run();
    let json = ledger::to_json(&run);
    let ledger: Ledger = serde_json::from_str(&json).unwrap();

    assert_eq!(ledger.format, ledger::FORMAT);
    assert_eq!(ledger.command, "migrate --dry-run");
    assert_eq!(ledger.totals, run.totals);
    assert_eq!(ledger.totals.posts, 6);
    assert_eq!(ledger.totals.converted, 2);
    assert_eq!(ledger.totals.unchanged, 1);
    assert_eq!(ledger.totals.failed, 1);
    assert_eq!(ledger.totals.lossy, 1);
    assert_eq!(ledger.totals.skipped, 1);
    assert_eq!(ledger.totals.images_downloaded, 1);
    assert_eq!(ledger.totals.images_reused, 1);
    assert_eq!(ledger.totals.images_failed, 1);
    assert_eq!(ledger.totals.rules_fired["p"], 6);
    assert_eq!(ledger.totals.seconds, 1.234);

    let statuses: Vec<Status> = ledger.posts.iter().map(|p| p.status).collect();
    let expected: Vec<Status> = run.posts.iter().map(|p| p.status).collect();
    assert_eq!(statuses, expected);
}

#[test]
fn posts_carry_diff_and_sizes_but_not_texts() {
    let run = report_fixture::hostile_run();
    let value: Value = serde_json::from_str(&ledger::to_json(&run)).unwrap();
    let posts = value["posts"].as_array().unwrap();
    for (json, record) in posts.iter().zip(&run.posts) {
        let fields = json.as_object().unwrap();
        assert!(!fields.contains_key("before") && !fields.contains_key("after"));
        assert_eq!(json["before_bytes"], record.before.len());
        assert_eq!(
            json["after_bytes"].as_u64(),
            record.after.as_ref().map(|a| a.len() as u64)
        );
        assert_eq!(json["diff"], record.diff());
        assert_eq!(json["status"], record.status.as_str());
    }
    let first = &run.posts[0];
    let expected = diff::unified(
        &first.path,
        first.output.as_deref().unwrap(),
        &first.before,
        first.after.as_deref().unwrap(),
    );
    assert!(!expected.is_empty());
    assert_eq!(posts[0]["diff"], expected);
    // Unchanged, failed and skipped posts have nothing to diff.
    assert_eq!(posts[2]["diff"], "");
    assert_eq!(posts[3]["diff"], "");
    assert_eq!(posts[3]["after_bytes"], Value::Null);
    assert_eq!(posts[4]["diff"], "");
}

#[test]
fn ledger_is_pretty_stable_json() {
    let run = report_fixture::hostile_run();
    let json = ledger::to_json(&run);
    assert!(json.starts_with("{\n  \"format\": 1,\n"), "{json}");
    assert!(json.ends_with("}\n"));
    assert_eq!(json, ledger::to_json(&run));
}
