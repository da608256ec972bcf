//! The fault drills at a small scale, over the debug binaries and the test collection: every
//! report must show no error. (`cargo xtask bench` runs them at full scale.)

use bench::faults::{self, Drill};
use bench::process::Binaries;
use std::path::{Path, PathBuf};

/// The debug binaries next to this test's executable (`target/debug/deps/..`); `cargo test` at
/// the workspace root builds them, as does `cargo xtask test`.
fn binaries() -> Binaries {
    let exe = std::env::current_exe().unwrap();
    let profile = exe.parent().and_then(Path::parent).unwrap();
    Binaries::in_dir(profile).unwrap()
}

fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content")
}

fn queries() -> Vec<String> {
    ["biblioteca", "library", "coding", "бібліотека"].map(String::from).to_vec()
}

#[test]
fn searches_keep_succeeding_through_twenty_full_rebuilds() {
    let work = tempfile::tempdir().unwrap();
    let (binaries, content, queries) = (binaries(), content(), queries());
    let drill = Drill { binaries: &binaries, content: &content, work: work.path(), queries: &queries };
    let report = faults::rebuilds_under_search(&drill, 20, 4).unwrap();
    println!("{report:?}");
    assert_eq!(report.searches.failures, Vec::<String>::new());
    assert!(report.searches.ok >= 100, "{report:?}");
    assert!(report.clean_exit, "the server did not exit cleanly on SIGTERM");
}

#[test]
fn an_indexer_killed_at_random_moments_leaves_a_whole_index_and_reruns() {
    let work = tempfile::tempdir().unwrap();
    let (binaries, content, queries) = (binaries(), content(), queries());
    let drill = Drill { binaries: &binaries, content: &content, work: work.path(), queries: &queries };
    let report = faults::indexer_kills(&drill, 8, 3).unwrap();
    println!("{report:?}");
    assert_eq!(report.intact_after_kill, report.kills, "{report:?}");
    assert!(report.before_switch + report.after_switch >= 1, "no build was killed: {report:?}");
    assert_eq!(report.cases_after_rerun, report.cases);
    assert_eq!(report.leftovers, Vec::<String>::new());
    assert_eq!(report.searches.failures, Vec::<String>::new());
}

#[test]
fn a_server_killed_during_submissions_loses_no_acknowledged_one() {
    let work = tempfile::tempdir().unwrap();
    let (binaries, content, queries) = (binaries(), content(), queries());
    let drill = Drill { binaries: &binaries, content: &content, work: work.path(), queries: &queries };
    let report = faults::server_kills(&drill, 3, 4, 5).unwrap();
    println!("{report:?}");
    assert!(report.acknowledged >= 10, "{report:?}");
    assert_eq!(report.lost, Vec::<String>::new());
    assert_eq!(report.partial, Vec::<String>::new());
    assert_eq!(report.temporaries_after_restart, 0);
    assert_eq!(report.listed, report.acknowledged);
}

#[test]
fn approved_submissions_become_searchable() {
    let work = tempfile::tempdir().unwrap();
    let (binaries, content, queries) = (binaries(), content(), queries());
    let drill = Drill { binaries: &binaries, content: &content, work: work.path(), queries: &queries };
    let report = faults::approvals(&drill, 3).unwrap();
    println!("{report:?}");
    assert_eq!(report.searchable_ms.len(), 3, "{report:?}");
    assert_eq!(report.cases, 3);
}

#[test]
fn searches_are_answered_while_stalled_connections_of_every_kind_are_held() {
    let work = tempfile::tempdir().unwrap();
    let (binaries, content, queries) = (binaries(), content(), queries());
    let drill = Drill { binaries: &binaries, content: &content, work: work.path(), queries: &queries };
    let report = faults::stalled_connections(&drill, 100, 4, 3.0, None).unwrap();
    println!("{report:?}");
    assert_eq!(report.unloaded.failures, Vec::<String>::new());
    assert_eq!(report.loaded.failures, Vec::<String>::new());
    assert!(report.loaded.times.len() >= 20, "{} searches answered while held", report.loaded.times.len());
    for (kind, held) in faults::Stall::ALL.iter().zip(&report.held) {
        assert_eq!(held.refused, 0, "{kind:?}: {held:?}");
        assert_eq!(held.open_at_end, 100, "{kind:?}: {held:?}");
    }
    assert!(report.threads_during < 64, "{} server threads", report.threads_during);
    assert!(report.healthy_after);
}

#[test]
fn no_approval_is_lost_to_a_build_running_at_the_same_time() {
    let work = tempfile::tempdir().unwrap();
    let (binaries, content, queries) = (binaries(), content(), queries());
    let drill = Drill { binaries: &binaries, content: &content, work: work.path(), queries: &queries };
    let report = faults::approvals_during_builds(&drill, 6, 13).unwrap();
    println!("{report:?}");
    assert_eq!(report.approved, 6);
    assert_eq!(report.lost, Vec::<String>::new());
    assert_eq!(report.checks, 21);
}
