//! The per-group audit of a batch file against its own target column.
#![cfg(all(feature = "batch", not(target_arch = "wasm32")))]

#[path = "common/seed.rs"]
mod seed;

use model::report::{GroupErrors, ReportSet};
use model::{audited_features, Audit, BatchAudit, Feature, Predictor};
use serde_json::{json, Value};

/// The fields the audit groups by, as a full model of the seed dataset has them: gender (which
/// the linear fixture uses too), race/ethnicity (which it does not) and lunch.
fn audited() -> Vec<Feature> {
    let strings = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let full = [
        Feature::categorical("gender", strings(&["female", "male"])),
        Feature::categorical(
            "race_ethnicity",
            strings(&["group A", "group B", "group C", "group D", "group E"]),
        ),
        Feature::categorical("lunch", strings(&["free/reduced", "standard"])),
        Feature::numeric("reading_score", 0.0, 100.0),
    ]
    .map(|f| {
        let info = seed::info(f.name()).unwrap();
        f.with_info(info)
    });
    audited_features(&full, &["lunch", "reading_score"])
}

#[test]
fn the_audited_fields_are_the_sensitive_categories_and_those_asked_for() {
    let names: Vec<String> = audited().iter().map(|f| f.name().to_owned()).collect();
    assert_eq!(names, ["gender", "race_ethnicity", "lunch"]);
    assert!(audited_features(&audited()[2..], &[]).is_empty());
}

/// The linear fixture: female 58 + 10 · (reading − 66) / 14, male 5 more; with an interval of
/// ± 2.5 when `interval` is set.
fn predictor(interval: bool) -> Predictor {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/linear.v1.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    if interval {
        doc["interval"] =
            json!({ "level": 0.9, "half_width": 2.5, "n_calibration": 8, "test_coverage": 1.0 });
    }
    seed::predictor(&doc.to_string())
}

/// Nine rows: seven audited, one without its math score, one that cannot be predicted; the
/// categories written as people write them; an empty gender (the model fills it in, the audit
/// puts the row in no gender group), an empty and an unknown race/ethnicity group.
const FILE: &str = "\
reading_score,Gender,lunch type,Race/ethnicity,math score
66,female,standard,group A,60
80,Female,standard,GROUP B,71
66,male,free/reduced,group A,63
52,MALE,Free / reduced,group b,55.5
80,male,standard,,80
66,female,standard,group Z,58
66,female,standard,group A,
150,male,standard,group A,70
66,,standard,group C,50
";

fn group<'a>(audit: &'a BatchAudit, feature: &str, category: &str) -> &'a GroupErrors {
    audit
        .fields
        .iter()
        .find(|f| f.feature == feature)
        .and_then(|f| f.groups.iter().find(|g| g.category == category))
        .unwrap_or_else(|| panic!("no group {feature} {category}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// n, MAE, mean signed error and coverage of a group, checked against figures worked out by
/// hand from the rows' errors (prediction − actual).
fn assert_group(audit: &BatchAudit, feature: &str, category: &str, want: (usize, f64, f64, f64)) {
    let g = group(audit, feature, category);
    let (n, mae, signed, coverage) = want;
    assert_eq!(g.n, n, "{feature} {category}");
    assert!(close(g.mae, mae), "{feature} {category}: MAE {}", g.mae);
    assert!(
        close(g.mean_signed_error, signed),
        "{feature} {category}: signed {}",
        g.mean_signed_error
    );
    let c = g.coverage.expect("the model has an interval");
    assert!(close(c, coverage), "{feature} {category}: coverage {c}");
    assert_eq!(g.mae_ci, None);
}

#[test]
fn each_group_has_its_rows_errors_and_coverage() {
    let p = predictor(true);
    let batch = p.predict_csv(FILE.as_bytes()).unwrap();
    let audit = batch
        .audit(&p, &audited())
        .expect("the file has the target column");
    assert_eq!(
        (audit.n, audit.errors, audit.without_actual),
        (7, 1, 1),
        "seven rows audited, one without a score, one with a problem"
    );
    assert!(audit.absent.is_empty());
    let order: Vec<&str> = audit.fields.iter().map(|f| f.feature.as_str()).collect();
    assert_eq!(order, ["gender", "race_ethnicity", "lunch"]);

    // Errors, prediction − actual, rows 1 to 9: −2, −3, 0, −2.5, −7, 0, (none), (error), +8.
    // Intervals ± 2.5: rows 1, 3, 4 (its score on the upper bound) and 6 are covered.
    assert_group(
        &audit,
        "gender",
        "female",
        (3, 5.0 / 3.0, -5.0 / 3.0, 2.0 / 3.0),
    );
    assert_group(
        &audit,
        "gender",
        "male",
        (3, 9.5 / 3.0, -9.5 / 3.0, 2.0 / 3.0),
    );
    assert_group(&audit, "race_ethnicity", "group A", (2, 1.0, -1.0, 1.0));
    assert_group(&audit, "race_ethnicity", "group B", (2, 2.75, -2.75, 0.5));
    assert_group(&audit, "race_ethnicity", "group C", (1, 8.0, 8.0, 0.0));
    assert_group(&audit, "lunch", "free/reduced", (2, 1.25, -1.25, 1.0));
    assert_group(&audit, "lunch", "standard", (5, 4.0, -0.8, 0.4));

    let unmatched: Vec<usize> = audit.fields.iter().map(|f| f.unmatched).collect();
    assert_eq!(
        unmatched,
        [1, 2, 0],
        "an empty gender; an empty and an unknown group"
    );
    // Groups without rows are not listed; categories come in the model's (dataset's) order.
    let race: Vec<&str> = audit.fields[1]
        .groups
        .iter()
        .map(|g| g.category.as_str())
        .collect();
    assert_eq!(race, ["group A", "group B", "group C"]);
    // A field's groups recombine to the whole: Σ n · MAE is the total absolute error.
    let total: f64 = audit.fields[2]
        .groups
        .iter()
        .map(|g| g.n as f64 * g.mae)
        .sum();
    assert!(close(total, 22.5));
}

#[test]
fn the_audit_can_take_the_rows_a_piece_at_a_time() {
    let p = predictor(true);
    let batch = p.predict_csv(FILE.as_bytes()).unwrap();
    let whole = batch.audit(&p, &audited()).unwrap();
    let mut pieces = Audit::new(&p, &batch.header, &batch.columns, &audited());
    assert_eq!(pieces.finish().n, 0);
    assert!(pieces.finish().fields.iter().all(|f| f.groups.is_empty()));
    for row in &batch.rows {
        pieces.add(row);
    }
    assert_eq!(pieces.finish(), whole);
}

#[test]
fn without_an_interval_there_is_no_coverage_and_without_a_target_no_audit() {
    let p = predictor(false);
    let batch = p.predict_csv(FILE.as_bytes()).unwrap();
    let audit = batch.audit(&p, &audited()).unwrap();
    assert!(audit
        .fields
        .iter()
        .flat_map(|f| &f.groups)
        .all(|g| g.coverage.is_none()));
    assert!(close(group(&audit, "lunch", "standard").mae, 4.0));

    let no_target = "reading_score,gender,lunch\n66,female,standard\n";
    let batch = p.predict_csv(no_target.as_bytes()).unwrap();
    assert_eq!(batch.audit(&p, &audited()), None);

    // A file without the lunch and race/ethnicity columns audits gender alone.
    let gender_only = "reading_score,gender,math_score\n66,female,60\n80,male,70\n";
    let batch = p.predict_csv(gender_only.as_bytes()).unwrap();
    let audit = batch.audit(&p, &audited()).unwrap();
    assert_eq!(audit.absent, ["race_ethnicity", "lunch"]);
    assert_eq!(audit.fields.len(), 1);
    assert_eq!(audit.fields[0].groups.len(), 2);
    // male 73 against 70: an over-prediction, so a positive mean signed error.
    assert!(close(
        group(&audit, "gender", "male").mean_signed_error,
        3.0
    ));
}

#[test]
fn a_file_of_nothing_but_problems_audits_no_row_and_never_divides_by_zero() {
    let p = predictor(true);
    let file =
        "reading_score,gender,lunch,math_score\n150,female,standard,60\nabc,male,standard,\n";
    let batch = p.predict_csv(file.as_bytes()).unwrap();
    let audit = batch.audit(&p, &audited()).unwrap();
    assert_eq!((audit.n, audit.errors, audit.without_actual), (0, 2, 0));
    assert!(audit.fields.iter().all(|f| f.groups.is_empty()));
}

/// The real data, when it is here (it is never committed: see data/README.md).
fn real_data() -> Option<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/stud.csv");
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("skipped: {path} is absent");
            None
        }
    }
}

/// The audit of the held-out test students, batched as a file through every model that
/// app serves, gives the trainer's per-group figures in report.json for that model.
#[test]
fn the_test_split_audited_as_a_file_gives_the_reports_fairness_figures() {
    let Some(data) = real_data() else { return };
    let assets = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets");
    let models = seed::served();
    let reports: ReportSet =
        serde_json::from_str(&std::fs::read_to_string(format!("{assets}/report.json")).unwrap())
            .unwrap();
    let lines: Vec<&str> = data.lines().collect();
    let mut checked = 0;
    for report in &reports.reports {
        // The test rows as one file: the header, then each test row's line (data row i is
        // line i + 2, the dataset has no quoted line breaks).
        let mut file = format!("{}\n", lines[0]);
        for &i in &report.split.test_rows {
            file.push_str(lines[i + 1]);
            file.push('\n');
        }
        for variant in &report.fairness {
            let excluded: Vec<&str> = variant.excluded.iter().map(String::as_str).collect();
            let p = models.get(&report.target, &excluded).expect("served model");
            let batch = p.predict_csv(file.as_bytes()).unwrap();
            let full = models.full(&report.target).unwrap();
            let audit = batch
                .audit(p, &audited_features(full.features(), &["lunch"]))
                .unwrap();
            let what = format!("{} {}", report.target, variant.variant);
            assert_eq!(audit.n, report.split.n_test, "{what}");
            assert_eq!((audit.errors, audit.without_actual), (0, 0), "{what}");
            let ours: Vec<&GroupErrors> = audit.fields.iter().flat_map(|f| &f.groups).collect();
            assert_eq!(ours.len(), variant.groups.len(), "{what}");
            for theirs in &variant.groups {
                let g = group(&audit, &theirs.feature, &theirs.category);
                let at = format!("{what}: {} {}", theirs.feature, theirs.category);
                assert_eq!(g.n, theirs.n, "{at}");
                assert!(
                    (g.mae - theirs.mae).abs() < 1e-9,
                    "{at}: {} {}",
                    g.mae,
                    theirs.mae
                );
                assert!(
                    (g.mean_signed_error - theirs.mean_signed_error).abs() < 1e-9,
                    "{at}: {} {}",
                    g.mean_signed_error,
                    theirs.mean_signed_error
                );
                assert_eq!(g.coverage, theirs.coverage, "{at}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 9, "every target's groups were compared");
}
