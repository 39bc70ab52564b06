//! The training run's one callback (progress and cancellation) and its two ways of running the
//! fits (every core, one thread), on data the tests make themselves.

mod common;

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use trainer::par::Threads;
use trainer::progress::{Cancelled, SearchEvent};
use trainer::train::{self, Config};

/// knn's second point does not suit 60 rows (skipped before any fit); gradient boosting's two
/// points share one fit per fold.
const GRID: &str = "[ridge]\nalpha = [0.1, 1.0]\n\n[knn]\nk = [3, 1000]\n\n\
                    [gradient_boosting]\nn_estimators = [4, 8]\nlearning_rate = [0.1]\n";

fn config(dir: &std::path::Path) -> Config {
    let data = dir.join("stud.csv");
    std::fs::write(&data, common::synthetic_csv(60, 3)).unwrap();
    let mut c = common::config(data, dir.join("out"));
    c.grids = trainer::families::parse_grids(GRID).unwrap();
    c.fairness = true;
    c.folds = 3;
    c
}

fn run(c: &Config, progress: &dyn trainer::progress::Progress) -> anyhow::Result<train::Outcome> {
    let rows = common::rows(&std::fs::read_to_string(&c.data).unwrap());
    train::train(c, &common::students(), &rows, String::new(), progress)
}

/// (target, variant, family, point, fold, skipped) of an event.
type Seen = (String, String, String, usize, usize, bool);

fn seen(e: &SearchEvent<'_>) -> Seen {
    (
        e.target.into(),
        e.variant.into(),
        e.family.into(),
        e.point,
        e.fold,
        e.skipped,
    )
}

#[test]
fn one_thread_and_every_core_give_byte_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path());
    c.grids = common::small_grids();
    c.threads = Threads::All;
    let all = run(&c, &()).unwrap();
    c.threads = Threads::One;
    let one = run(&c, &()).unwrap();
    assert!(all.model_json == one.model_json, "model.json differs");
    assert_eq!(
        trainer::report::without_timings(&all.report_json).unwrap(),
        trainer::report::without_timings(&one.report_json).unwrap()
    );
    // Both models of the set (full and the fairness variant), every family searched.
    assert_eq!(one.set.bundles.len(), 2);
    assert_eq!(one.report().families.len(), 10);
}

#[test]
fn every_grid_point_on_every_fold_is_one_event() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(dir.path());
    for threads in [Threads::One, Threads::All] {
        let events: Mutex<Vec<(Seen, usize, usize)>> = Mutex::new(Vec::new());
        let count = |e: &SearchEvent<'_>| {
            assert_eq!((e.points, e.folds), (2, 3), "{e:?}");
            events.lock().unwrap().push((seen(e), e.done, e.total));
            ControlFlow::Continue(())
        };
        let c = Config {
            threads,
            ..c.clone()
        };
        run(&c, &count).unwrap();
        let events = events.into_inner().unwrap();
        // Three families of two points on three folds, for the full model and the variant.
        let per_search = 3 * 2 * 3;
        assert_eq!(events.len(), 2 * per_search, "{threads:?}");
        let distinct: BTreeSet<&Seen> = events.iter().map(|(s, _, _)| s).collect();
        assert_eq!(distinct.len(), events.len(), "an event twice");
        for variant in ["full", "without gender and race/ethnicity"] {
            let mut done: Vec<usize> = events
                .iter()
                .filter(|(s, _, total)| s.1 == variant && *total == per_search)
                .map(|(_, d, _)| *d)
                .collect();
            done.sort_unstable();
            assert_eq!(done, (1..=per_search).collect::<Vec<_>>(), "{variant}");
        }
        // k = 1000 is skipped before any fit on every fold; nothing else is.
        let skipped: Vec<&Seen> = events.iter().map(|(s, _, _)| s).filter(|s| s.5).collect();
        assert_eq!(skipped.len(), 2 * 3);
        assert!(skipped.iter().all(|s| s.2 == "knn" && s.3 == 1));
        assert!(events.iter().all(|(s, _, _)| s.0 == "math_score"));
    }
}

#[test]
fn a_callback_that_answers_break_cancels_before_the_next_fit() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path());
    for k in [1, 7, 20] {
        let told = AtomicUsize::new(0);
        let stop_after_k = |_: &SearchEvent<'_>| {
            if told.fetch_add(1, Ordering::SeqCst) + 1 >= k {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        c.threads = Threads::One;
        let err = train::run(&c, &stop_after_k).err().expect("cancelled");
        assert!(err.is::<Cancelled>(), "{err:#}");
        assert_eq!(format!("{err:#}"), "training was cancelled");
        // Nothing more is told after the answer, and nothing is written.
        assert_eq!(told.load(Ordering::SeqCst), k);
        assert!(!c.out.exists());
    }
    // On every core the fits under way finish, but none starts after the answer.
    let told = AtomicUsize::new(0);
    let stop_at_once = |_: &SearchEvent<'_>| {
        told.fetch_add(1, Ordering::SeqCst);
        ControlFlow::Break(())
    };
    c.threads = Threads::All;
    let err = run(&c, &stop_at_once).err().expect("cancelled");
    assert!(err.is::<Cancelled>(), "{err:#}");
    assert!(told.load(Ordering::SeqCst) < 18, "{told:?}");
}
