//! The command line on small, odd and bad input: exit codes (0 ok, 2 bad input, 1 anything
//! else), each cause said once, families that cannot fit skipped with their reason.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A grid small enough for debug builds, with families that cannot fit 16 training rows of
/// 19 encoded columns (linear regression, ridge) and families that can.
const SMALL_GRID: &str = r#"
[linear_regression]
[ridge]
alpha = [1.0]
[decision_tree]
max_depth = [3]
min_samples_leaf = [1]
[knn]
k = [3]
weights = ["uniform"]
"#;

fn trainer(args: &[&str], paths: &[&Path]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trainer"));
    command.args(args).args(paths);
    command.output().unwrap()
}

/// Runs `trainer` with `args` (each `{}` replaced by the next path) and returns its exit code
/// and stderr, after checking that no error line says a cause twice.
fn run(args: &[&str], paths: &[&Path]) -> (Option<i32>, String, String) {
    let mut paths = paths.iter();
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if *a == "{}" {
                paths.next().unwrap().display().to_string()
            } else {
                (*a).to_owned()
            }
        })
        .collect();
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Every training run reads the students' dataset file unless the test gives its own.
    let schema = common::schema_path().display().to_string();
    if args.first() == Some(&"train") && !args.contains(&"--schema") {
        args.extend(["--schema", schema.as_str()]);
    }
    let out = trainer(&args, &[]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_says_each_cause_once(&stderr);
    assert!(!stderr.contains("NaN"), "{stderr}");
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

/// `{:#}` joins an error and its causes with ": "; a message that embeds its source's text
/// shows up as one part (or run of parts) said twice in a row ("A: B: B").
fn assert_says_each_cause_once(stderr: &str) {
    for line in stderr.lines().filter(|l| l.starts_with("error: ")) {
        let parts: Vec<&str> = line["error: ".len()..].split(": ").collect();
        for len in 1..=parts.len() / 2 {
            for i in 0..=parts.len() - 2 * len {
                assert!(
                    parts[i..i + len] != parts[i + len..i + 2 * len],
                    "{:?} repeats in {line:?}",
                    parts[i..i + len].join(": ")
                );
            }
        }
    }
}

/// `trainer train` for the math score alone (no fairness variant) on `data` with `grid`,
/// writing to `out`; `quiet` leaves out the leaderboard.
fn train_math(data: &Path, out: &Path, grid: &Path, quiet: bool) -> (Option<i32>, String, String) {
    let mut args = vec!["train", "--no-fairness-variant", "--targets", "math_score"];
    if quiet {
        args.push("--quiet");
    }
    args.extend(["--data", "{}", "--out", "{}", "--grid", "{}"]);
    run(&args, &[data, out, grid])
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_repeat_check_catches_a_cause_said_twice() {
    let twice = "error: cannot read x.csv: No such file or directory (os error 2): No such file or directory (os error 2)";
    assert!(std::panic::catch_unwind(|| assert_says_each_cause_once(twice)).is_err());
    assert_says_each_cause_once("error: cannot read x.csv: No such file or directory (os error 2)");
}

#[test]
fn help_documents_the_exit_codes() {
    let out = trainer(&["--help"], &[]);
    let help = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(help.contains("Exit codes:"), "{help}");
    assert!(
        help.contains("0  success")
            && help.contains("2  bad input")
            && help.contains("1  anything else")
    );
}

#[test]
fn bad_arguments_files_grids_and_models_exit_2_and_say_each_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = write(d, "stud.csv", common::synthetic_csv(60, 11));
    let out = d.join("out");
    let bad_grid = write(d, "bad.toml", "[decision_tree]\nmax_depth = [0]\n");
    let unknown = write(d, "unknown.toml", "[neural_net]\nlayers = [3]\n");
    let broken = write(d, "broken.toml", "[ridge\nalpha = 1\n");
    let not_a_model = write(d, "model.json", "{}");
    let empty_schema = write(d, "empty.schema.json", r#"{"fields": []}"#);
    let png = write(d, "image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let (nope_csv, nope_toml, nope_json) =
        (d.join("nope.csv"), d.join("nope.toml"), d.join("nope.json"));
    let cases: Vec<(Vec<&str>, Vec<&Path>, &str)> = vec![
        (
            vec!["train", "--folds", "1"],
            vec![],
            "--folds must be at least 2, not 1",
        ),
        (
            vec!["train", "--test-fraction", "1.5"],
            vec![],
            "--test-fraction must be between 0 and 1, not 1.5",
        ),
        (
            vec!["train", "--quiet", "--data", "{}", "--out", "{}"],
            vec![&nope_csv, &out],
            "nope.csv: No such file or directory",
        ),
        (
            vec!["train", "--quiet", "--data", "{}", "--out", "{}"],
            vec![&png, &out],
            "the file is not text (byte 1 is not UTF-8)",
        ),
        (
            vec![
                "train", "--quiet", "--data", "{}", "--out", "{}", "--grid", "{}",
            ],
            vec![&data, &out, &bad_grid],
            "[decision_tree] max_depth:",
        ),
        (
            vec![
                "train", "--quiet", "--data", "{}", "--out", "{}", "--grid", "{}",
            ],
            vec![&data, &out, &unknown],
            "grid: unknown family \"neural_net\"",
        ),
        (
            vec![
                "train", "--quiet", "--data", "{}", "--out", "{}", "--grid", "{}",
            ],
            vec![&data, &out, &broken],
            "grid file",
        ),
        (
            vec![
                "train", "--quiet", "--data", "{}", "--out", "{}", "--grid", "{}",
            ],
            vec![&data, &out, &nope_toml],
            "cannot read",
        ),
        (
            vec!["predict", "--model", "{}", "--input", "{}"],
            vec![&not_a_model, &data],
            "missing field `format`",
        ),
        (
            vec!["predict", "--model", "{}", "--input", "{}"],
            vec![&nope_json, &data],
            "nope.json: No such file or directory",
        ),
        (vec!["predict", "--bogus"], vec![], "unexpected argument"),
        (
            vec!["train", "--metric", "f1"],
            vec![],
            "\"f1\" is not one of: r2, rmse, mae",
        ),
        (
            vec!["train", "--repeats", "0"],
            vec![],
            "--repeats must be from 1 to 100, not 0",
        ),
        (
            vec![
                "train",
                "--quiet",
                "--data",
                "{}",
                "--out",
                "{}",
                "--target",
                "shoe_size",
            ],
            vec![&data, &out],
            "target \"shoe_size\" is not a column of the dataset: gender, race_ethnicity",
        ),
        (
            vec![
                "train", "--quiet", "--data", "{}", "--out", "{}", "--target", "gender",
            ],
            vec![&data, &out],
            "target \"gender\" is not a numeric column",
        ),
        (
            vec![
                "train",
                "--quiet",
                "--data",
                "{}",
                "--out",
                "{}",
                "--drop",
                "shoe_size",
            ],
            vec![&data, &out],
            "--drop \"shoe_size\" is not a column of the dataset",
        ),
        (
            vec![
                "train", "--quiet", "--data", "{}", "--out", "{}", "--schema", "{}",
            ],
            vec![&data, &out, &empty_schema],
            "fields: is empty",
        ),
        (
            vec![
                "train", "--quiet", "--data", "{}", "--out", "{}", "--schema", "{}",
            ],
            vec![&data, &out, &nope_json],
            "nope.json: No such file or directory",
        ),
        (
            vec!["describe", "--data", "{}"],
            vec![&nope_csv],
            "nope.csv: No such file or directory",
        ),
    ];
    for (args, paths, expected) in cases {
        let (code, _, stderr) = run(&args, &paths);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert!(!out.exists(), "wrote output");
}

#[test]
fn an_output_folder_that_cannot_be_written_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "stud.csv", common::synthetic_csv(60, 12));
    let grid = write(dir.path(), "grid.toml", SMALL_GRID);
    // A regular file where the output folder should be.
    let out = write(dir.path(), "out", "not a folder");
    let (code, _, stderr) = train_math(&data, &out, &grid, true);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("creating"), "{stderr}");
}

#[test]
fn a_20_row_dataset_skips_the_families_that_cannot_fit_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "stud.csv", common::synthetic_csv(20, 13));
    let grid = write(dir.path(), "grid.toml", SMALL_GRID);
    let out = dir.path().join("out");
    let (code, stdout, stderr) = train_math(&data, &out, &grid, false);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("linear_regression   skipped: fold 0: "),
        "{stdout}"
    );
    assert!(
        stdout.contains("ridge               skipped: fold 0: "),
        "{stdout}"
    );
    let report: model::report::ReportSet =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let report = &report.reports[0];
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.family.as_str()).collect();
    assert_eq!(skipped, ["linear_regression", "ridge"]);
    assert!(report.skipped[1]
        .reason
        .contains("Number of rows in X should be >= number of columns in X"));
    let searched: Vec<&str> = report.families.iter().map(|f| f.family.as_str()).collect();
    assert_eq!(searched, ["decision_tree", "knn"]);
    assert!(searched.contains(&report.served.as_str()));

    // With the fairness variant, its audit lists what its own search skipped.
    let out = dir.path().join("out-fair");
    let (code, _, stderr) = run(
        &[
            "train",
            "--quiet",
            "--targets",
            "math_score",
            "--data",
            "{}",
            "--out",
            "{}",
            "--grid",
            "{}",
        ],
        &[&data, &out, &grid],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let report: model::report::ReportSet =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let audits = &report.reports[0].fairness;
    assert_eq!(audits.len(), 2);
    assert_eq!(audits[0].skipped, report.reports[0].skipped);
    assert!(audits[1]
        .skipped
        .iter()
        .all(|s| s.family == "linear_regression" || s.family == "ridge"));
}

#[test]
fn a_dataset_too_small_for_the_folds_or_for_every_family_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = write(dir.path(), "tiny.csv", common::synthetic_csv(8, 14));
    let small = write(dir.path(), "small.csv", common::synthetic_csv(20, 15));
    let linear_only = write(
        dir.path(),
        "linear.toml",
        "[linear_regression]\n[ridge]\nalpha = [1.0]\n",
    );
    let out = dir.path().join("out");
    let (code, _, stderr) = run(
        &["train", "--quiet", "--data", "{}", "--out", "{}"],
        &[&tiny, &out],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("the dataset is too small: 8 rows give 6 training and 2 test rows; 5 folds need at least 10 training rows"),
        "{stderr}"
    );
    let (code, _, stderr) = train_math(&small, &out, &linear_only, true);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no family could be fitted on 16 training rows for math_score: linear_regression: fold 0: "),
        "{stderr}"
    );
    assert!(stderr.contains("; ridge: fold 0: "), "{stderr}");
    assert!(!out.exists());
}

/// A model trained on synthetic data, for `predict`.
fn trained_model(dir: &Path) -> PathBuf {
    let data = write(dir, "stud.csv", common::synthetic_csv(80, 16));
    let grid = write(dir, "grid.toml", SMALL_GRID);
    let out = dir.join("model");
    let (code, _, stderr) = train_math(&data, &out, &grid, true);
    assert_eq!(code, Some(0), "{stderr}");
    out.join("model.json")
}

#[test]
fn predict_notes_filled_blanks_refuses_them_on_request_and_refuses_empty_rows() {
    let dir = tempfile::tempdir().unwrap();
    let model = trained_model(dir.path());
    let set = model::Predictors::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let p = set.full("math_score").unwrap();
    let median = p.filled(&model::Student::new())[5].value.clone();
    let input = write(
        dir.path(),
        "students.csv",
        "name,gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,reading_score,writing_score\n\
         Ann,female,group B,high school,standard,none,,70\n\
         Bob,,,,,,,\n\
         Cy,male,group C,some college,standard,completed,100,100\n",
    );
    let (code, stdout, stderr) = run(
        &["predict", "--model", "{}", "--input", "{}"],
        &[&model, &input],
    );
    assert_eq!(code, Some(2), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].ends_with(",prediction,interval_low,interval_high,note,error"),
        "{}",
        lines[0]
    );
    let note = format!("Reading score empty: used {median}, the training median");
    assert!(lines[1].contains(&format!(",\"{note}\",")), "{}", lines[1]);
    assert!(lines[2].ends_with(",\"line 3: every feature cell is empty (gender, race_ethnicity, parental_level_of_education, lunch, test_preparation_course, reading_score, writing_score)\""), "{}", lines[2]);
    assert!(
        stderr.contains("line 3: every feature cell is empty"),
        "{stderr}"
    );
    // The three numbers are the model crate's, limited to 0–100.
    let cy: Vec<&str> = lines[3].split(',').collect();
    let numbers: Vec<f64> = cy[8..11].iter().map(|v| v.parse().unwrap()).collect();
    let e = p
        .estimate(
            &model::Student::new()
                .with("gender", "male")
                .with("race_ethnicity", "group C")
                .with("parental_level_of_education", "some college")
                .with("lunch", "standard")
                .with("test_preparation_course", "completed")
                .with("reading_score", "100")
                .with("writing_score", "100"),
            model::Missing::Reject,
        )
        .unwrap();
    assert_eq!(numbers, [e.value, e.low.unwrap(), e.high.unwrap()]);
    assert!(numbers.iter().all(|v| (0.0..=100.0).contains(v)));

    let (code, stdout, _) = run(
        &[
            "predict", "--format", "json", "--model", "{}", "--input", "{}",
        ],
        &[&model, &input],
    );
    assert_eq!(code, Some(2));
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows[0]["note"], note.as_str());
    assert!(rows[0]["prediction"].is_number());
    assert!(rows[2].get("note").is_none());

    let (code, stdout, stderr) = run(
        &[
            "predict",
            "--missing",
            "reject",
            "--model",
            "{}",
            "--input",
            "{}",
        ],
        &[&model, &input],
    );
    assert_eq!(code, Some(2));
    assert!(
        stdout
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",line 2: column reading_score (Reading score): a value is required"),
        "{stdout}"
    );
    assert!(
        stderr.contains("2 of 3 rows could not be predicted"),
        "{stderr}"
    );
}

#[test]
fn predict_refuses_a_header_only_file_and_a_file_that_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let model = trained_model(dir.path());
    let header = write(
        dir.path(),
        "header.csv",
        "gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,reading_score,writing_score\n",
    );
    let png = write(dir.path(), "image.png", b"\x89PNG\r\n\x1a\n");
    for (input, expected) in [
        (&header, "the file has a header but no rows"),
        (
            &png,
            "the file is not text (byte 1 is not UTF-8): a CSV file is expected",
        ),
    ] {
        let (code, stdout, stderr) = run(
            &["predict", "--model", "{}", "--input", "{}"],
            &[&model, input],
        );
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(stdout.is_empty());
    }
}

/// `csv` (written by [`common::synthetic_csv`]) as a spreadsheet in a semicolon locale saves
/// it: the dataset publication's header, `;` between cells, decimal commas, categories
/// capitalised.
fn as_spreadsheet_saves_it(csv: &str) -> String {
    let mut lines = csv.lines();
    lines.next();
    let mut out = String::from(
        "gender;race/ethnicity;parental level of education;lunch;test preparation course;\
         math score;reading score;writing score\r\n",
    );
    for line in lines {
        let cells: Vec<String> = line
            .split(',')
            .map(|cell| {
                let cell = cell.trim_matches('"');
                if cell.parse::<f64>().is_ok() {
                    format!("{cell},0")
                } else {
                    let mut chars = cell.chars();
                    let first = chars.next().unwrap().to_uppercase();
                    format!("{first}{}", chars.as_str())
                }
            })
            .collect();
        out += &cells.join(";");
        out += "\r\n";
    }
    out
}

#[test]
fn train_and_predict_read_a_semicolon_file_with_the_publications_headers() {
    let dir = tempfile::tempdir().unwrap();
    let plain = common::synthetic_csv(40, 17);
    let saved = as_spreadsheet_saves_it(&plain);
    assert!(
        saved.contains("Male;Group ") && saved.contains(",0;"),
        "{saved}"
    );
    let grid = write(dir.path(), "grid.toml", SMALL_GRID);
    let mut models = Vec::new();
    for (name, text) in [("plain.csv", &plain), ("saved.csv", &saved)] {
        let data = write(dir.path(), name, text);
        let out = dir.path().join(format!("out-{name}"));
        let (code, _, stderr) = train_math(&data, &out, &grid, true);
        assert_eq!(code, Some(0), "{name}: {stderr}");
        models.push(std::fs::read_to_string(out.join("model.json")).unwrap());
    }
    assert!(models[0] == models[1], "the same data gives the same model");

    let model = dir.path().join("out-plain.csv/model.json");
    let input = write(dir.path(), "students.csv", &saved);
    let (code, stdout, stderr) = run(
        &[
            "predict",
            "--format",
            "json",
            "--all-models",
            "--model",
            "{}",
            "--input",
            "{}",
        ],
        &[&model, &input],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // Every model of the set reads the file's columns too (not its typical student).
    assert_eq!(rows[0]["all"]["math_score"], rows[0]["prediction"]);
    let set = model::Predictors::from_json(&models[0]).unwrap();
    let p = set.full("math_score").unwrap();
    let plain_batch = p.predict_csv(plain.as_bytes()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 40);
    for (row, expected) in rows.as_array().unwrap().iter().zip(&plain_batch.rows) {
        let expected = expected.outcome.as_ref().unwrap().value;
        assert_eq!(row["prediction"].as_f64(), Some(expected), "{row}");
        // The file's own header names and cells, as read.
        assert!(row["student"]["reading score"]
            .as_str()
            .unwrap()
            .ends_with(",0"));
    }
    // A header cell that is almost right is named.
    let typo = write(
        dir.path(),
        "typo.csv",
        saved.replacen("reading score", "readng score", 1),
    );
    let (code, _, stderr) = run(
        &["predict", "--model", "{}", "--input", "{}"],
        &[&model, &typo],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("the header lacks the column(s) reading_score (closest: \"readng score\")"),
        "{stderr}"
    );
}

#[test]
fn targets_drops_repeats_and_the_metric_reach_the_model_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "stud.csv", common::synthetic_csv(80, 21));
    let grid = write(dir.path(), "grid.toml", SMALL_GRID);
    let out = dir.path().join("out");
    let (code, stdout, stderr) = run(
        &[
            "train",
            "--no-fairness-variant",
            "--data",
            "{}",
            "--out",
            "{}",
            "--grid",
            "{}",
            "--target",
            "reading_score",
            "--targets",
            "math_score",
            "--drop",
            "writing_score",
            "--repeats",
            "2",
            "--metric",
            "mae",
        ],
        &[&data, &out, &grid],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("* winner on 5-fold × 2 runs CV MAE"),
        "{stdout}"
    );
    let set =
        model::Predictors::from_json(&std::fs::read_to_string(out.join("model.json")).unwrap())
            .unwrap();
    assert_eq!(set.targets(), ["reading_score", "math_score"]);
    for p in set.iter() {
        let names: Vec<&str> = p.features().iter().map(|f| f.name()).collect();
        assert!(!names.contains(&"writing_score"), "{names:?}");
        assert_eq!(names.len(), 6);
    }
    let report: model::report::ReportSet =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let r = &report.reports[0];
    assert_eq!((r.cv.repeats, r.cv.metric.as_str()), (2, "mae"));
    assert_eq!(r.interval.n_calibration as usize, r.split.n_train);
    let best = r
        .families
        .iter()
        .min_by(|a, b| a.cv_mae_mean.total_cmp(&b.cv_mae_mean))
        .unwrap();
    assert_eq!(r.winner, best.family);
}
