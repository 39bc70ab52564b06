//! Small datasets the tests make themselves.

#![allow(dead_code)]

use std::fmt::Write;

pub const HEADER: &str = "gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,math_score,reading_score,writing_score";

/// `n` students whose math score depends on the other fields plus a little deterministic noise.
pub fn synthetic_csv(n: usize, seed: u64) -> String {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let genders = ["female", "male"];
    let groups = ["group A", "group B", "group C", "group D", "group E"];
    let education = [
        "associate's degree",
        "bachelor's degree",
        "high school",
        "master's degree",
        "some college",
        "some high school",
    ];
    let lunches = ["free/reduced", "standard"];
    let prep = ["completed", "none"];
    let mut out = String::from(HEADER);
    out.push('\n');
    for i in 0..n {
        let g = i % 2;
        let r = (next() * 5.0) as usize;
        let e = (next() * 6.0) as usize;
        let l = usize::from(next() < 0.65);
        let p = usize::from(next() < 0.64);
        let reading = (30.0 + next() * 70.0).round();
        let writing = (reading + (next() - 0.5) * 20.0).clamp(0.0, 100.0).round();
        let math = (0.55 * reading
            + 0.35 * writing
            + if g == 1 { 9.0 } else { 0.0 }
            + if l == 1 { 6.0 } else { 0.0 }
            + r as f64
            - 8.0
            + (next() - 0.5) * 8.0)
            .clamp(0.0, 100.0)
            .round();
        writeln!(
            out,
            "{},{},\"{}\",{},{},{math},{reading},{writing}",
            genders[g], groups[r], education[e], lunches[l], prep[p]
        )
        .unwrap();
    }
    out
}

/// The default grids cut to at most two values per parameter: every family, fast enough for
/// debug-build tests.
pub fn small_grids() -> trainer::families::GridSpec {
    let mut spec =
        trainer::families::parse_grids(trainer::families::DEFAULT_GRIDS).expect("default grids");
    for params in spec.values_mut() {
        for values in params.values_mut() {
            values.truncate(2);
        }
    }
    spec
}

/// The model kind each family exports to.
pub fn export_kind(family: &str) -> &'static str {
    match family {
        "linear_regression" | "ridge" | "lasso" => "linear",
        "knn" => "knn",
        "catboost" => "oblivious_ensemble",
        _ => "tree_ensemble",
    }
}

/// The default dataset's file, `data/students.schema.json`.
pub fn schema_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/students.schema.json")
}

/// The default dataset's file, read.
pub fn students() -> model::Dataset {
    model::Dataset::from_json(&std::fs::read_to_string(schema_path()).unwrap()).unwrap()
}

/// `Config::new` for the students' dataset file, predicting math_score only.
pub fn config(
    data: impl Into<std::path::PathBuf>,
    out: impl Into<std::path::PathBuf>,
) -> trainer::train::Config {
    let mut c = trainer::train::Config::new(data, out);
    c.schema = Some(schema_path());
    c.targets = vec!["math_score".into()];
    c
}

/// The rows of a students' CSV.
pub fn rows(csv: &str) -> Vec<trainer::data::Row> {
    trainer::data::parse(csv.as_bytes(), &students()).unwrap()
}

/// The columns the students' fairness variant is trained without.
pub fn sensitive() -> Vec<String> {
    vec!["gender".into(), "race_ethnicity".into()]
}

/// The default grids cut to one value per parameter: every family, one grid point each.
pub fn tiny_grids() -> trainer::families::GridSpec {
    let mut spec = small_grids();
    for params in spec.values_mut() {
        for values in params.values_mut() {
            values.truncate(1);
        }
    }
    spec
}
