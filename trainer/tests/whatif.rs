//! The app's what-if curves and goal search (`model::whatif`) on a model of every family the
//! trainer exports (linear, k-NN, tree ensembles of every aggregation, oblivious trees), checked
//! by brute force through the form's own predictions.

mod common;

#[path = "../../model/tests/common/whatif.rs"]
mod check;

use model::{Feature, Predictor};
use trainer::train;

#[test]
fn every_family_s_curves_and_suggestions_hold() {
    let csv = common::synthetic_csv(200, 5);
    for family in trainer::families::all().iter().map(|f| f.name()) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("stud.csv");
        std::fs::write(&data, &csv).unwrap();
        let mut c = common::config(data, dir.path().join("out"));
        c.grids = common::small_grids();
        c.family = Some(family.into());
        let out = train::run(&c, &()).unwrap_or_else(|e| panic!("{family}: {e:#}"));
        let predictor = Predictor::new(out.bundle().clone()).unwrap();
        let reference = predictor.reference_student();
        let mut students = vec![reference.clone()];
        for (score, course) in [("40", "none"), ("77.5", "none"), ("90", "completed")] {
            let mut s = reference.clone().with("test_preparation_course", course);
            for f in predictor.features() {
                if let Feature::Numeric { name, .. } = f {
                    s.set(name.as_str(), score);
                }
            }
            students.push(s);
        }
        for (i, student) in students.iter().enumerate() {
            check::check_curves(&predictor, student);
            // The goal search for two students of four (the typical one and the highest
            // scores, which between them meet every kind of answer): each goal is an
            // exhaustive search checked by another, and model/tests/whatif.rs covers the rest.
            if i == 0 || i == students.len() - 1 {
                check::check_goals(&predictor, student);
            }
        }
    }
}
