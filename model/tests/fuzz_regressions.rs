//! Inputs the fuzzer (`make fuzz`, fuzz/) found or found interesting, kept in the ordinary
//! suite: each must give a clear error or a finite result, never a panic.
#![cfg(not(target_arch = "wasm32"))] // reads fixtures and assets from disk

use model::{Missing, Predictor, Predictors, Student};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn committed_set() -> Predictors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/model.json");
    Predictors::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Found by fuzz target `model_json`: a score imputed outside its feature's range was accepted,
/// and explaining any student then panicked ("the reference student is valid by construction").
#[test]
fn an_imputed_score_outside_the_feature_range_is_refused_by_the_reader() {
    let json = fixture("linear.v1.json").replace("\"impute\": 70.0", "\"impute\": 170.0");
    let err = Predictor::from_json(&json).unwrap_err().to_string();
    assert_eq!(
        err,
        "preprocessor.steps[1].impute: 170 is not between 0 and 100"
    );
    let set = format!(
        r#"{{"format": "student-score-model-set", "format_version": {{"major": 1, "minor": 0}},
            "default_target": "math_score", "bundles": [{json}]}}"#
    );
    let err = Predictors::from_json(&set).unwrap_err().to_string();
    assert_eq!(
        err,
        "bundles[0].preprocessor.steps[1].impute: 170 is not between 0 and 100"
    );
    // The range itself stays allowed, ends included.
    for impute in ["0.0", "100.0"] {
        let json = fixture("linear.v1.json").replace("70.0", impute);
        let p = Predictor::from_json(&json).unwrap();
        assert!(p.explain(&Student::new(), Missing::Impute).is_ok());
    }
}

#[test]
fn deeply_nested_or_huge_json_is_an_error_not_a_crash() {
    let deep_arrays = "[".repeat(100_000);
    let deep_objects = r#"{"a":"#.repeat(100_000);
    let huge = fixture("linear.v1.json").replace("60.0", "1e999");
    for doc in [
        deep_arrays.as_str(),
        &deep_objects,
        &huge,
        "",
        "\0",
        "{\"format\":\0}",
    ] {
        assert!(Predictors::from_json(doc).is_err());
        assert!(Predictor::from_json(doc).is_err());
    }
    // A number too small for an f64 is read as 0, and the model still predicts.
    let tiny = fixture("linear.v1.json").replace("-2.0", "1e-400");
    let p = Predictor::from_json(&tiny).unwrap();
    assert!(p.predict(&Student::new()).unwrap().is_finite());
}

/// Every record is one row, in order, whatever it holds; every prediction is finite.
#[cfg(feature = "batch")]
fn check_rows(p: &Predictor, csv: &[u8], expected_rows: usize) -> model::Batch {
    let batch = p.predict_csv(csv).unwrap();
    assert_eq!(
        batch.rows.len(),
        expected_rows,
        "{:?}",
        String::from_utf8_lossy(csv)
    );
    for (i, row) in batch.rows.iter().enumerate() {
        assert_eq!(row.row, i);
        assert_eq!(row.fields.len(), batch.header.len());
        if let Ok(pred) = &row.outcome {
            assert!(pred.value.is_finite());
            assert!(pred.low.is_none_or(f64::is_finite) && pred.high.is_none_or(f64::is_finite));
        }
    }
    batch
}

#[cfg(feature = "batch")]
#[test]
fn batch_files_with_nul_bytes_quotes_across_lines_and_bad_utf8_keep_every_row() {
    let p = Predictor::from_json(&fixture("linear.v1.json")).unwrap();
    // A quoted field across lines is one record; the next record starts on its own line.
    let b = check_rows(&p, b"reading_score,gender\n\"7\n2\",female\n72,male\n", 2);
    assert!(b.rows[0]
        .outcome
        .as_ref()
        .unwrap_err()
        .starts_with("line 2: "));
    assert_eq!(b.rows[1].line, 4);
    assert!(b.rows[1].outcome.is_ok());
    // NUL bytes and invalid UTF-8 anywhere: the file is not text, and says where.
    for file in [
        &b"reading_score,gender\n72\0,female\n\0,\0\n"[..],
        b"reading_score\0,gender\n72,female\n",
        b"reading_score,gender\n\xff\xfe,female\n72,male\n",
    ] {
        let error = p.predict_csv(file).unwrap_err();
        assert!(
            matches!(error, model::BatchError::NotText { .. }),
            "{error}"
        );
        assert!(error.to_string().contains("not text"), "{error}");
    }
    // An unterminated quote runs to the end of the file: one short record.
    let b = check_rows(&p, b"reading_score,gender\n\"72,female\n72,male\n", 1);
    assert!(b.rows[0].outcome.is_err());
    // Lone CRs end records too; a BOM and CRLF together.
    check_rows(&p, b"reading_score,gender\r72,female\r73,male\r", 2);
    check_rows(
        &p,
        b"\xef\xbb\xbfreading_score,gender\r\n\r\n72,female\r\n",
        1,
    );
    // Quotes inside fields and many empty columns.
    check_rows(
        &p,
        b"reading_score,gender,,,\n\"7\"\"2\",\"fe\"\"male\",,,\n",
        1,
    );
}

#[test]
fn odd_number_texts_in_the_form_give_a_finite_score_or_an_error_naming_the_field() {
    let set = committed_set();
    let odd = [
        "1e-400",
        "-0",
        "+72",
        "72.",
        ".5",
        "0x48",
        "1_000",
        "７２",
        "٧٢",
        "72\0",
        "\u{a0}72",
        "1e308",
        "-1e308",
        "4.9e-324",
        "0.1e3",
        "99.99999999999999999999",
        "Infinity",
        "nan",
        "",
        "\n",
        "\"72\"",
    ];
    for text in odd {
        let student = Student::new()
            .with("gender", "female")
            .with("race_ethnicity", "group C")
            .with("parental_level_of_education", "some college")
            .with("lunch", "standard")
            .with("test_preparation_course", "none")
            .with("math_score", text)
            .with("reading_score", text)
            .with("writing_score", text);
        for p in set.iter() {
            match p.predict_with(&student, Missing::Reject) {
                Ok(v) => {
                    assert!(v.is_finite(), "{text:?}: {v}");
                    // Explanations explain the model's own estimate, before the 0–100 limit.
                    let e = p.explain(&student, Missing::Reject).unwrap();
                    let estimate = p.estimate(&student, Missing::Reject).unwrap();
                    assert_eq!(e.prediction, estimate.raw);
                    assert_eq!(estimate.value, v);
                    assert!(e.contributions.iter().all(|c| c.value.is_finite()));
                }
                Err(e) => {
                    assert!(p.explain(&student, Missing::Reject).is_err());
                    for f in &e.errors {
                        assert!(f.field.ends_with("_score"), "{text:?}: {f}");
                        assert!(f.to_string().contains("score"), "{text:?}: {f}");
                    }
                }
            }
        }
    }
}
