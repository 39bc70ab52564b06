//! Files and fields as people have them: a spreadsheet's ";" or tab separated file with decimal
//! commas, the dataset publication's headers or the form's labels, categories in any case; and
//! a clear message naming the closest column when a header still does not match.
#![cfg(all(feature = "batch", not(target_arch = "wasm32")))]

use model::{csv_delimiter, BatchError, Missing, Predictor, Student};

fn predictor() -> Predictor {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/linear.v1_4.json"
    );
    Predictor::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The fixture's prediction: 60, +3 for male (−2 for female), +10 per 14 reading points above 66.
fn expected(reading: f64, male: bool) -> f64 {
    60.0 + if male { 3.0 } else { -2.0 } + 10.0 * (reading - 66.0) / 14.0
}

fn values(batch: &model::Batch) -> Vec<Result<f64, String>> {
    batch
        .rows
        .iter()
        .map(|r| r.outcome.clone().map(|p| p.value))
        .collect()
}

#[test]
fn the_separator_is_read_from_the_header_line_outside_quotes() {
    let cases: [(&[u8], u8); 9] = [
        (b"a,b,c\n1;2;3\n", b','),
        (b"a;b;c\n1,5;2;3\n", b';'),
        (b"a\tb\tc\n1,5\t2\t3\n", b'\t'),
        (b"\"a;b\",c\n", b','),
        (b"\"a,b,c\";d;e\n", b';'),
        (b"\n\n\na;b\n1,5;2\n", b';'),
        (b"\"multi\nline;;\";b;c\n", b';'),
        (b"single\n1,2,3\n", b','),
        (b"", b','),
    ];
    for (file, delimiter) in cases {
        assert_eq!(
            csv_delimiter(file),
            delimiter,
            "{:?}",
            String::from_utf8_lossy(file)
        );
    }
    // A tie goes to the comma, then the semicolon.
    assert_eq!(csv_delimiter(b"a,b;c\n"), b',');
    assert_eq!(csv_delimiter(b"a;b\tc\n"), b';');
}

#[test]
fn a_semicolon_file_with_decimal_commas_is_predicted() {
    let p = predictor();
    let file = "id;reading_score;gender;math_score\r\n\
                a;80,5;male;70,5\r\n\
                \"b;c\";66;female;61\r\n\
                d;1,234;male;\r\n";
    let batch = p.predict_csv(file.as_bytes()).unwrap();
    assert_eq!(
        batch.header,
        ["id", "reading_score", "gender", "math_score"]
    );
    assert_eq!(
        values(&batch)[..2],
        [Ok(expected(80.5, true)), Ok(expected(66.0, false))]
    );
    assert_eq!(batch.rows[0].actual, Some(70.5));
    assert_eq!(batch.rows[1].fields[0], "b;c");
    assert_eq!(
        batch.rows[2].outcome.as_ref().unwrap_err(),
        "line 4: column reading_score (Reading score): \"1,234\" is not a number \
         (a decimal comma takes one or two digits after it, as in 85,5; thousands are not \
         separated)"
    );
    // The download keeps the cells as read (a comma-separated file: cells with a comma are
    // quoted).
    let csv = batch.to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,reading_score,gender,math_score,prediction,interval_low,interval_high,note,error"
    );
    assert!(
        lines[1].starts_with("a,\"80,5\",male,\"70,5\","),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], "b;c,66,female,61,58,,,,");
}

#[test]
fn a_tab_separated_file_with_decimal_commas_is_predicted() {
    let p = predictor();
    let file = "gender\treading_score\tnote\nmale\t73,5\tfine, thanks\nfemale\t59\t\n";
    let batch = p.predict_csv(file.as_bytes()).unwrap();
    assert_eq!(batch.header, ["gender", "reading_score", "note"]);
    assert_eq!(
        values(&batch),
        [Ok(expected(73.5, true)), Ok(expected(59.0, false))]
    );
    assert_eq!(batch.rows[0].fields[2], "fine, thanks");
}

#[test]
fn the_publications_headers_and_the_forms_labels_name_the_columns() {
    let p = predictor();
    for header in [
        "gender,race/ethnicity,parental level of education,lunch,test preparation course,math score,reading score,writing score",
        "Gender,Race/ethnicity group,Parental level of education,Lunch,Test preparation course,Math score,Reading score,Writing score",
        "GENDER,Race_Ethnicity,x,y,z,Math_Score,READING SCORE,w",
    ] {
        let file = format!("{header}\nmale,group A,high school,standard,none,71,80,70\n");
        let batch = p.predict_csv(file.as_bytes()).unwrap();
        assert_eq!(batch.header.join(","), header, "the header is kept as written");
        assert_eq!(values(&batch), [Ok(expected(80.0, true))], "{header}");
        assert_eq!(batch.rows[0].actual, Some(71.0), "{header}");
        assert_eq!(batch.column("math_score"), Some(5), "{header}");
        assert_eq!(batch.column("reading_score"), Some(6), "{header}");
        assert_eq!(batch.column("shoe_size"), None);
    }
    // An empty cell under a label header is filled in and noted like any other.
    let batch = p.predict_csv(b"Reading score;Gender\n;Male\n").unwrap();
    assert_eq!(batch.rows[0].notes[0].field, "reading_score");
    assert_eq!(values(&batch), [Ok(expected(70.0, true))]);
}

#[test]
fn categories_match_in_any_case_on_the_form_and_in_files() {
    let p = predictor();
    let batch = p
        .predict_csv(b"reading_score,gender\n80,Male\n80,MALE\n80, female \n80,robot\n")
        .unwrap();
    let v = values(&batch);
    assert_eq!(
        v[..3],
        [
            Ok(expected(80.0, true)),
            Ok(expected(80.0, true)),
            Ok(expected(80.0, false))
        ]
    );
    assert_eq!(
        v[3],
        Err("line 5: column gender (Gender): \"robot\" is not one of: female, male".into())
    );
    let form = Student::new()
        .with("gender", "Male")
        .with("reading_score", "８０");
    assert_eq!(
        p.predict_with(&form, Missing::Reject),
        Ok(expected(80.0, true))
    );
    let form = form.with("reading_score", "1e1");
    assert_eq!(
        p.predict_with(&form, Missing::Reject)
            .unwrap_err()
            .to_string(),
        "Reading score: \"1e1\" is not a number (write it in plain digits, as in 85 or 85.5)"
    );
}

#[test]
fn a_header_that_does_not_match_names_the_closest_cell() {
    let p = predictor();
    let err = p
        .predict_csv(b"id;readng score;Gendr\n1;80;male\n")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1: the header lacks the column(s) gender (closest: \"Gendr\"), \
         reading_score (closest: \"readng score\")"
    );
    let err = p.predict_csv(b"id,gender\n1,male\n").unwrap_err();
    assert_eq!(
        err,
        BatchError::MissingColumns(vec!["reading_score".into()])
    );
    assert_eq!(
        err.to_string(),
        "line 1: the header lacks the column(s) reading_score"
    );
    // Two cells naming one column: which one is meant is not guessed.
    let err = p
        .predict_csv(b"Reading score,reading score ,gender\n80,81,male\n")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1: columns \"Reading score\" and \"reading score\" both name the column reading_score"
    );
    // The exact name wins over a cell that only folds to it.
    let batch = p
        .predict_csv(b"Reading score,reading_score,gender\n10,80,male\n")
        .unwrap();
    assert_eq!(values(&batch), [Ok(expected(80.0, true))]);
}

#[test]
fn a_piece_of_a_semicolon_file_keeps_its_lines() {
    // The batch page predicts a long file in pieces, each a few empty lines, the header and
    // some records: the separator still comes from the header.
    let p = predictor();
    let batch = p
        .predict_csv(b"\n\n\nreading_score;gender\n80,5;male\nabc;male\n")
        .unwrap();
    assert_eq!(batch.rows[0].line, 5);
    assert_eq!(
        batch.rows[0].outcome.as_ref().unwrap().value,
        expected(80.5, true)
    );
    assert!(batch.rows[1]
        .outcome
        .as_ref()
        .unwrap_err()
        .starts_with("line 6: column reading_score"));
}
