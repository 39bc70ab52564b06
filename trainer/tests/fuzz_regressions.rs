//! Inputs the fuzzer (`make fuzz`, fuzz/) found or found interesting for the trainer's readers
//! (the dataset CSV and the `--grid` file), kept in the ordinary suite: each must give a clear
//! error naming what is wrong, never a panic or a hang.

mod common;

use std::time::{Duration, Instant};

use trainer::data::parse;
use trainer::families::{all, parse_grids, plan, MAX_GRID_POINTS};

const HEADER: &str = "gender,race_ethnicity,parental_level_of_education,lunch,\
                      test_preparation_course,math_score,reading_score,writing_score\n";
const ROW: &str = "male,group D,some college,standard,completed,61,63,58\n";

fn plan_error(toml: &str) -> String {
    let spec = parse_grids(toml).unwrap();
    let families = all();
    format!("{:#}", plan(&families, &spec).err().expect("refused"))
}

/// Found by fuzz target `grid_toml`: a few short lines of parameters multiplied to billions of
/// grid points, all built in memory before any was checked (out of memory, or minutes).
#[test]
fn a_grid_of_too_many_combinations_is_refused_before_it_is_expanded() {
    let mut toml = String::from("[knn]\n");
    for name in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        toml.push_str(&format!("{name} = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"));
    }
    let start = Instant::now();
    let err = plan_error(&toml);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(
        err,
        format!(
            "grid: knn: 10 a × 10 b × 10 c × 10 d × 10 e × 10 f × 10 g × 10 h × 10 i × 10 j \
             has more than {MAX_GRID_POINTS} combinations"
        )
    );
    // So many that the count itself overflows.
    let values = format!("[{}]", vec!["1"; 200].join(","));
    let mut toml = String::from("[ridge]\n");
    for k in 0..12 {
        toml.push_str(&format!("p{k} = {values}\n"));
    }
    assert!(plan_error(&toml).contains("has more than"));
    // A wide grid within the limit still plans (and then names its unknown parameter).
    let err = plan_error("[knn]\nk = [1, 2, 3]\nweights = [\"uniform\"]\ntypo = [1]\n");
    assert_eq!(
        err,
        "[knn] typo: unknown parameter, expected `k` or `weights`"
    );
}

#[test]
fn odd_grid_files_are_errors_not_crashes() {
    let deep = format!("[knn]\nk = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let odd = [
        deep.as_str(),
        "[knn]\nk = [1e999]\n",
        "[knn]\nk = [18446744073709551616]\n",
        "[knn]\nk = [-1, nan, inf]\n",
        "[knn]\nk = [\"\0\"]\n",
        "[knn]\nk = [[], {}]\n",
        "[knn.k]\n",
        "[[knn]]\n",
        "knn = 1\n",
        "[\"\"]\n",
        "[decision_tree]\nmax_depth = [\"none\", 99999999999]\n",
        "[random_forest]\nmax_features = [0.0, 1e-320, 1.0000000000000002]\n",
    ];
    let families = all();
    for text in odd {
        match parse_grids(text) {
            Err(e) => assert!(!format!("{e:#}").is_empty()),
            Ok(spec) => {
                let err = plan(&families, &spec).err().expect(text);
                assert!(!format!("{err:#}").is_empty());
            }
        }
    }
}

fn errors(bytes: &[u8]) -> String {
    parse(bytes, &common::students()).unwrap_err().to_string()
}

#[test]
fn odd_dataset_files_name_the_line_and_column_or_read_cleanly() {
    // NUL bytes and invalid UTF-8: the file is not text, and the error says where; huge
    // numbers in cells are bad cells, named.
    let text = format!("{HEADER}male\0,group D,some college,standard,completed,61,63,58\n");
    assert!(errors(text.as_bytes()).contains("not text"));
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"male,group D,some college,standard,completed,\xff,63,58\n");
    assert!(errors(&bytes).contains("not UTF-8"));
    let text = format!("{HEADER}male,group D,some college,standard,completed,1e999,63,58\n");
    assert!(errors(text.as_bytes()).contains("line 2: column math_score: \"1e999\""));
    // A quoted field across lines is one record; the line numbers after it stay right.
    let text = format!(
        "{HEADER}\"ma\nle\",group D,some college,standard,completed,61,63,58\n\
         male,group D,some college,standard,completed,abc,63,58\n"
    );
    let err = errors(text.as_bytes());
    assert!(err.contains("line 2: column gender"), "{err}");
    assert!(err.contains("line 4: column math_score"), "{err}");
    // An unterminated quote runs to the end of the file.
    let text = format!("{HEADER}\"{ROW}{ROW}");
    assert!(errors(text.as_bytes()).contains("has 1 fields, the header has 8"));
    // Only a BOM, only line ends, a NUL header.
    assert_eq!(
        errors(b"\xef\xbb\xbf"),
        "the file is empty: a header line is required"
    );
    assert_eq!(
        errors(b"\r\n\r\n\n"),
        "the file is empty: a header line is required"
    );
    assert!(errors(b"\0\n").contains("not text"));
    // Lone CR line ends and a BOM with CRLF read cleanly.
    let text = format!("{HEADER}{ROW}").replace('\n', "\r");
    assert_eq!(
        parse(text.as_bytes(), &common::students()).unwrap().len(),
        1
    );
    let text = format!("\u{feff}{HEADER}{ROW}{ROW}").replace('\n', "\r\n");
    let rows = parse(text.as_bytes(), &common::students()).unwrap();
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
}
